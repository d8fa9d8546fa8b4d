import type { AppDeps, SegmentDimensionSetting, Settings } from '../core';
import { getSettings } from '../core';
import type { CrmObject, HubSpotPortal } from '../hubspot';
import { dimensionName, dimensionSignature, segmentValueOf } from './banding';
import {
  listDimensionStatus,
  saveSegmentValues,
  type ContactSegmentValue,
  type DimensionStatus,
} from './segments.repo';

// Reading the custom dimensions' properties from HubSpot and storing each contact's values: used by the contact
// sync and webhook refreshes (which already read the contact) and by the backfill (which reads them in batches).

export interface ActiveDimension {
  name: string;
  setting: SegmentDimensionSetting;
  status: DimensionStatus;
}

/** Configured dimensions whose kind is known and that were not refused. */
async function activeDimensions(db: AppDeps['db'], portalId: number, settings?: Settings): Promise<ActiveDimension[]> {
  const configured = (settings ?? (await getSettings(db, portalId))).segments.dimensions;
  if (configured.length === 0) return [];
  const statuses = new Map((await listDimensionStatus(db, portalId)).map((s) => [s.dimension, s]));
  return configured.flatMap((setting) => {
    const status = statuses.get(dimensionName(setting));
    return status && status.state !== 'refused' && status.signature === dimensionSignature(setting)
      ? [{ name: dimensionName(setting), setting, status }]
      : [];
  });
}

/** The contact and company properties to read along with a contact for the portal's custom dimensions. */
export async function segmentPropertyNames(
  db: AppDeps['db'],
  portalId: number,
): Promise<{ contact: string[]; company: string[] }> {
  const dims = (await getSettings(db, portalId)).segments.dimensions;
  return {
    contact: dims.filter((d) => d.object === 'contact').map((d) => d.property),
    company: dims.filter((d) => d.object === 'company').map((d) => d.property),
  };
}

/** Values of the given dimensions for contacts, from their objects and their primary companies' objects. */
export function valuesOf(
  dims: ActiveDimension[],
  contacts: Array<{ contactId: string; companyId: string | null; properties?: CrmObject['properties'] }>,
  companies: Map<string, CrmObject['properties']>,
): ContactSegmentValue[] {
  const out: ContactSegmentValue[] = [];
  for (const c of contacts)
    for (const d of dims) {
      // No company, or one HubSpot no longer has: unknown.
      const props =
        (d.setting.object === 'contact' ? c.properties : c.companyId ? companies.get(c.companyId) : {}) ?? {};
      const v = segmentValueOf(d.status.kind, props[d.setting.property], d.setting.bands);
      out.push({ contactId: c.contactId, dimension: d.name, value: v?.value ?? null, since: v?.since ?? null });
    }
  return out;
}

/** Reads the companies' values of the company dimensions (one batch read per 100 companies). */
export async function readCompanies(
  portal: HubSpotPortal,
  dims: ActiveDimension[],
  companyIds: Array<string | null>,
): Promise<Map<string, CrmObject['properties']>> {
  const properties = dims.filter((d) => d.setting.object === 'company').map((d) => d.setting.property);
  const ids = [...new Set(companyIds.filter((id): id is string => id !== null))];
  if (properties.length === 0 || ids.length === 0) return new Map();
  const objects = await portal.batchRead('companies', ids, properties);
  return new Map(objects.map((o) => [o.id, o.properties]));
}

/**
 * Stores the custom-dimension values of contacts just read from HubSpot (sync page, webhook refresh). The contact
 * objects must have been read with segmentPropertyNames().contact; company values are read here.
 */
export async function mirrorSegmentValues(
  deps: Pick<AppDeps, 'db' | 'hubspot'>,
  portalId: number,
  contacts: CrmObject[],
): Promise<void> {
  if (contacts.length === 0) return;
  const dims = await activeDimensions(deps.db, portalId);
  if (dims.length === 0) return;
  const rows = contacts.map((c) => ({
    contactId: c.id,
    companyId: c.properties.associatedcompanyid || null,
    properties: c.properties,
  }));
  const companies = await readCompanies(
    deps.hubspot.forPortal(portalId),
    dims,
    rows.map((r) => r.companyId),
  );
  await saveSegmentValues(deps.db, portalId, valuesOf(dims, rows, companies));
}
