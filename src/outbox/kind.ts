import type { AppDeps } from '../core';
import type { Logger } from '../shared';
import type { Queryable } from '../storage';
import { NO_HOLD, type HoldOptions } from './hold';
import { markOutbox, type OutboxItem } from './outbox.repo';

// An outbox kind is declared once, in the feature that owns the work, with defineOutboxKind: its name (stored in
// outbox.kind), the job queue its flushes run on, and `handle`, which does one batch of work. Everything else
// (lease, due items, hold, completion, backoff, rejection, /healthz) is the drain's (drain.ts).

interface OutboxFailure {
  item: OutboxItem;
  /** Stored on the item (outbox.last_error) and shown on /healthz for a rejection. */
  reason: string;
  /** HubSpot refused the work itself (a 4xx other than 429): operators must act. Else it was unreachable. */
  rejected: boolean;
}

/** What `handle` did with one batch. Items in neither list stay due and are picked up again. */
export interface BatchOutcome {
  /** Finished: the work landed, or there was nothing to do. Removed unless marked again meanwhile. */
  done: OutboxItem[];
  /** Did not land: retried with backoff. A failure that is not a rejection ends the pass (HubSpot is unwell). */
  failed?: OutboxFailure[];
  /** Writes HubSpot accepted: it is reachable again, so items backing off after an outage go now. */
  landed?: number;
  /** Kind-specific tallies (created, written, …), summed over the drain. */
  counts?: Record<string, number>;
}

export interface DrainContext {
  deps: AppDeps;
  portalId: number;
  /** When the items were read. */
  now: Date;
  log: Logger;
  /** Call before every HubSpot write: renews the lease, and throws (ending the pass) if another drain took it. */
  beforeCall(): Promise<void>;
}

export interface OutboxKindSpec {
  /** The name stored in outbox.kind. Declared here only; everything else reads it from the declaration. */
  kind: string;
  /** The job queue that drains one portal of this kind ({ portalId }). */
  queue: string;
  /** Does one batch (at most `batchSize` items of one portal) while holding the portal's lease. */
  handle(ctx: DrainContext, items: OutboxItem[]): Promise<BatchOutcome>;
  /** How long a partial batch waits to fill up (hold.ts); default: everything due goes now. */
  hold?: HoldOptions | number;
  /** Items per `handle` call (default 100, HubSpot's batch limit). */
  batchSize?: number;
  /** Items read per pass (default 1000); a portal with more due runs further passes. */
  itemsPerPass?: number;
  /** Upper bound on passes per drain (default 40), so one busy portal cannot hold a worker forever. */
  maxPasses?: number;
  /** How long a drain may work before it must renew its lease (default 2 minutes). */
  leaseMs?: number;
  /** Where a rejection shows on /healthz; without it, rejections are only logged. */
  health?: { key(portalId: number): string; message: string };
}

export interface OutboxKind extends Required<Omit<OutboxKindSpec, 'health'>> {
  health?: OutboxKindSpec['health'];
  /** Marks an item of this kind as needing work (call inside the transaction of the change that causes it). */
  mark(db: Queryable, portalId: number, key: string, dueAt?: Date): Promise<void>;
}

const declared = new Map<string, OutboxKind>();

export function defineOutboxKind(spec: OutboxKindSpec): OutboxKind {
  if (declared.has(spec.kind)) throw new Error(`outbox kind "${spec.kind}" is declared twice`);
  const kind: OutboxKind = {
    hold: NO_HOLD,
    batchSize: 100,
    itemsPerPass: 1000,
    maxPasses: 40,
    leaseMs: 120_000,
    ...spec,
    mark: (db, portalId, key, dueAt) => markOutbox(db, portalId, spec.kind, key, dueAt),
  };
  declared.set(spec.kind, kind);
  return kind;
}
