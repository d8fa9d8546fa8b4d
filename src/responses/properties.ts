import type { AppDeps } from '../core';
import type { HubSpotPortal, PropertyDefinition } from '../hubspot';
import { COMPANY_PROPERTIES, CONTACT_PROPERTIES, NPS_GROUP, incompatibility } from './property-definitions';

// Creates the `nps` property group and the contact and company properties in a portal, idempotently. Existing
// properties that can take our values are reused as they are; incompatible ones are reported and never changed:
// they may hold an admin's data, and HubSpot forbids changing a type that has values anyway.

interface IncompatibleProperty {
  objectType: 'contacts' | 'companies';
  name: string;
  problem: string;
}

export interface EnsurePropertiesResult {
  /** "contacts.nps_score" style names. */
  created: string[];
  reused: string[];
  incompatible: IncompatibleProperty[];
}

const WANTED: Array<['contacts' | 'companies', PropertyDefinition[]]> = [
  ['contacts', CONTACT_PROPERTIES],
  ['companies', COMPANY_PROPERTIES],
];

export async function ensureProperties(
  deps: Pick<AppDeps, 'hubspot' | 'logger' | 'health'>,
  portalId: number,
): Promise<EnsurePropertiesResult> {
  const log = deps.logger.child({ module: 'properties', portalId });
  const hubspot = deps.hubspot.forPortal(portalId);
  const result: EnsurePropertiesResult = { created: [], reused: [], incompatible: [] };
  for (const [objectType, definitions] of WANTED) {
    await ensureGroup(hubspot, objectType);
    for (const wanted of definitions) {
      const healthKey = `properties:${portalId}:${objectType}.${wanted.name}`;
      const outcome = await ensureOne(hubspot, objectType, wanted);
      const qualified = `${objectType}.${wanted.name}`;
      if (outcome.kind === 'incompatible') {
        result.incompatible.push({ objectType, name: wanted.name, problem: outcome.problem });
        const message = `HubSpot property ${qualified} ${outcome.problem}; NPS Loop leaves it unchanged, so writes to it will fail until an admin fixes or deletes it in HubSpot`;
        log.error({ property: qualified, problem: outcome.problem }, message);
        deps.health.report(healthKey, { portalId, message });
        continue;
      }
      deps.health.clear(healthKey);
      (outcome.kind === 'created' ? result.created : result.reused).push(qualified);
    }
  }
  if (result.created.length > 0) log.info({ created: result.created }, 'NPS properties created');
  return result;
}

async function ensureGroup(hubspot: HubSpotPortal, objectType: 'contacts' | 'companies'): Promise<void> {
  if (await hubspot.getPropertyGroup(objectType, NPS_GROUP.name)) return;
  try {
    await hubspot.createPropertyGroup(objectType, NPS_GROUP);
  } catch (err) {
    // Another app copy may have created it a moment ago.
    if (!(await hubspot.getPropertyGroup(objectType, NPS_GROUP.name))) throw err;
  }
}

type Outcome = { kind: 'created' } | { kind: 'reused' } | { kind: 'incompatible'; problem: string };

async function ensureOne(
  hubspot: HubSpotPortal,
  objectType: 'contacts' | 'companies',
  wanted: PropertyDefinition,
): Promise<Outcome> {
  let existing = await hubspot.getProperty(objectType, wanted.name);
  if (!existing) {
    try {
      await hubspot.createProperty(objectType, wanted);
      return { kind: 'created' };
    } catch (err) {
      existing = await hubspot.getProperty(objectType, wanted.name);
      if (!existing) throw err;
    }
  }
  const problem = incompatibility(wanted, existing);
  return problem ? { kind: 'incompatible', problem } : { kind: 'reused' };
}
