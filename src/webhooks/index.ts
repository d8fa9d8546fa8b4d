import type { Feature } from '../core';
import { BadRequestError } from '../shared';
import { requireHubSpotSignature } from '../shared';
import { ingestDelivery } from './ingest';
import { SWEEP_QUEUE } from './process';

const MAX_EVENTS = 100;

/** POST /webhooks/hubspot: verify, store durably, acknowledge; the work happens on the queue. */
export const webhooksFeature: Feature = {
  name: 'webhooks',
  routes(router, deps) {
    router.post(
      '/webhooks/hubspot',
      requireHubSpotSignature({
        clientSecret: deps.config.hubspot.clientSecret,
        publicBaseUrl: deps.config.publicBaseUrl,
        now: () => deps.clock.now().getTime(),
      }),
      async (req, res) => {
        const body: unknown = req.body;
        if (!Array.isArray(body))
          throw new BadRequestError('webhook body must be a JSON array of events', undefined, 'not_an_array');
        if (body.length > MAX_EVENTS)
          throw new BadRequestError(
            `a delivery holds at most ${MAX_EVENTS} events; got ${body.length}`,
            undefined,
            'too_many_events',
          );
        const result = await ingestDelivery(deps, body);
        for (const m of result.malformed)
          req.log?.warn({ index: m.index, reason: m.reason }, 'skipped malformed webhook event');
        deps.metrics.webhookEvents.inc({ outcome: 'accepted' }, result.accepted);
        deps.metrics.webhookEvents.inc({ outcome: 'duplicate' }, result.duplicates);
        deps.metrics.webhookEvents.inc({ outcome: 'malformed' }, result.malformed.length);
        // 2xx even for events we skip: HubSpot would otherwise retry them for a day.
        res.status(200).json(result);
      },
    );
  },
  async start(deps) {
    await deps.jobs.schedule(SWEEP_QUEUE, '* * * * *');
  },
};
