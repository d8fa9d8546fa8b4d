import type { Feature } from '../core';
import { checkOpenTasks, taskDeletionHandler, taskStatusHandler } from './completion';
import { followUpOutbox } from './tasks';
import { outboxQueues, startOutboxTicker } from '../outbox';

export { openFollowUpsForCompany, openFollowUpsForContact } from './open-follow-ups.repo';
export { flushFollowUps, followUpOutbox } from './tasks';
export const FOLLOW_UPS_CHECK_QUEUE = 'follow-ups.check';

/**
 * Close the loop: a HubSpot task for every answer that needs a follow-up (per-category rules from settings),
 * kept in step with changed answers, and marked completed when someone completes it in HubSpot.
 */
export const followUpsFeature: Feature = {
  name: 'follow-ups',
  queues: (deps) => [
    ...outboxQueues(deps, [followUpOutbox]),
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
    if (deps.config.runWorkers)
      // Probed like the write-back (src/responses/ticker.ts), so tasks do not sit out a long backoff after an outage.
      startOutboxTicker(deps, { name: 'follow-ups', kinds: [followUpOutbox], intervalMs: 2000, probeMs: 15_000 });
  },
};
