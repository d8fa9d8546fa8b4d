import type { Feature } from '../core';
import { checkOpenTasks, taskDeletionHandler, taskStatusHandler } from './completion';
import { FOLLOW_UP_KIND, flushFollowUps } from './tasks';
import { startOutboxTicker } from '../jobs/outbox-ticker';

export { openFollowUpsForCompany, openFollowUpsForContact, type OpenFollowUp } from './open-follow-ups.repo';
export { flushFollowUps } from './tasks';
export { checkOpenTasks, applyTaskStatus } from './completion';

export const FOLLOW_UPS_FLUSH_QUEUE = 'follow-ups.flush';
export const FOLLOW_UPS_CHECK_QUEUE = 'follow-ups.check';

/**
 * Close the loop: a HubSpot task for every answer that needs a follow-up (per-category rules from settings),
 * kept in step with changed answers, and marked completed when someone completes it in HubSpot.
 */
export const followUpsFeature: Feature = {
  name: 'follow-ups',
  queues: (deps) => [
    {
      name: FOLLOW_UPS_FLUSH_QUEUE,
      // The outbox is what makes a task durable; a failed job only needs the next tick.
      retryLimit: 2,
      retryDelaySeconds: 1,
      expireInSeconds: 600,
      concurrency: 2,
      handle: async (data: { portalId?: number }) => {
        await flushFollowUps(deps, { portalId: data.portalId === undefined ? undefined : Number(data.portalId) });
      },
    },
    {
      name: FOLLOW_UPS_CHECK_QUEUE,
      retryLimit: 1,
      handle: async () => {
        await checkOpenTasks(deps);
      },
    },
  ],
  webhookHandlers: [taskStatusHandler, taskDeletionHandler],
  async start(deps) {
    // Webhooks are the fast path for completions; this catches any HubSpot did not deliver.
    await deps.jobs.schedule(FOLLOW_UPS_CHECK_QUEUE, '*/5 * * * *');
    if (deps.config.runWorkers) startOutboxTicker(deps, { name: 'follow-ups', routes: [{ kind: FOLLOW_UP_KIND, queue: FOLLOW_UPS_FLUSH_QUEUE }], intervalMs: 2000 });
  },
};
