import type { Feature } from '../core';
import { outboxQueues, startOutboxTicker } from '../outbox';
import { runEnpsCycle } from './cycle';
import { enpsDashboardRoutes } from './dashboard.routes';
import { enpsMailOutbox } from './mail';
import { enpsSettingsSection } from './settings.section';
import { enpsSurveyRoutes } from './survey.routes';

export { runEnpsCycle } from './cycle';
export { enpsMailOutbox } from './mail';
export { enpsTvTile } from './tv-tile';

const CYCLE_QUEUE = 'enps.cycle';

/**
 * eNPS: employee Net Promoter Score for the portal's own people, anonymous by construction (README "eNPS and
 * anonymity"). Waves open, remind and close on the cycle job; mail goes through the outbox; results are on
 * /dashboard/enps; employees answer on /e/:token.
 */
export const enpsFeature: Feature = {
  name: 'enps',
  routes(router, deps) {
    enpsSurveyRoutes(router, deps);
    enpsDashboardRoutes(router, deps);
  },
  queues: (deps) => [
    ...outboxQueues(deps, [enpsMailOutbox]),
    {
      name: CYCLE_QUEUE,
      retryLimit: 2,
      handle: async () => {
        await runEnpsCycle(deps);
      },
    },
  ],
  settingsSections: [enpsSettingsSection],
  async start(deps) {
    await deps.jobs.schedule(CYCLE_QUEUE, '*/5 * * * *');
    if (deps.config.runWorkers)
      startOutboxTicker(deps, { name: 'enps-mail', kinds: [enpsMailOutbox], intervalMs: 5000 });
  },
};
