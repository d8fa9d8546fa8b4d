import type { Feature } from '../core';
import { requireHubSpotSignature } from '../shared';
import { startOutboxTicker } from '../jobs/outbox-ticker';
import { flushWorkflowCallbacks, sweepWaitingCallbacks, WORKFLOW_CALLBACK_KIND } from './callbacks';
import { executeSendSurvey } from './execute';
import { parseExecution } from './payload';

export { flushWorkflowCallbacks, sweepWaitingCallbacks } from './callbacks';
export { executeSendSurvey } from './execute';

export const SEND_SURVEY_PATH = '/hubspot/workflow-actions/send-survey';
export const CALLBACKS_FLUSH_QUEUE = 'workflow-action.callbacks';
export const CALLBACKS_SWEEP_QUEUE = 'workflow-action.sweep';

/**
 * The "Send NPS survey" custom workflow action (extensions/app/workflow-actions): sends a survey to the enrolled
 * contact and either continues at once or blocks until the contact answers or the wait runs out.
 */
export const workflowActionFeature: Feature = {
  name: 'workflow-action',
  routes(router, deps) {
    router.post(
      SEND_SURVEY_PATH,
      // HubSpot documents v2 for custom actions; v3 is checked whenever its headers are present.
      requireHubSpotSignature({
        clientSecret: deps.config.hubspot.clientSecret,
        publicBaseUrl: deps.config.publicBaseUrl,
        allowLegacy: ['v2'],
        now: () => deps.clock.now().getTime(),
      }),
      async (req, res) => {
        const execution = parseExecution(req.body);
        res.json(await executeSendSurvey(deps, execution));
      },
    );
  },
  queues: (deps) => [
    {
      name: CALLBACKS_FLUSH_QUEUE,
      retryLimit: 2,
      retryDelaySeconds: 1,
      handle: async (data: { portalId?: number }) => {
        await flushWorkflowCallbacks(deps, { portalId: data.portalId === undefined ? undefined : Number(data.portalId) });
      },
    },
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
    if (deps.config.runWorkers) startOutboxTicker(deps, { name: 'workflow-callbacks', routes: [{ kind: WORKFLOW_CALLBACK_KIND, queue: CALLBACKS_FLUSH_QUEUE }], intervalMs: 2000 });
  },
};
