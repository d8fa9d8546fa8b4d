import type { AppDeps } from '../core';
import type { QueueDefinition } from '../jobs';
import { drainDuePortals, drainPortal } from './drain';
import { worthDraining } from './hold';
import type { OutboxKind } from './kind';
import { dueKindsOfActivePortals, retryEarliestWaiting } from './outbox.repo';

// Drains the durable outbox through the job queue. Each tick looks for installed portals with due items of the
// given kinds and queues one drain job per (kind, portal) on the kind's queue. pg-boss's singleton slot keeps
// several app copies from queueing the same job twice in one slot, and the drain's lease keeps two jobs from
// working one portal at once. Nothing is queued while there is no work, so an idle app does not churn the job
// tables. Items of an uninstalled portal wait for a reinstall.

export interface OutboxTicker {
  name: string;
  kinds: OutboxKind[];
  intervalMs: number;
  /**
   * After an outage every waiting item may be deep in its exponential backoff (up to 10 minutes). Like a circuit
   * breaker's half-open state, every `probeMs` a portal whose items all wait longer than that gets its earliest
   * one retried now: if HubSpot answers, the drain pulls the others forward; if not, one call was spent.
   */
  probeMs?: number;
}

/**
 * How long one queued drain works on one portal before it gives its worker back; the next tick queues the rest
 * behind the other portals' drains (round-robin across portals with work).
 */
const DRAIN_BUDGET_MS = 5000;

/** The job queue of each kind: one job drains one portal (or, without portalId, every portal with due items). */
export function outboxQueues(deps: AppDeps, kinds: OutboxKind[]): QueueDefinition<{ portalId?: number }>[] {
  return kinds.map((kind) => ({
    name: kind.queue,
    // The outbox is what makes the work durable; a failed job only needs the next tick.
    retryLimit: 2,
    retryDelaySeconds: 1,
    expireInSeconds: 600,
    concurrency: 2,
    handle: async (data) => {
      if (data.portalId === undefined) await drainDuePortals(deps, kind);
      else await drainPortal(deps, kind, Number(data.portalId), { budgetMs: DRAIN_BUDGET_MS });
    },
  }));
}

/**
 * Queues one drain per (kind, portal) whose items would go now, the portal waiting longest first: the queue runs
 * jobs in the order they were sent, so every portal with work gets its turn before any portal gets a second one.
 */
async function queueDueDrains(
  deps: Pick<AppDeps, 'db' | 'jobs' | 'clock'>,
  kinds: OutboxKind[],
  slotSeconds = 1,
): Promise<number> {
  const kindOf = new Map(kinds.map((k) => [k.kind, k]));
  const now = deps.clock.now();
  const ready = (await dueKindsOfActivePortals(deps.db, [...kindOf.keys()], now))
    .filter((due) => {
      const kind = kindOf.get(due.kind)!;
      return worthDraining(due, now, kind.hold, kind.batchSize);
    })
    .sort((a, b) => a.oldest.getTime() - b.oldest.getTime());
  let queued = 0;
  for (const due of ready) {
    const id = await deps.jobs.send(
      kindOf.get(due.kind)!.queue,
      { portalId: due.portalId },
      { singletonKey: String(due.portalId), singletonSeconds: slotSeconds },
    );
    if (id) queued++;
  }
  return queued;
}

/** The half-open probe (see OutboxTicker.probeMs); returns how many items it moved forward. */
export function probeWaitingPortals(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  kinds: OutboxKind[],
  probeMs: number,
): Promise<number> {
  const now = deps.clock.now();
  return retryEarliestWaiting(
    deps.db,
    kinds.map((k) => k.kind),
    now,
    new Date(now.getTime() + probeMs),
  );
}

/** Starts the loop; it stops by itself when the job queue stops (server shutdown). */
export function startOutboxTicker(deps: AppDeps, t: OutboxTicker): void {
  const log = deps.logger.child({ module: 'outbox-ticker', ticker: t.name });
  const slotSeconds = Math.max(1, Math.round(t.intervalMs / 1000));
  let lastProbe = Date.now();
  let running = false;
  let stopped = false;
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = true;
    (async () => {
      if (t.probeMs !== undefined && Date.now() - lastProbe >= t.probeMs) {
        lastProbe = Date.now();
        await probeWaitingPortals(deps, t.kinds, t.probeMs);
      }
      await queueDueDrains(deps, t.kinds, slotSeconds);
    })()
      .catch((err) => {
        if (!stopped) log.warn({ err }, 'could not look for due outbox items; trying again next tick');
      })
      .finally(() => {
        running = false;
      });
  }, t.intervalMs);
  timer.unref();
  deps.jobs.onStopped(() => {
    stopped = true;
    clearInterval(timer);
  });
}
