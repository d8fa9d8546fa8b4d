import type { AppDeps } from '../core/deps';
import type { QueueDefinition } from '../jobs/queue';
import { startOutboxTicker } from '../jobs/outbox-ticker';
import { flushCompanyRollups } from './company-rollup';
import type { FlushOutcome } from './outbox-flush';
import { REJECTED_PREFIX } from './write-failures';
import { flushContactProperties } from './writeback';

// The write-back queues (contact properties, company rollups), drained by the shared outbox ticker.

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

/** Write-back ticks every second; a portal stuck in backoff is probed every PROBE_MS (see above). */
export function startFlushTicker(deps: AppDeps): void {
  let lastProbe = Date.now();
  startOutboxTicker(deps, {
    name: 'writeback',
    routes: Object.entries(FLUSHES).map(([kind, f]) => ({ kind, queue: f.queue })),
    intervalMs: 1000,
    beforeTick: async () => {
      if (Date.now() - lastProbe < PROBE_MS) return;
      lastProbe = Date.now();
      await probeWaitingPortals(deps);
    },
  });
}
