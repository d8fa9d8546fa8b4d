import type { AppDeps } from '../deps';

// Recurring work of the follow-up and workflow-callback features.
//
// The ticker polls the outbox for portals with due items of one kind and queues one flush job per portal. pg-boss's
// singleton slot keeps several app copies from queueing the same job twice in one slot, and the flush lease keeps
// two jobs from working one portal at once. Nothing is queued while there is no work.

export interface OutboxTicker {
  kind: string;
  queue: string;
  intervalMs: number;
}

export async function queueDueFlushes(deps: Pick<AppDeps, 'db' | 'jobs' | 'clock'>, t: OutboxTicker): Promise<number> {
  const r = await deps.db.query<{ portal_id: string }>(`SELECT DISTINCT portal_id FROM outbox WHERE kind = $1 AND due_at <= $2`, [t.kind, deps.clock.now()]);
  let queued = 0;
  const slotSeconds = Math.max(1, Math.round(t.intervalMs / 1000));
  for (const row of r.rows) {
    const id = await deps.jobs.boss.send(t.queue, { portalId: Number(row.portal_id) }, { singletonKey: row.portal_id, singletonSeconds: slotSeconds });
    if (id) queued++;
  }
  return queued;
}

/** Starts the loop; it stops by itself when the job queue stops (server shutdown). */
export function startOutboxTicker(deps: AppDeps, t: OutboxTicker): void {
  const log = deps.logger.child({ module: 'outbox-ticker', kind: t.kind });
  let running = false;
  let stopped = false;
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = true;
    queueDueFlushes(deps, t)
      .catch((err) => {
        if (!stopped) log.warn({ err }, 'could not look for due outbox items; trying again next tick');
      })
      .finally(() => {
        running = false;
      });
  }, t.intervalMs);
  timer.unref();
  deps.jobs.boss.once('stopped', () => {
    stopped = true;
    clearInterval(timer);
  });
}
