import type { AppDeps } from '../core';
import type { Feature } from '../core';
import { runDeliveryCycle } from './delivery';
import { createMailer } from './mailer';

import { surveyPageRoutes } from './page.routes';
import { outboxQueues, startOutboxTicker } from '../outbox';
import { thankYouEmailOutbox } from './thank-you-email';

// Survey delivery and the survey page. Delivery runs as a job, `surveys.tick`, on 15-second wall-clock
// boundaries: each run claims what is due (sends, reminders, expiries) and queues the run for the next boundary.
// The next run is queued with a pg-boss singleton slot (singletonKey + singletonSeconds): whichever copy of the
// app queues it first during a slot wins and the others' inserts are dropped, so any number of copies share one
// cadence. A per-minute cron restarts the chain should it break (e.g. the database was down as a run ended).
// Jobs live in the database, so the cadence survives restarts; the delivery claims make every send exactly-once.

export const TICK_QUEUE = 'surveys.tick';
const TICK_SECONDS = 15;

export const surveysFeature: Feature = {
  name: 'surveys',
  routes(router, deps) {
    surveyPageRoutes(router, deps);
  },
  queues(deps) {
    const mailer = createMailer(deps.config, deps.mailTransport);
    return [
      {
        name: TICK_QUEUE,
        retryLimit: 2,
        retryDelaySeconds: 5,
        expireInSeconds: 120,
        pollingIntervalSeconds: 2,
        async handle() {
          try {
            await runDeliveryCycle({ ...deps, mailer });
          } finally {
            await queueNextTick(deps);
          }
        },
      },
      ...outboxQueues(deps, [thankYouEmailOutbox]),
    ];
  },
  async start(deps) {
    await deps.jobs.schedule(TICK_QUEUE, '* * * * *');
    // One run right away (outside the slots), so surveys that fell due while no copy was running go out now; it
    // then joins the 15-second cadence.
    await deps.jobs.send(TICK_QUEUE, {});
    if (deps.config.runWorkers)
      startOutboxTicker(deps, { name: 'thank-you-email', kinds: [thankYouEmailOutbox], intervalMs: 2000 });
  },
};

/** Queues the run at the next 15-second boundary; a no-op when another run already claimed this slot. */
async function queueNextTick(deps: Pick<AppDeps, 'jobs'>): Promise<void> {
  const slotMs = TICK_SECONDS * 1000;
  const next = new Date((Math.floor(Date.now() / slotMs) + 1) * slotMs);
  await deps.jobs.send(TICK_QUEUE, {}, { startAfter: next, singletonKey: TICK_QUEUE, singletonSeconds: TICK_SECONDS });
}

// What the settings preview and test surveys render and send with: the same functions as real surveys.
export { resolveWording, missingTranslations, LANGUAGE_NAMES, WORDING_LABELS } from './wording';
export type { ResolvedWording } from './wording';
export { renderSurveyEmail } from './email.view';
export { renderSurveyForm } from './survey-form.view';
export { thanksBody, expiredBody, invalidBody } from './status-pages.view';
// The app's mailer, for other features' mail (alerts, wording test surveys).
export { createMailer, isPermanentMailFailure, type Mailer } from './mailer';
export { parseAnswer, scoreFromQuery } from './answer';
export { normaliseLanguage, translator, type SurveyLanguage } from './i18n';
// Shared with the eNPS survey (src/enps): the same mail path and the same respondent page frame.
export type { RenderedEmail } from './email.view';
export { sendPage as sendSurveyPage } from './page-layout.view';
export { accessibleAccent } from './colors';
