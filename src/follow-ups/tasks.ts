import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../core/deps';
import { getSettings } from '../core/settings-service';
import { completeOutbox, failOutbox, type OutboxItem } from '../storage/outbox';
import { claimLease, releaseLease } from '../responses/leases';
import { itemsToSend } from '../responses/outbox-flush';
import { processFollowUpItems, type ProcessOutcome } from './process';

// The follow-up flush: outbox items of kind 'follow-up' (one per answer, keyed by response id; recordResponse
// marks them in the answer's transaction) become HubSpot tasks, exactly one per answer however often this runs:
//  - one flusher per portal at a time (a lease across app copies), so two never work the same answer;
//  - the follow_ups row (response_id unique) is claimed before HubSpot is called, and its task id stored after;
//  - a create whose outcome we never learned is looked up by its marker before being sent again (process.ts);
//  - failures back off through the outbox and are retried until they land.
// Items are taken in full batches of 100; a partial batch waits up to `holdMs` for more answers to fill it.

export const FOLLOW_UP_KIND = 'follow-up';
const ITEMS_PER_PASS = 500;
const MAX_PASSES = 40;
const LEASE_MS = 120_000;
const DEFAULT_HOLD_MS = 3000;

export interface FlushTotals {
  created: number;
  updated: number;
  dropped: number;
  unchanged: number;
  failed: number;
  /** HubSpot batch calls made for creates and updates. */
  calls: number;
}

export interface FlushOptions {
  portalId?: number;
  /** How long a partial batch may wait for more items (default 3 s; 0 sends everything due now). */
  holdMs?: number;
}

/** Drains due follow-up items of one portal, or of every portal that has some. */
export async function flushFollowUps(deps: AppDeps, opts: FlushOptions = {}): Promise<FlushTotals> {
  const totals: FlushTotals = { created: 0, updated: 0, dropped: 0, unchanged: 0, failed: 0, calls: 0 };
  const portals = opts.portalId !== undefined ? [opts.portalId] : await portalsWithDueItems(deps);
  for (const portalId of portals) await flushPortal(deps, portalId, opts.holdMs ?? DEFAULT_HOLD_MS, totals);
  return totals;
}

export async function portalsWithDueItems(deps: Pick<AppDeps, 'db' | 'clock'>, kind = FOLLOW_UP_KIND): Promise<number[]> {
  const r = await deps.db.query<{ portal_id: string }>(`SELECT DISTINCT portal_id FROM outbox WHERE kind = $1 AND due_at <= $2`, [kind, deps.clock.now()]);
  return r.rows.map((x) => Number(x.portal_id));
}

async function flushPortal(deps: AppDeps, portalId: number, holdMs: number, totals: FlushTotals): Promise<void> {
  const holder = randomUUID();
  if (!(await claimLease(deps.db, portalId, FOLLOW_UP_KIND, holder, LEASE_MS))) return;
  const log = deps.logger.child({ module: 'follow-ups', portalId });
  const renew = async () => {
    // Before any create: if the lease ran out (we stalled past it), another flusher may own these answers now.
    if (!(await claimLease(deps.db, portalId, FOLLOW_UP_KIND, holder, LEASE_MS))) throw new Error('follow-up flush lease lost; another flusher took over');
  };
  try {
    const settings = await getSettings(deps.db, portalId);
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      const now = deps.clock.now();
      const due = await dueItems(deps, portalId, now);
      const take = itemsToSend(due, now, holdMs);
      if (take.length === 0) break;
      let outcome: ProcessOutcome;
      try {
        outcome = await processFollowUpItems(deps, portalId, settings, take, renew);
      } catch (err) {
        // One portal's failure (uninstalled, HubSpot down for it) must not hold up the others.
        log.warn({ err }, 'follow-up flush failed; the items are retried with backoff');
        await failOutbox(deps.db, FOLLOW_UP_KIND, take, String((err as Error).message), deps.clock.now());
        totals.failed += take.length;
        return;
      }
      await completeOutbox(deps.db, FOLLOW_UP_KIND, outcome.done);
      await reportFailures(deps, portalId, outcome.failed, log);
      totals.created += outcome.created;
      totals.updated += outcome.updated;
      totals.dropped += outcome.dropped;
      totals.unchanged += outcome.unchanged;
      totals.failed += outcome.failed.length;
      totals.calls += outcome.calls;
      if (outcome.failed.some((f) => !f.rejected) || due.length < ITEMS_PER_PASS) break;
    }
  } finally {
    await releaseLease(deps.db, portalId, FOLLOW_UP_KIND, holder).catch(() => undefined);
  }
}

async function reportFailures(deps: AppDeps, portalId: number, failed: ProcessOutcome['failed'], log: AppDeps['logger']): Promise<void> {
  const now = deps.clock.now();
  for (const f of failed) await failOutbox(deps.db, FOLLOW_UP_KIND, [f.item], f.reason, now);
  const healthKey = `follow-ups:${portalId}`;
  const rejected = failed.find((f) => f.rejected);
  if (rejected) {
    log.error({ responseId: rejected.item.key, reason: rejected.reason }, 'HubSpot refused a follow-up task; it is retried with backoff');
    deps.health.report(healthKey, { portalId, message: `HubSpot refused a follow-up task: ${rejected.reason}` });
    return;
  }
  if (failed.length > 0) log.warn({ items: failed.length, reason: failed[0]!.reason }, 'follow-up tasks delayed; retried with backoff');
  else deps.health.clear(healthKey);
}

async function dueItems(deps: AppDeps, portalId: number, now: Date): Promise<Array<OutboxItem & { dueAt: Date }>> {
  const r = await deps.db.query<{ item_key: string; version: string; attempts: number; due_at: Date | string }>(
    `SELECT item_key, version, attempts, due_at FROM outbox WHERE kind = $1 AND portal_id = $2 AND due_at <= $3
     ORDER BY due_at, item_key LIMIT $4`,
    [FOLLOW_UP_KIND, portalId, now, ITEMS_PER_PASS],
  );
  return r.rows.map((x) => ({ portalId, key: x.item_key, version: Number(x.version), attempts: x.attempts, dueAt: new Date(x.due_at) }));
}
