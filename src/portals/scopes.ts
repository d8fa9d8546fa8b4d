// OAuth scopes requested at install (HUBSPOT.md §6). They must equal `auth.requiredScopes` / `optionalScopes`
// in extensions/app/app-hsmeta.json: HubSpot refuses an install whose requested scopes differ from the app's.

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
  'automation', // the "Send NPS survey" workflow action and its callbacks
  'crm.lists.read',
  'crm.lists.write', // the detractors list
] as const;

export const OPTIONAL_SCOPES: readonly string[] = [];
