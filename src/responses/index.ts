import type { AppDeps } from '../core';
import type { Feature } from '../core';
import { listActivePortalIds } from '../core';
import { sweepExpiredScores } from './expiry';
import { portalSetupQueue, requestSetupForPortals } from './setup';
import { flushQueues, startFlushTicker } from './ticker';

const MAINTENANCE_QUEUE = 'responses.maintenance';

/** Hourly: clear scores that expired since the last sweep, and re-queue setups that have not landed yet. */
async function maintenance(deps: AppDeps): Promise<void> {
  const now = deps.clock.now();
  for (const portalId of await listActivePortalIds(deps.db)) await sweepExpiredScores(deps, portalId, now);
  await requestSetupForPortals(deps, { onlyIncomplete: true });
}

/**
 * Answers back to HubSpot: portal setup (properties + segmentation lists), contact property write-back and
 * company NPS, both flushed from the outbox in coalesced batches.
 */
export const responsesFeature: Feature = {
  name: 'responses',
  queues: (deps) => [
    portalSetupQueue(deps),
    ...flushQueues(deps),
    { name: MAINTENANCE_QUEUE, retryLimit: 3, handle: () => maintenance(deps) },
  ],
  async start(deps) {
    // Queued, not awaited against HubSpot: an outage must not keep the app from starting.
    await requestSetupForPortals(deps, { onlyIncomplete: false });
    await deps.jobs.schedule(MAINTENANCE_QUEUE, '17 * * * *');
    if (deps.config.runWorkers) startFlushTicker(deps);
  },
};

export { companyCounts, companySummary } from './company-nps';
export { currentAnswer } from './contact-properties';
export { AT_RISK_DROP, previousAnswer, scoreChange } from './score-change.rules';
export { recordResponse, recordSurveyAnswer } from './record';
// The write-back kinds, for features whose changes alter what they write (a contact merge, an erasure, a survey sent).
export { contactPropertiesOutbox } from './writeback';
export { companyRollupOutbox } from './company-rollup';
// The CSV reader, shared with the eNPS employee list (src/enps).
export { CsvSyntaxError, parseCsv } from './csv';
