import type { Feature } from '../core';
import { outboxQueues, startOutboxTicker } from '../outbox';
import { smsSendOutbox } from './sms-outbox';
import { twilioRoutes } from './twilio.routes';

// Survey texts through Twilio: the sms-send outbox kind (queued by src/surveys when an SMS invitation or reminder
// falls due), Twilio's status and inbound webhooks, and the short survey links texts carry.

const kinds = [smsSendOutbox];

export const smsFeature: Feature = {
  name: 'sms',
  routes: twilioRoutes,
  queues: (deps) => outboxQueues(deps, kinds),
  async start(deps) {
    if (deps.config.runWorkers) startOutboxTicker(deps, { name: 'sms', kinds, intervalMs: 2000 });
  },
};

export { smsSendOutbox } from './sms-outbox';
