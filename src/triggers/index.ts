import type { Feature } from '../core';
import { invitationRoutes } from './invitations.routes';
import { milestoneWebhookHandlers } from './milestones';
import { RELATIONSHIP_QUEUE, runRelationshipSurveysForAll } from './relationship';

export { scheduleInvitation } from './schedule';
export { evaluateFatigue, type FatigueDecision } from './fatigue';
export { isSmsOptedOut, loadFatigueInput } from './fatigue.repo';
export { duplicatesSuppressed } from './metrics';

/** Milestone triggers (deal/ticket stage webhooks), relationship cadence, and the invitations/skips API. */
export const triggersFeature: Feature = {
  name: 'triggers',
  webhookHandlers: milestoneWebhookHandlers,
  routes: invitationRoutes,
  queues: (deps) => [
    {
      name: RELATIONSHIP_QUEUE,
      retryLimit: 3,
      expireInSeconds: 3600,
      handle: async () => {
        await runRelationshipSurveysForAll(deps);
      },
    },
  ],
  async start(deps) {
    // Hourly: a contact becomes due at most an hour late, and each run only touches the ones that are due.
    await deps.jobs.schedule(RELATIONSHIP_QUEUE, '17 * * * *');
  },
};
