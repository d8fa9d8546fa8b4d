import { getPortal } from '../core';
import type { Queryable } from '../storage';

// OAuth scopes requested at install (HUBSPOT.md §6). They must equal `auth.requiredScopes` / `optionalScopes`
// in extensions/app/app-hsmeta.json: HubSpot refuses an install whose required scopes differ from the app's.
//
// `automation` is optional: HubSpot's scope table ties it to Marketing Hub Professional or Enterprise, and a
// required scope the account lacks blocks the whole install. HubSpot grants an optional scope when the account
// has it and installs without it otherwise. Without it the product works; only the "Send NPS survey" workflow
// action and its callbacks are unavailable (reported on /healthz and on the dashboard).

export const REQUIRED_SCOPES = [
  'oauth',
  'crm.objects.contacts.read', // contacts, and the tasks associated with them
  'crm.objects.contacts.write', // nps_* properties, follow-up tasks
  'crm.objects.companies.read',
  'crm.objects.companies.write', // company NPS rollup
  'crm.objects.deals.read', // deal-stage triggers
  'tickets', // ticket-stage triggers
  'crm.schemas.contacts.write', // creating the nps_* contact properties
  'crm.schemas.companies.write', // creating the company rollup properties
  'crm.objects.owners.read', // task owners
  'crm.lists.read',
  'crm.lists.write', // the detractors list
] as const;

/** The scope the workflow action's callbacks need (POST /automation/v4/actions/callbacks/...). */
export const WORKFLOW_SCOPE = 'automation';

export const OPTIONAL_SCOPES: readonly string[] = [WORKFLOW_SCOPE];

/** The /healthz key under which a portal's unavailable workflow action is reported. */
export const workflowActionHealthKey = (portalId: number) => `workflow-action:${portalId}`;

export function workflowActionUnavailableMessage(portalId: number, waiting?: number): string {
  const queued = waiting ? ` ${waiting} workflow callback(s) are waiting.` : '';
  return (
    `workflow action unavailable for HubSpot account ${portalId}: the install did not grant the "${WORKFLOW_SCOPE}" ` +
    `scope (Marketing Hub Professional or Enterprise), so "Send NPS survey" cannot resume workflows.${queued} ` +
    'Reinstall the app once the account has workflows; everything else works.'
  );
}

export interface WorkflowActionAvailability {
  available: boolean;
  /** Set when unavailable: what the operator should know. */
  reason?: string;
}

/**
 * Whether the portal's grant lets the app complete workflow callbacks. Single-portal (static token) installs
 * declare their scopes in HubSpot, not to us: they are taken at their word.
 */
export async function workflowActionAvailability(db: Queryable, portalId: number): Promise<WorkflowActionAvailability> {
  const portal = await getPortal(db, portalId);
  if (!portal || portal.authMode !== 'oauth' || portal.scopes.includes(WORKFLOW_SCOPE)) return { available: true };
  return { available: false, reason: workflowActionUnavailableMessage(portalId) };
}

/** Required scopes HubSpot did not grant (HubSpot should refuse such an install; we check rather than trust). */
export function missingRequiredScopes(granted: readonly string[]): string[] {
  return REQUIRED_SCOPES.filter((s) => !granted.includes(s));
}
