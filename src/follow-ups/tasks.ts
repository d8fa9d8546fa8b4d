import type { AppDeps } from '../core';
import { defineOutboxKind, drainDuePortals, drainPortal, type DrainOutcome } from '../outbox';
import { getSettings } from '../core';
import { processFollowUpItems } from './process';

// The follow-up outbox kind: items (one per answer, keyed by response id; recordResponse marks them in the
// answer's transaction) become HubSpot tasks, exactly one per answer however often this runs:
//  - one drain per portal at a time (the outbox lease), so two never work the same answer;
//  - the follow_ups row (response_id unique) is claimed before HubSpot is called, and its task id stored after;
//  - a create whose outcome we never learned is looked up by its marker before being sent again (process.ts);
//  - failures back off through the outbox and are retried until they land.

export const followUpOutbox = defineOutboxKind({
  kind: 'follow-up',
  queue: 'follow-ups.flush',
  // A partial batch waits up to 3 s for more answers to fill it.
  hold: 3000,
  itemsPerPass: 500,
  health: { key: (portalId) => `follow-ups:${portalId}`, message: 'HubSpot refused a follow-up task' },
  async handle(ctx, items) {
    const settings = await getSettings(ctx.deps.db, ctx.portalId);
    const o = await processFollowUpItems(ctx.deps, ctx.portalId, settings, items, ctx.beforeCall);
    return {
      done: o.done,
      failed: o.failed,
      landed: o.created + o.updated,
      counts: { created: o.created, updated: o.updated, dropped: o.dropped, unchanged: o.unchanged, calls: o.calls },
    };
  },
});

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
  const drainOpts = opts.holdMs === undefined ? {} : { hold: opts.holdMs };
  const outcomes =
    opts.portalId !== undefined
      ? [await drainPortal(deps, followUpOutbox, opts.portalId, drainOpts)]
      : await drainDuePortals(deps, followUpOutbox, drainOpts);
  return totalsOf(outcomes);
}

function totalsOf(outcomes: DrainOutcome[]): FlushTotals {
  const totals: FlushTotals = { created: 0, updated: 0, dropped: 0, unchanged: 0, failed: 0, calls: 0 };
  for (const o of outcomes) {
    totals.failed += o.failed;
    for (const key of ['created', 'updated', 'dropped', 'unchanged', 'calls'] as const)
      totals[key] += o.counts[key] ?? 0;
  }
  return totals;
}
