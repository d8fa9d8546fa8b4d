import type { AppDeps } from '../deps';
import type { QueueDefinition } from '../jobs/queue';
import { flushCompanyRollups } from './company-rollup';
import type { FlushOutcome } from './outbox-flush';
import { REJECTED_PREFIX } from './write-failures';
import { flushContactProperties } from './writeback';

// The write-back loop. Every second each worker process looks for portals with due outbox items and queues one
// flush job per (kind, portal); pg-boss's singleton slot keeps several copies from queueing the same job twice
// in one second, and the flush lease keeps two jobs from working one portal at once. Queries only while idle: no
// job is created unless there is work, so an idle app does not churn the job tables.

export const FLUSH_CONTACTS_QUEUE = 'responses.flush-contacts';
export const FLUSH_COMPANIES_QUEUE = 'responses.flush-companies';
const PROBE_MS = 15_000;

const FLUSHES: Record<string, { queue: string; flush: (deps: AppDeps, portalId: number) => Promise<FlushOutcome> }> = {
  'contact-properties': { queue: FLUSH_CONTACTS_QUEUE, flush: flushContactProperties },
  'company-rollup': { queue: FLUSH_COMPANIES_QUEUE, flush: flushCompanyRollups },
};

export function flushQueues(deps: AppDeps): QueueDefinition<{ portalId: number }>[] {
  return Object.values(FLUSHES).map(({ queue, flush }) => ({
    name: queue,
    // The outbox is what makes write-back durable; a failed job only needs the next tick.
    retryLimit: 2,
    retryDelaySeconds: 1,
    expireInSeconds: 600,
    concurrency: 2,
    handle: async (data) => {
      await flush(deps, Number(data.portalId));
    },
  }));
}

/** Queues a flush for every (kind, installed portal) with due items; an uninstalled portal's items wait for a reinstall. */
export async function queueDueFlushes(deps: Pick<AppDeps, 'db' | 'jobs' | 'clock'>): Promise<number> {
  const r = await deps.db.query<{ kind: string; portal_id: string }>(
    `SELECT o.kind, o.portal_id FROM outbox o JOIN portals p ON p.portal_id = o.portal_id AND p.status = 'active'
     WHERE o.kind = ANY($1::text[]) AND o.due_at <= $2 GROUP BY o.kind, o.portal_id`,
    [Object.keys(FLUSHES), deps.clock.now()],
  );
  let queued = 0;
  for (const row of r.rows) {
    const id = await deps.jobs.boss.send(FLUSHES[row.kind]!.queue, { portalId: Number(row.portal_id) }, { singletonKey: row.portal_id, singletonSeconds: 1 });
    if (id) queued++;
  }
  return queued;
}

/**
 * After an outage every waiting item may be deep in its exponential backoff (up to 10 minutes). Like a circuit
 * breaker's half-open state, a portal whose items all wait more than PROBE_MS gets its earliest one retried now:
 * if HubSpot answers, the flush pulls the others forward (retryWaitingItemsNow); if not, one call was spent.
 */
export async function probeWaitingPortals(deps: Pick<AppDeps, 'db' | 'clock'>): Promise<number> {
  const r = await deps.db.query(
    `WITH earliest AS (
       SELECT DISTINCT ON (portal_id, kind) portal_id, kind, item_key, due_at FROM outbox
       WHERE kind = ANY($1::text[]) AND attempts > 0 AND (last_error IS NULL OR last_error NOT LIKE $4)
       ORDER BY portal_id, kind, due_at
     )
     UPDATE outbox o SET due_at = $2 FROM earliest e
     WHERE o.portal_id = e.portal_id AND o.kind = e.kind AND o.item_key = e.item_key
       AND NOT EXISTS (SELECT 1 FROM outbox d WHERE d.portal_id = e.portal_id AND d.kind = e.kind AND d.due_at <= $3)`,
    [Object.keys(FLUSHES), deps.clock.now(), new Date(deps.clock.now().getTime() + PROBE_MS), `${REJECTED_PREFIX}%`],
  );
  return r.rowCount;
}

/** Starts the loop; it stops by itself when the job queue stops (server shutdown). */
export function startFlushTicker(deps: AppDeps, intervalMs = 1000): void {
  const log = deps.logger.child({ module: 'writeback-ticker' });
  let running = false;
  let stopped = false;
  let lastProbe = Date.now();
  const tick = async () => {
    if (Date.now() - lastProbe >= PROBE_MS) {
      lastProbe = Date.now();
      await probeWaitingPortals(deps);
    }
    await queueDueFlushes(deps);
  };
  const timer = setInterval(() => {
    if (running || stopped) return;
    running = true;
    tick()
      .catch((err) => {
        if (!stopped) log.warn({ err }, 'could not look for due write-backs; trying again next tick');
      })
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  deps.jobs.boss.once('stopped', () => {
    stopped = true;
    clearInterval(timer);
  });
}
