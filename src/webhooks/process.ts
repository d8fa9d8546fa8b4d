import type { AppDeps } from '../core';
import type { Feature, WebhookHandler } from '../core';
import type { QueueDefinition } from '../jobs';
import { eventKind, type WebhookEvent } from '../core';
import { PROCESS_QUEUE } from './ingest';

export const SWEEP_QUEUE = 'webhooks.sweep';

interface EventRow { id: string; payload: WebhookEvent; attempts: number }

/**
 * Processes stored events in the order they happened. Each event is handled by every feature that claims it;
 * an event whose handler fails stays pending and the job is retried, while the events that succeeded are done.
 */
export async function processEvents(deps: AppDeps, handlers: WebhookHandler[], ids: string[]): Promise<void> {
  const r = await deps.db.query<EventRow>(
    `SELECT id, payload, attempts FROM webhook_events WHERE id = ANY($1::bigint[]) AND status = 'pending' ORDER BY occurred_at, id`,
    [ids],
  );
  const log = deps.logger.child({ module: 'webhooks' });
  let failed = 0;
  for (const row of r.rows) {
    const event = row.payload;
    const matching = handlers.filter((h) => h.matches(event));
    try {
      for (const h of matching) await h.handle(event, deps);
      await deps.db.query(`UPDATE webhook_events SET status = $2, processed_at = now(), attempts = attempts + 1, error = NULL WHERE id = $1`, [row.id, matching.length > 0 ? 'done' : 'ignored']);
      deps.metrics.webhookEvents.inc({ outcome: matching.length > 0 ? 'processed' : 'ignored' });
    } catch (err) {
      failed++;
      log.warn({ err, eventId: row.id, kind: eventKind(event) }, 'webhook event failed; it will be retried');
      await deps.db.query(`UPDATE webhook_events SET attempts = attempts + 1, error = $2 WHERE id = $1`, [row.id, String((err as Error).message).slice(0, 500)]);
    }
  }
  if (failed > 0) throw new Error(`${failed} webhook event(s) failed and will be retried`);
}

export function webhookQueues(deps: AppDeps, features: Feature[]): QueueDefinition<any>[] {
  const handlers = features.flatMap((f) => f.webhookHandlers ?? []);
  return [
    {
      name: PROCESS_QUEUE,
      concurrency: 2,
      retryLimit: 8,
      // A job whose process died is retried once it expires; handlers are idempotent, so an overlap is harmless.
      expireInSeconds: 120,
      handle: (data: { ids: string[] }) => processEvents(deps, handlers, data.ids),
    },
    {
      // Safety net: events left pending (a job that ran out of retries) are re-queued, so nothing acknowledged is lost.
      name: SWEEP_QUEUE,
      handle: async () => {
        const r = await deps.db.query<{ id: string }>(
          `SELECT id FROM webhook_events WHERE status = 'pending' AND received_at < now() - interval '5 minutes' ORDER BY id LIMIT 500`,
        );
        if (r.rows.length > 0) await deps.jobs.send(PROCESS_QUEUE, { ids: r.rows.map((x) => x.id) });
      },
    },
  ];
}
