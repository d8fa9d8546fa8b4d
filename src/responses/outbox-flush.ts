import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../core/deps';
import type { BatchInput, BatchResult } from '../hubspot/client';
import { completeOutbox, failOutbox, type OutboxItem, type OutboxKind } from '../storage/outbox';
import { claimLease, releaseLease } from './leases';
import { classifyBatchResult, describeError, isRejection, REJECTED_PREFIX } from './write-failures';

// Drains one portal's outbox items of one kind into HubSpot batch updates. Coalescing: items are taken oldest
// first in full batches of 100; a partial batch waits briefly while answers are still streaming in (itemsToSend),
// which keeps API calls near the floor of ceil(contacts / 100) without making anyone wait more than a few seconds.

export const BATCH_SIZE = 100;
const ITEMS_PER_PASS = 1000;
const LEASE_MS = 60_000;

export interface FlushSpec {
  kind: OutboxKind;
  objectType: 'contacts' | 'companies';
  /** Computes what to write for each item, from the database as it is now (after the item versions were read). */
  build(deps: AppDeps, portalId: number, items: OutboxItem[], now: Date): Promise<WritePlan>;
}

export interface WritePlan {
  writes: Array<{ item: OutboxItem; input: BatchInput }>;
  /** Items that need no write (the record is gone); completed, with the reason logged. */
  done: Array<{ item: OutboxItem; reason: string }>;
}

export interface HoldOptions {
  /** A partial batch goes once no new item arrived for this long. */
  quietMs: number;
  /** … and at the latest when its oldest item has waited this long. */
  maxHoldMs: number;
}

export const DEFAULT_HOLD: HoldOptions = { quietMs: 600, maxHoldMs: 3000 };

export interface FlushOutcome {
  /** False when another flusher holds this portal's lease. */
  claimed: boolean;
  written: number;
  skipped: number;
  failed: number;
  calls: number;
}

interface DueItem extends OutboxItem {
  dueAt: Date;
}

export async function flushPortal(deps: AppDeps, spec: FlushSpec, portalId: number): Promise<FlushOutcome> {
  const log = deps.logger.child({ module: 'writeback', kind: spec.kind, portalId });
  const outcome: FlushOutcome = { claimed: false, written: 0, skipped: 0, failed: 0, calls: 0 };
  const holder = randomUUID();
  if (!(await claimLease(deps.db, portalId, spec.kind, holder, LEASE_MS))) return outcome;
  outcome.claimed = true;
  const healthKey = `writeback:${portalId}:${spec.objectType}`;
  let rejected = false;
  try {
    for (;;) {
      const now = deps.clock.now();
      const due = await dueItems(deps, spec.kind, portalId, now);
      const take = itemsToSend(due, now);
      if (take.length === 0) break;
      const plan = await spec.build(deps, portalId, take, now);
      if (plan.done.length > 0) {
        for (const d of plan.done) log.info({ key: d.item.key, reason: d.reason }, 'outbox item completed without a write');
        await completeOutbox(deps.db, spec.kind, plan.done.map((d) => d.item));
        outcome.skipped += plan.done.length;
      }
      let stop = false;
      for (let i = 0; i < plan.writes.length && !stop; i += BATCH_SIZE) {
        const chunk = plan.writes.slice(i, i + BATCH_SIZE);
        // Renewing the lease before each call: if it was lost (we stalled past it), someone else owns these items now.
        if (!(await claimLease(deps.db, portalId, spec.kind, holder, LEASE_MS))) return outcome;
        outcome.calls++;
        const sent = await sendChunk(deps, spec, portalId, chunk, log);
        outcome.written += sent.written;
        outcome.skipped += sent.skipped;
        outcome.failed += sent.failed;
        rejected ||= sent.rejected !== undefined;
        if (sent.rejected) deps.health.report(healthKey, { portalId, message: sent.rejected });
        stop = sent.transient;
      }
      if (stop || due.length < ITEMS_PER_PASS) break;
    }
    if (!rejected && !(await hasRejectedItems(deps, spec.kind, portalId))) deps.health.clear(healthKey);
    if (outcome.calls > 0 || outcome.skipped > 0) log.debug(outcome, 'write-back flushed');
  } finally {
    await releaseLease(deps.db, portalId, spec.kind, holder).catch(() => undefined);
  }
  return outcome;
}

/**
 * Full batches go at once. The partial remainder waits while answers are still streaming in (its newest item is
 * younger than `quietMs`), so it can fill up, but never longer than `maxHoldMs`; a lone answer goes after `quietMs`.
 * A plain number holds the remainder until its oldest item has waited that long (follow-up tasks use this).
 */
export function itemsToSend<T extends { dueAt: Date }>(due: T[], now: Date, holdOptions: HoldOptions | number = DEFAULT_HOLD): T[] {
  const hold = typeof holdOptions === 'number' ? { quietMs: holdOptions, maxHoldMs: holdOptions } : holdOptions;
  const full = Math.floor(due.length / BATCH_SIZE) * BATCH_SIZE;
  const rest = due.slice(full);
  if (rest.length === 0) return due;
  const oldest = Math.min(...rest.map((i) => i.dueAt.getTime()));
  const newest = Math.max(...rest.map((i) => i.dueAt.getTime()));
  const quiet = now.getTime() - newest >= hold.quietMs;
  const heldTooLong = now.getTime() - oldest >= hold.maxHoldMs;
  return quiet || heldTooLong ? due : due.slice(0, full);
}

interface ChunkResult {
  written: number;
  skipped: number;
  failed: number;
  /** Message when HubSpot refused the write itself (a 4xx other than 429): operators must act. */
  rejected?: string;
  /** True when HubSpot could not be reached or asked us to slow down: stop this pass, the items back off. */
  transient: boolean;
}

async function sendChunk(
  deps: AppDeps,
  spec: FlushSpec,
  portalId: number,
  chunk: WritePlan['writes'],
  log: AppDeps['logger'],
): Promise<ChunkResult> {
  const items = chunk.map((w) => w.item);
  let result: BatchResult;
  try {
    result = await deps.hubspot.forPortal(portalId).batchUpdate(spec.objectType, chunk.map((w) => w.input));
  } catch (err) {
    const why = describeError(err);
    if (isRejection(err)) {
      log.error({ err, items: items.length }, `HubSpot rejected a ${spec.objectType} write-back; the items are retried with backoff`);
      await failOutbox(deps.db, spec.kind, items, `${REJECTED_PREFIX}${why}`, deps.clock.now());
      return { written: 0, skipped: 0, failed: items.length, rejected: `HubSpot rejected ${spec.objectType} write-back: ${why}`, transient: false };
    }
    log.warn({ err, items: items.length }, 'write-back delayed: HubSpot unavailable; the items are retried with backoff');
    await failOutbox(deps.db, spec.kind, items, why, deps.clock.now());
    return { written: 0, skipped: 0, failed: items.length, transient: true };
  }
  const verdict = classifyBatchResult(chunk.map((w) => ({ id: w.input.id, item: w.item })), result);
  await completeOutbox(deps.db, spec.kind, [...verdict.landed, ...verdict.gone.map((g) => g.item)]);
  if (verdict.landed.length > 0) await retryWaitingItemsNow(deps, spec.kind, portalId);
  for (const g of verdict.gone) log.info({ id: g.id, reason: g.reason }, `${spec.objectType} no longer exists in HubSpot; nothing to write`);
  const now = deps.clock.now();
  let rejected: string | undefined;
  for (const f of verdict.failed) {
    if (f.rejected) {
      rejected ??= `HubSpot rejected ${spec.objectType} write-back for id ${f.id}: ${f.reason}`;
      log.error({ id: f.id, reason: f.reason }, 'HubSpot rejected a write-back; it is retried with backoff');
    } else {
      log.warn({ id: f.id, reason: f.reason }, 'write-back delayed; it is retried with backoff');
    }
    await failOutbox(deps.db, spec.kind, [f.item], `${f.rejected ? REJECTED_PREFIX : ''}${f.reason}`, now);
  }
  return { written: verdict.landed.length, skipped: verdict.gone.length, failed: verdict.failed.length, rejected, transient: false };
}

async function dueItems(deps: AppDeps, kind: OutboxKind, portalId: number, now: Date): Promise<DueItem[]> {
  const r = await deps.db.query<{ item_key: string; version: string; attempts: number; due_at: Date | string }>(
    `SELECT item_key, version, attempts, due_at FROM outbox
     WHERE kind = $1 AND portal_id = $2 AND due_at <= $3 ORDER BY due_at, item_key LIMIT $4`,
    [kind, portalId, now, ITEMS_PER_PASS],
  );
  return r.rows.map((x) => ({ portalId, key: x.item_key, version: Number(x.version), attempts: x.attempts, dueAt: new Date(x.due_at) }));
}

/**
 * HubSpot just took a write for this portal, so whatever was backing off after an outage or a 429 can go now
 * instead of waiting out its (up to 10-minute) backoff. Items HubSpot refused keep theirs.
 */
async function retryWaitingItemsNow(deps: AppDeps, kind: OutboxKind, portalId: number): Promise<void> {
  await deps.db.query(
    `UPDATE outbox SET due_at = $3 WHERE kind = $1 AND portal_id = $2 AND attempts > 0 AND due_at > $3
       AND (last_error IS NULL OR last_error NOT LIKE $4)`,
    [kind, portalId, deps.clock.now(), `${REJECTED_PREFIX}%`],
  );
}

async function hasRejectedItems(deps: AppDeps, kind: OutboxKind, portalId: number): Promise<boolean> {
  const r = await deps.db.query(`SELECT 1 FROM outbox WHERE kind = $1 AND portal_id = $2 AND last_error LIKE $3 LIMIT 1`, [kind, portalId, `${REJECTED_PREFIX}%`]);
  return r.rows.length > 0;
}
