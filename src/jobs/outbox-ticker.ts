import type { AppDeps } from '../core/deps';

// Drains the durable outbox through the job queue. Each tick looks for installed portals with due items of the
// given kinds and queues one flush job per (kind, portal). pg-boss's singleton slot keeps several app copies from
// queueing the same job twice in one slot, and the features' flush leases keep two jobs from working one portal
// at once. Nothing is queued while there is no work, so an idle app does not churn the job tables. Items of an
// uninstalled portal wait for a reinstall.

export interface OutboxRoute {
  kind: string;
  queue: string;
}

export interface OutboxTicker {
  name: string;
  routes: OutboxRoute[];
  intervalMs: number;
  /** Runs before each tick's look-up (e.g. a half-open probe after an outage). */
  beforeTick?: () => Promise<unknown>;
}

export async function queueDueFlushes(deps: Pick<AppDeps, 'db' | 'jobs' | 'clock'>, routes: OutboxRoute[], slotSeconds = 1): Promise<number> {
  const queueOf = new Map(routes.map((r) => [r.kind, r.queue]));
  const r = await deps.db.query<{ kind: string; portal_id: string }>(
    `SELECT o.kind, o.portal_id FROM outbox o JOIN portals p ON p.portal_id = o.portal_id AND p.status = 'active'
     WHERE o.kind = ANY($1::text[]) AND o.due_at <= $2 GROUP BY o.kind, o.portal_id`,
    [[...queueOf.keys()], deps.clock.now()],
  );
  let queued = 0;
  for (const row of r.rows) {
    const id = await deps.jobs.send(queueOf.get(row.kind)!, { portalId: Number(row.portal_id) }, { singletonKey: row.portal_id, singletonSeconds: slotSeconds });
    if (id) queued++;
  }
  return queued;
}

/** Starts the loop; it stops by itself when the job queue stops (server shutdown). */
export function startOutboxTicker(deps: AppDeps, t: OutboxTicker): void {
  const log = deps.logger.child({ module: 'outbox-ticker', ticker: t.name });
  const slotSeconds = Math.max(1, Math.round(t.intervalMs / 1000));
  let running = false;
  let stopped = false;
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = true;
    (async () => {
      await t.beforeTick?.();
      await queueDueFlushes(deps, t.routes, slotSeconds);
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
