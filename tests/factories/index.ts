// Test data factories: each builds one kind of record with sensible defaults and returns it as a domain object.
// They go through the product's repository functions where one creates the record; otherwise their own SQL
// (in this folder only) says why.

export { aCompany } from './companies';
export { aContact, someContacts } from './contacts';
export { createCrashLog, logCrashEvent } from './crash-log';
export { aFollowUp, type FollowUpStatus } from './follow-ups';
export { anInvitation, type InvitationStatus } from './invitations';
export { anOptOut } from './opt-outs';
export { anOutboxItem } from './outbox';
export { aPortal, aPortalAdmin } from './portals';
export { aResponse, someResponses } from './responses';
export { aSyncState } from './sync-state';
export { aWebhookEvent } from './webhook-events';
export { aWebSession } from './web-sessions';
