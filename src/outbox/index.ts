// The durable outbox: work that must reach HubSpot, written in the same transaction as the change that causes
// it and removed only once it landed. Features declare their kinds with defineOutboxKind and mark items; the
// drain and the ticker do the rest. This file is the folder's only public surface.

export { defineOutboxKind, type BatchOutcome, type DrainContext, type OutboxKind, type OutboxKindSpec } from './kind';
export { drainDuePortals, drainPortal, type DrainOutcome } from './drain';
export { outboxQueues, probeWaitingPortals, startOutboxTicker } from './ticker';
export { DEFAULT_HOLD, itemsToSend, worthDraining } from './hold';
export { classifyBatchResult, describeError, isRejection, isRejectionStatus } from './failures';
export { claimLease, releaseLease } from './lease';
export { completeOutbox, dueOutbox, failOutbox, markOutbox, type OutboxItem } from './outbox.repo';
