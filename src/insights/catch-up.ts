import type { AppDeps } from '../core';
import type { Queryable } from '../storage';
import { foldPendingChanges, portalsWithPendingChanges } from './rollups.repo';

// Answers, follow-ups and invitations only log what changed (migration 440); the rollups the dashboard reads are
// brought up to date by insight_catch_up. Every insight query calls catchUpInsights first, so a read never
// misses a change committed before it; the ticker folds in the background so reads rarely have work to do.

// Small, frequent folds: a second's worth of answers folded at once took a core for long enough to show in the
// survey page's tail latency on a 2-core machine.
const FOLD_INTERVAL_MS = 250;

const FOLDED = Symbol('insights folded for portal');

/** Folds the portal's pending answer, follow-up and invitation changes into the rollups; returns the log rows consumed. */
export async function catchUpInsights(db: Queryable, portalId: number): Promise<number> {
  if ((db as { [FOLDED]?: number })[FOLDED] === portalId) return 0;
  return foldPendingChanges(db, portalId);
}

/**
 * Folds once and returns `db` marked as folded for the portal, so the catch-ups of the figures a request then reads
 * (the wall screen reads five) are skipped. Those figures still include everything committed before the request.
 */
export async function foldedOnce<D extends Queryable>(db: D, portalId: number): Promise<D> {
  await catchUpInsights(db, portalId);
  return Object.assign(Object.create(db) as D, { [FOLDED]: portalId });
}

/** Folds every portal that has pending changes. */
export async function catchUpAllInsights(db: Queryable): Promise<number> {
  let consumed = 0;
  for (const portalId of await portalsWithPendingChanges(db)) consumed += await catchUpInsights(db, portalId);
  return consumed;
}

/** Starts the background fold; it stops by itself when the job queue stops (server shutdown). */
export function startInsightsFolding(deps: Pick<AppDeps, 'db' | 'jobs' | 'logger'>): void {
  const log = deps.logger.child({ module: 'insights-fold' });
  let running = false;
  let stopped = false;
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = true;
    catchUpAllInsights(deps.db)
      .catch((err) => {
        if (!stopped) log.warn({ err }, 'could not fold pending insight changes; trying again next tick');
      })
      .finally(() => {
        running = false;
      });
  }, FOLD_INTERVAL_MS);
  timer.unref();
  deps.jobs.onStopped(() => {
    stopped = true;
    clearInterval(timer);
  });
}
