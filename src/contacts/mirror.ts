import type { AppDeps } from '../core';
import type { HubSpotPortal } from '../hubspot';
import { mirrorSegmentValues, segmentPropertyNames } from '../segments';
import {
  CONTACT_PROPERTIES,
  COMPANY_PROPERTIES,
  toCompanyRecord,
  toContactRecord,
  type ContactRecord,
} from './properties';
import {
  missingCompanyIds,
  missingContactIds,
  saveCompanies,
  saveContacts,
  type SaveContactsResult,
} from './contacts.repo';

// Reading contacts from HubSpot into the mirror, one or a few at a time (webhooks, triggers, workflow actions).
// Always re-read rather than trusting a webhook's propertyValue: whatever order events arrive in, the mirror
// ends at HubSpot's current state.

type MirrorDeps = Pick<AppDeps, 'db' | 'hubspot'>;

/** Reads contacts by id from HubSpot and upserts them (and their primary companies, if new to us). */
export async function refreshContacts(
  deps: MirrorDeps,
  portalId: number,
  contactIds: string[],
): Promise<SaveContactsResult & { found: string[] }> {
  const portal = deps.hubspot.forPortal(portalId);
  if (contactIds.length === 0) return { created: 0, updated: 0, unchanged: 0, found: [] };
  // Custom segment properties are read with every refresh: HubSpot sends no change events for most of them.
  const custom = await segmentPropertyNames(deps.db, portalId);
  const objects = await portal.batchRead(
    'contacts',
    [...new Set(contactIds)],
    [...CONTACT_PROPERTIES, ...custom.contact],
  );
  const records = objects.map(toContactRecord).filter((r): r is ContactRecord => r !== null);
  await mirrorNewCompanies(deps, portal, records);
  const saved = await deps.db.transaction((tx) => saveContacts(tx, portalId, records));
  await mirrorSegmentValues(
    deps,
    portalId,
    objects.filter((o) => records.some((r) => r.contactId === o.id)),
  );
  return { ...saved, found: records.map((r) => r.contactId) };
}

/**
 * Makes sure the given contacts are mirrored, fetching only the ones we do not have. Other features (triggers,
 * the workflow action, the card's "send now") call this before scheduling a survey for someone.
 */
export async function ensureContactsMirrored(deps: MirrorDeps, portalId: number, contactIds: string[]): Promise<void> {
  const missing = await missingContactIds(deps.db, portalId, contactIds);
  if (missing.length > 0) await refreshContacts(deps, portalId, missing);
}

/** Companies referenced by these contacts that the mirror lacks. */
async function mirrorNewCompanies(deps: MirrorDeps, portal: HubSpotPortal, records: ContactRecord[]): Promise<void> {
  const referenced = records.map((r) => r.companyId).filter((id): id is string => id !== null);
  const missing = await missingCompanyIds(deps.db, portal.portalId, referenced);
  await mirrorCompanies(deps, portal, missing);
}

/** Reads companies by id (chunks of 100 in the HubSpot client) and upserts name, domain, industry and owner. */
async function mirrorCompanies(
  deps: Pick<AppDeps, 'db'>,
  portal: HubSpotPortal,
  companyIds: string[],
): Promise<number> {
  if (companyIds.length === 0) return 0;
  const objects = await portal.batchRead('companies', [...new Set(companyIds)], [...COMPANY_PROPERTIES]);
  const records = objects.map(toCompanyRecord).filter((r) => r !== null);
  return saveCompanies(deps.db, portal.portalId, records);
}
