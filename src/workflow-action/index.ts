import type { Feature } from '../core';
import { requireHubSpotSignature } from '../shared';
import { outboxQueues, startOutboxTicker } from '../outbox';
import { sweepWaitingCallbacks, workflowCallbackOutbox } from './callbacks';
import { executeWithinDeadline } from './execute';
import { parseExecution } from './payload';
import { answerOnce } from './v2-replay';

export { flushWorkflowCallbacks, sweepWaitingCallbacks, workflowCallbackOutbox } from './callbacks';
export { SELF_TEST_CALLBACK_PREFIX } from './payload';
export { SEND_SURVEY_PATH };
const SEND_SURVEY_PATH = '/hubspot/workflow-actions/send-survey';
const CALLBACKS_SWEEP_QUEUE = 'workflow-action.sweep';

/**
 * The "Send NPS survey" custom workflow action (extensions/app/workflow-actions): sends a survey to the enrolled
 * contact and either continues at once or blocks until the contact answers or the wait runs out.
 */
export function createWorkflowActionFeature(opts: { deadlineMs?: number } = {}): Feature {
  return {
    name: 'workflow-action',
    routes(router, deps) {
      router.post(
        SEND_SURVEY_PATH,
        // HubSpot documents v2 for custom actions; v3 is checked whenever its header is present, and must then
        // verify (no fallback to v2). v2 has no timestamp: replays are made harmless in v2-replay.ts.
        requireHubSpotSignature({
          clientSecret: deps.config.hubspot.clientSecret,
          publicBaseUrl: deps.config.publicBaseUrl,
          allowLegacy: ['v2'],
          now: () => deps.clock.now().getTime(),
        }),
        async (req, res) => {
          const execution = parseExecution(req.body);
          res.json(
            await answerOnce(deps, req, execution, () => executeWithinDeadline(deps, execution, opts.deadlineMs)),
          );
        },
      );
    },
    queues: (deps) => [
      ...outboxQueues(deps, [workflowCallbackOutbox]),
      {
        name: CALLBACKS_SWEEP_QUEUE,
        retryLimit: 1,
        handle: async () => {
          await sweepWaitingCallbacks(deps);
        },
      },
    ],
    async start(deps) {
      await deps.jobs.schedule(CALLBACKS_SWEEP_QUEUE, '* * * * *');
      if (deps.config.runWorkers)
        startOutboxTicker(deps, { name: 'workflow-callbacks', kinds: [workflowCallbackOutbox], intervalMs: 2000 });
    },
  };
}

export const workflowActionFeature: Feature = createWorkflowActionFeature();
