import type { AppDeps } from '../core';
import type { Feature, WebhookHandler } from '../core';
import type { QueueDefinition } from '../jobs';
import { eventKind } from '../core';
import { markEventProcessed, noteEventFailure, pendingEvents, stalePendingEventIds } from './events.repo';
import { PROCESS_QUEUE } from './ingest';

export const SWEEP_QUEUE = 'webhooks.sweep';

/**
 * Processes stored events in the order they happened. Each event is handled by every feature that claims it;
 * an event whose handler fails stays pending and the job is retried, while the events that succeeded are done.
 */
async function processEvents(deps: AppDeps, handlers: WebhookHandler[], ids: string[]): Promise<void> {
  const pending = await pendingEvents(deps.db, ids);
  const log = deps.logger.child({ module: 'webhooks' });
  let failed = 0;
  for (const stored of pending) {
    const event = stored.event;
    const matching = handlers.filter((h) => h.matches(event));
    try {
      for (const h of matching) await h.handle(event, deps);
      await markEventProcessed(deps.db, stored.id, matching.length > 0 ? 'done' : 'ignored');
      deps.metrics.webhookEvents.inc({ outcome: matching.length > 0 ? 'processed' : 'ignored' });
    } catch (err) {
      failed++;
      log.warn({ err, eventId: stored.id, kind: eventKind(event) }, 'webhook event failed; it will be retried');
      await noteEventFailure(deps.db, stored.id, String((err as Error).message));
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
        const ids = await stalePendingEventIds(deps.db);
        if (ids.length > 0) await deps.jobs.send(PROCESS_QUEUE, { ids });
      },
    },
  ];
}
