import type { Feature } from '../core';
import { registerAssets } from '../core';
import { outboxQueues, startOutboxTicker } from '../outbox';
import { alertAnswerOutbox, alertDigestOutbox, alertSendOutbox } from './alert-outbox';
import { disabledWebhooks } from './alerts.repo';
import { reportDisabledWebhook } from './deliver';
import { alertSettingsSections } from './settings-sections';
import { registerWebhookRoutes } from './webhook.routes';

// Detractor alerts: an email to the contact owner and/or a Slack or Teams message when an answer matches the
// portal's alert rules, at once or as a daily digest. Planned from the answer's own transaction (the
// alert-answer outbox item src/responses marks), delivered through the outbox (alert-outbox.ts).

const kinds = [alertAnswerOutbox, alertSendOutbox, alertDigestOutbox];

export { alertAnswerOutbox, alertDigestOutbox, alertSendOutbox } from './alert-outbox';

export const alertsFeature: Feature = {
  name: 'alerts',
  routes(router, deps) {
    registerWebhookRoutes(router, deps, registerAssets(router));
  },
  queues: (deps) => outboxQueues(deps, kinds),
  settingsSections: alertSettingsSections,
  async start(deps) {
    // Disabled webhooks stay on /healthz across restarts (the problem list lives in memory).
    for (const w of await disabledWebhooks(deps.db)) reportDisabledWebhook(deps, w.portalId, w.disabled?.reason ?? '');
    if (deps.config.runWorkers) startOutboxTicker(deps, { name: 'alerts', kinds, intervalMs: 2000 });
  },
};
