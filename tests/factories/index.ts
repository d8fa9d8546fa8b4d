// Test data factories: each builds one kind of record with sensible defaults and returns it as a domain object.
// They go through the product's repository functions where one creates the record; otherwise their own SQL
// (in this folder only) says why.

export { aCompany, type Company, type CompanyOverrides } from './companies';
export { aContact, someContacts, type Contact, type ContactOverrides } from './contacts';
export { createCrashLog, logCrashEvent, type CrashLogEvent } from './crash-log';
export { aFollowUp, type FollowUp, type FollowUpInput, type FollowUpStatus } from './follow-ups';
export { anInvitation, type Invitation, type InvitationInput, type InvitationStatus } from './invitations';
export { anOptOut, type OptOut } from './opt-outs';
export { anOutboxItem, type OutboxItemRow, type OutboxItemState } from './outbox';
export { aPortal, type Portal, type PortalOverrides } from './portals';
export { aResponse, someResponses, type Response, type ResponseInput } from './responses';
export { aSyncState, type SyncState } from './sync-state';
export { aWebhookEvent, type StoredWebhookEvent, type WebhookEventInput } from './webhook-events';
