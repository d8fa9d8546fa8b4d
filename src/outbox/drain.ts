import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../core';
import { describeError, isRejection } from './failures';
import { itemsToSend } from './hold';
import type { BatchOutcome, DrainContext, OutboxKind } from './kind';
import { claimLease, releaseLease } from './lease';
import {
  completeOutbox,
  dueOutbox,
  failOutbox,
  hasRejectedItems,
  portalsWithDueItems,
  retryWaitingItemsNow,
  type OutboxItem,
} from './outbox.repo';

// The one drain of the outbox: works one portal's due items of one kind, batch by batch, through the kind's
// `handle`. Its rules, the same for every kind:
//  - one drain per (portal, kind) at a time, across app copies (a lease, renewed before every HubSpot call);
//    a lost lease ends the pass at once: the items are left untouched for the drain that now holds it;
//  - full batches go at once, a partial one may wait to fill up (the kind's hold);
//  - done items are removed unless they were marked again during the work (their version changed);
//  - failed items back off; one that HubSpot could not take (unreachable, 429) ends the pass, one that HubSpot
//    refused is marked rejected and shown on /healthz while the other items go on;
//  - a write HubSpot accepts pulls items backing off after an outage forward (not rejected ones), and a pass
//    without rejections, leaving none behind, clears the kind's /healthz problem.

/** Marks the last error of a refused item for the people reading it; code reads outbox.rejected. */
const REJECTED_TEXT = 'rejected: ';

class LeaseLost extends Error {
  constructor(kind: string, portalId: number) {
    super(`the ${kind} lease of portal ${portalId} was taken over by another drain`);
  }
}

export interface DrainOutcome {
  /** False when another drain holds this portal's lease. */
  claimed: boolean;
  /** True when the lease was lost mid-way and the pass stopped. */
  leaseLost: boolean;
  /** `handle` calls. */
  batches: number;
  done: number;
  failed: number;
  rejected: number;
  counts: Record<string, number>;
}

export interface DrainOptions {
  /** Overrides the kind's hold (e.g. 0 to send everything due now). */
  hold?: OutboxKind['hold'];
  /**
   * Starts no further batch once this many milliseconds have passed; what is left waits for the next drain. Queued
   * drains use it so that a portal with a large backlog gives its worker back to the other portals' drains.
   */
  budgetMs?: number;
}

export async function drainPortal(
  deps: AppDeps,
  kind: OutboxKind,
  portalId: number,
  opts: DrainOptions = {},
): Promise<DrainOutcome> {
  const outcome: DrainOutcome = {
    claimed: false,
    leaseLost: false,
    batches: 0,
    done: 0,
    failed: 0,
    rejected: 0,
    counts: {},
  };
  const holder = randomUUID();
  const renew = () => claimLease(deps.db, portalId, kind.kind, holder, kind.leaseMs);
  if (!(await renew())) return outcome;
  outcome.claimed = true;
  const log = deps.logger.child({ module: 'outbox', kind: kind.kind, portalId });
  const budgetEnds = opts.budgetMs === undefined ? Infinity : Date.now() + opts.budgetMs;
  try {
    for (let pass = 0; pass < kind.maxPasses; pass++) {
      const now = deps.clock.now();
      const due = await dueOutbox(deps.db, kind.kind, kind.itemsPerPass, now, portalId);
      const take = itemsToSend(due, now, opts.hold ?? kind.hold, kind.batchSize);
      if (take.length === 0) break;
      let stop = false;
      for (let i = 0; i < take.length && !stop; i += kind.batchSize) {
        // The first batch always goes, so every drain makes progress.
        if (outcome.batches > 0 && Date.now() >= budgetEnds) {
          stop = true;
          break;
        }
        if (!(await renew())) {
          outcome.leaseLost = true;
          return outcome;
        }
        const ctx: DrainContext = {
          deps,
          portalId,
          now,
          log,
          beforeCall: async () => {
            if (!(await renew())) throw new LeaseLost(kind.kind, portalId);
          },
        };
        const batch = await runBatch(kind, ctx, take.slice(i, i + kind.batchSize));
        if (batch === 'lease-lost') {
          outcome.leaseLost = true;
          return outcome;
        }
        outcome.batches++;
        stop = await settle(deps, kind, portalId, batch, outcome, log);
      }
      if (stop || due.length < kind.itemsPerPass) break;
    }
    if (kind.health && outcome.rejected === 0 && !(await hasRejectedItems(deps.db, kind.kind, portalId)))
      deps.health.clear(kind.health.key(portalId));
    if (outcome.batches > 0) log.debug(outcome, 'outbox drained');
  } finally {
    await releaseLease(deps.db, portalId, kind.kind, holder).catch(() => undefined);
  }
  return outcome;
}

/** Drains every portal with due items of the kind (for runs without a portal, e.g. the CLI and tests). */
export async function drainDuePortals(
  deps: AppDeps,
  kind: OutboxKind,
  opts: DrainOptions = {},
): Promise<DrainOutcome[]> {
  const outcomes: DrainOutcome[] = [];
  for (const portalId of await portalsWithDueItems(deps.db, kind.kind, deps.clock.now()))
    outcomes.push(await drainPortal(deps, kind, portalId, opts));
  return outcomes;
}

/** Runs `handle`; a throw other than a lost lease fails the whole batch (one portal's trouble must not hold up others). */
async function runBatch(
  kind: OutboxKind,
  ctx: DrainContext,
  items: OutboxItem[],
): Promise<BatchOutcome | 'lease-lost'> {
  try {
    return await kind.handle(ctx, items);
  } catch (err) {
    if (err instanceof LeaseLost) {
      ctx.log.warn('outbox lease lost mid-batch; leaving the items to the drain that holds it now');
      return 'lease-lost';
    }
    const reason = describeError(err);
    ctx.log.warn({ err }, 'outbox batch failed');
    return { done: [], failed: items.map((item) => ({ item, reason, rejected: isRejection(err) })) };
  }
}

/** Records one batch's outcome; true when the pass must stop (HubSpot could not take a write). */
async function settle(
  deps: AppDeps,
  kind: OutboxKind,
  portalId: number,
  batch: BatchOutcome,
  outcome: DrainOutcome,
  log: DrainContext['log'],
): Promise<boolean> {
  await completeOutbox(deps.db, kind.kind, batch.done);
  const failed = batch.failed ?? [];
  const now = deps.clock.now();
  for (const f of failed)
    await failOutbox(
      deps.db,
      kind.kind,
      [f.item],
      f.rejected ? `${REJECTED_TEXT}${f.reason}` : f.reason,
      now,
      f.rejected,
    );
  if ((batch.landed ?? 0) > 0) await retryWaitingItemsNow(deps.db, kind.kind, portalId, now);
  const rejected = failed.filter((f) => f.rejected);
  if (rejected.length > 0) {
    log.error(
      { items: rejected.length, key: rejected[0]!.item.key, reason: rejected[0]!.reason },
      'HubSpot refused outbox work; retried with backoff until an operator fixes it',
    );
    if (kind.health)
      deps.health.report(kind.health.key(portalId), {
        portalId,
        message: `${kind.health.message}: ${rejected[0]!.reason}`,
      });
  }
  const transient = failed.filter((f) => !f.rejected);
  if (transient.length > 0)
    log.warn({ items: transient.length, reason: transient[0]!.reason }, 'outbox work delayed; retried with backoff');
  outcome.done += batch.done.length;
  outcome.failed += failed.length;
  outcome.rejected += rejected.length;
  for (const [k, v] of Object.entries(batch.counts ?? {})) outcome.counts[k] = (outcome.counts[k] ?? 0) + v;
  return transient.length > 0;
}
