import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Config } from '../../config/env';
import { getPortal, type AppDeps } from '../../core';
import type { HubSpotPortal, PropertyDefinition } from '../../hubspot';
import {
  COMPANY_PROPERTIES,
  CONTACT_PROPERTIES,
  NPS_GROUP,
  incompatibility,
} from '../../responses/property-definitions';
import { probe, type Probe } from './probe';
import type { CheckLine } from './report';

// Doctor checks of one installed portal in HubSpot: its token, granted scopes, nps properties and lists.

/** The segmentation lists portal setup creates (src/responses/lists.ts). */
const SEGMENT_LISTS = ['NPS Promoters', 'NPS Passives', 'NPS Detractors', 'NPS At risk'];
const APP_HSMETA = fileURLToPath(new URL('../../../extensions/app/app-hsmeta.json', import.meta.url));

type AppScopes = { requiredScopes?: string[]; optionalScopes?: string[] };

/** The scopes the app asks for at install (HubSpot refuses an install whose request differs from these). */
function appScopes(): { required: string[]; optional: string[] } {
  const meta = JSON.parse(readFileSync(APP_HSMETA, 'utf8')) as { config?: { auth?: AppScopes } };
  return { required: meta.config?.auth?.requiredScopes ?? [], optional: meta.config?.auth?.optionalScopes ?? [] };
}

/** Cheap reads, each needing one of the app's scopes. */
function readProbes(hubspot: HubSpotPortal): Array<[scope: string, call: () => Promise<unknown>]> {
  const one = (type: 'contacts' | 'companies' | 'deals' | 'tickets') => () =>
    hubspot.listObjects(type, { limit: 1, properties: ['hs_object_id'] });
  return [
    ['crm.objects.contacts.read', one('contacts')],
    ['crm.objects.companies.read', one('companies')],
    ['crm.objects.deals.read', one('deals')],
    ['tickets', one('tickets')],
    ['crm.objects.owners.read', () => hubspot.listOwners()],
    ['crm.lists.read', () => hubspot.findListByName(SEGMENT_LISTS[0]!)],
  ];
}

export async function checkPortal(deps: AppDeps, config: Config, portalId: number, add: (l: CheckLine) => void) {
  const hubspot = deps.hubspot.forPortal(portalId);
  const staticMode = config.hubspot.staticPortal !== undefined;
  const reinstall = `reinstall the app (${config.publicBaseUrl}/oauth/install) as a Super Admin so HubSpot grants them`;

  // Token: one cheap authenticated call (in OAuth mode it refreshes the token when due).
  const first = await probe(() => hubspot.listObjects('contacts', { limit: 1, properties: ['hs_object_id'] }));
  if (!first.ok && first.kind === 'auth') {
    add({
      verdict: 'fail',
      title: `token (portal ${portalId})`,
      detail: `HubSpot refused it: ${first.message}`,
      fix: staticMode
        ? "HUBSPOT_ACCESS_TOKEN is wrong, revoked or for another account: copy the access token of the private app (or of the app's static token) for this portal again"
        : `the install is gone or its refresh token was revoked: ${reinstall}`,
    });
    return;
  }
  if (!first.ok && first.kind === 'other') {
    add({
      verdict: 'fail',
      title: `token (portal ${portalId})`,
      detail: `HubSpot did not answer: ${first.message}`,
      fix: 'check HUBSPOT_API_BASE_URL and the network, then run the doctor again',
    });
    return;
  }
  add({ verdict: 'ok', title: `token (portal ${portalId})`, detail: 'HubSpot accepts it' });

  // Scopes: what the install granted (OAuth) or what the token can read (single-portal).
  const portal = staticMode ? null : await getPortal(deps.db, portalId);
  const { required, optional } = appScopes();
  if (portal && portal.scopes.length > 0) {
    const missing = required.filter((s) => !portal.scopes.includes(s));
    // An optional scope the account's tier lacks (automation) switches one feature off; the rest works.
    const lacking = optional.filter((s) => !portal.scopes.includes(s));
    if (lacking.length > 0)
      add({
        verdict: 'warn',
        title: `optional scopes (portal ${portalId})`,
        detail: `not granted: ${lacking.join(', ')}${lacking.includes('automation') ? ' (the workflow action is unavailable)' : ''}`,
        fix: `${reinstall}; HubSpot grants automation only on accounts whose tier includes it (Marketing Hub Professional or Enterprise)`,
      });
    add(
      missing.length === 0
        ? {
            verdict: 'ok',
            title: `scopes (portal ${portalId})`,
            detail: `all ${required.length} required scopes granted`,
          }
        : {
            verdict: 'fail',
            title: `scopes (portal ${portalId})`,
            detail: `not granted: ${missing.join(', ')}`,
            fix: reinstall,
          },
    );
  } else {
    const missing = new Set<string>();
    let trouble: string | undefined;
    for (const [scope, call] of readProbes(hubspot)) {
      const p = await probe(call);
      if (p.ok) continue;
      if (p.kind === 'scope') for (const s of p.scopes.length ? p.scopes : [scope]) missing.add(s);
      else trouble ??= p.message;
    }
    if (missing.size > 0)
      add({
        verdict: 'fail',
        title: `scopes (portal ${portalId})`,
        detail: `HubSpot answers 403 for lack of: ${[...missing].join(', ')}`,
        fix: staticMode
          ? `give the private app these scopes (HubSpot → Settings → Integrations → Private apps → Scopes), then copy its new token; the app needs ${required.filter((s) => s !== 'oauth').join(', ')}`
          : reinstall,
      });
    else if (trouble)
      add({
        verdict: 'warn',
        title: `scopes (portal ${portalId})`,
        detail: `not all checked: ${trouble}`,
        fix: 'run the doctor again',
      });
    else
      add({
        verdict: 'ok',
        title: `scopes (portal ${portalId})`,
        detail: `reads of contacts, companies, deals, tickets, owners and lists work${staticMode ? ' (write and automation scopes are used, not probed: the checks below show them)' : ' (no granted scopes stored for this install)'}`,
      });
  }

  await checkProperties(hubspot, portalId, add);
  await checkLists(hubspot, portalId, add);
}

async function checkProperties(hubspot: HubSpotPortal, portalId: number, add: (l: CheckLine) => void) {
  const missing: string[] = [];
  const incompatible: string[] = [];
  let failure: Probe | undefined;
  const wanted: Array<['contacts' | 'companies', PropertyDefinition[]]> = [
    ['contacts', CONTACT_PROPERTIES],
    ['companies', COMPANY_PROPERTIES],
  ];
  for (const [objectType, definitions] of wanted) {
    const group = await probe(async () => {
      if (!(await hubspot.getPropertyGroup(objectType, NPS_GROUP.name))) missing.push(`${objectType} group "nps"`);
    });
    if (!group.ok) {
      failure = group;
      break;
    }
    for (const def of definitions) {
      const p = await probe(async () => {
        const existing = await hubspot.getProperty(objectType, def.name);
        if (!existing) missing.push(`${objectType}.${def.name}`);
        else {
          const problem = incompatibility(def, existing);
          if (problem) incompatible.push(`${objectType}.${def.name} ${problem}`);
        }
      });
      if (!p.ok) failure ??= p;
    }
  }
  const title = `nps properties (portal ${portalId})`;
  if (failure && !failure.ok)
    add({
      verdict: 'fail',
      title,
      detail: `could not read them: ${failure.message}`,
      fix:
        failure.kind === 'scope'
          ? `grant ${failure.scopes.join(', ') || 'crm.schemas.contacts.read'} to the app`
          : 'run the doctor again',
    });
  else if (missing.length > 0)
    add({
      verdict: 'fail',
      title,
      detail: `missing: ${missing.join(', ')}`,
      fix: 'start the app (npm start): its portal setup creates them within a minute; if they stay missing, the app log says why (usually crm.schemas.contacts.write / crm.schemas.companies.write not granted)',
    });
  else if (incompatible.length > 0)
    add({
      verdict: 'fail',
      title,
      detail: incompatible.join('; '),
      fix: 'an admin must change or delete these properties in HubSpot (Settings → Properties); NPS Loop never overwrites them',
    });
  else
    add({
      verdict: 'ok',
      title,
      detail: `group "nps" with ${CONTACT_PROPERTIES.length} contact and ${COMPANY_PROPERTIES.length} company properties`,
    });
}

async function checkLists(hubspot: HubSpotPortal, portalId: number, add: (l: CheckLine) => void) {
  const missing: string[] = [];
  for (const name of SEGMENT_LISTS) {
    const p = await probe(async () => {
      if (!(await hubspot.findListByName(name))) missing.push(name);
    });
    if (!p.ok) {
      add({
        verdict: 'fail',
        title: `segmentation lists (portal ${portalId})`,
        detail: `could not read them: ${p.message}`,
        fix: p.kind === 'scope' ? 'grant crm.lists.read and crm.lists.write to the app' : 'run the doctor again',
      });
      return;
    }
  }
  add(
    missing.length === 0
      ? { verdict: 'ok', title: `segmentation lists (portal ${portalId})`, detail: SEGMENT_LISTS.join(', ') }
      : {
          verdict: 'fail',
          title: `segmentation lists (portal ${portalId})`,
          detail: `missing: ${missing.join(', ')}`,
          fix: 'start the app (npm start): its portal setup creates them; if they stay missing, check crm.lists.write is granted and the app log',
        },
  );
}
