// The webhook bench's load generator, run as a separate process so that building, signing and sending deliveries
// neither competes with the app for its event loop nor counts in its CPU time (HubSpot is another machine).
// An open loop: deliveries start at a fixed rate whether or not earlier ones were acknowledged, over at most
// `connections` keep-alive sockets (HubSpot's default of 10 in-flight requests per account), and each latency is
// measured from the delivery's planned start, so a stalled server shows in the percentiles (no coordinated
// omission). Usage: node --import tsx bench/webhook-ingest-load.ts '<LoadRequest as JSON>' → LoadResult as JSON.
import { keepAliveAgent, send } from './http';
import { loadProcessMain } from './load-process';
import { signV3 } from '../src/shared/signature';

export interface LoadRequest {
  appUrl: string;
  publicUrl: string;
  secret: string;
  portalId: number;
  eventsPerSecond: number;
  eventsPerDelivery: number;
  seconds: number;
  warmupSeconds: number;
  connections: number;
}

export interface LoadResult {
  latencies: number[];
  failures: number;
  failureReasons: Record<string, number>;
  elapsedSeconds: number;
  sentEvents: number;
  warmupDeliveries: number;
}

function deliveryBody(portalId: number, first: number, count: number): string {
  return JSON.stringify(
    Array.from({ length: count }, (_, i) => {
      const seq = first + i;
      return {
        eventId: seq,
        subscriptionId: 1,
        portalId,
        appId: 1,
        occurredAt: 1_760_000_000_000 + seq,
        subscriptionType: 'deal.propertyChange',
        attemptNumber: 0,
        objectId: seq,
        propertyName: 'dealstage',
        propertyValue: 'closedwon',
        changeSource: 'CRM_UI',
      };
    }),
  );
}

async function run(req: LoadRequest): Promise<LoadResult> {
  const agent = keepAliveAgent(req.connections);
  const url = `${req.appUrl}/webhooks/hubspot`;
  const signedUrl = `${req.publicUrl}/webhooks/hubspot`;
  let seq = 0;
  const openLoop = async (seconds: number) => {
    const latencies: number[] = [];
    const failureReasons: Record<string, number> = {};
    let failures = 0;
    const perSecond = req.eventsPerSecond / req.eventsPerDelivery;
    const total = Math.round(seconds * perSecond);
    const inFlight: Promise<void>[] = [];
    const t0 = performance.now();
    for (let i = 0; i < total; i++) {
      const planned = t0 + (i * 1000) / perSecond;
      const wait = planned - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const body = deliveryBody(req.portalId, seq + 1, req.eventsPerDelivery);
      seq += req.eventsPerDelivery;
      const ts = Date.now();
      const settle = (failure: string | null) => {
        latencies.push(performance.now() - planned);
        if (failure === null) return;
        failures++;
        failureReasons[failure] = (failureReasons[failure] ?? 0) + 1;
      };
      inFlight.push(
        send(url, {
          method: 'POST',
          agent,
          body,
          headers: {
            'content-type': 'application/json',
            'x-hubspot-signature-v3': signV3(req.secret, 'POST', signedUrl, body, ts),
            'x-hubspot-request-timestamp': String(ts),
          },
        }).then(
          (res) => settle(res.status === 200 ? null : `status ${res.status}`),
          (err: Error) => settle(err.message),
        ),
      );
    }
    await Promise.all(inFlight);
    return { latencies, failures, failureReasons, elapsedSeconds: (performance.now() - t0) / 1000 };
  };
  try {
    const warmup = await openLoop(req.warmupSeconds);
    const sentBefore = seq;
    const measured = await openLoop(req.seconds);
    return { ...measured, sentEvents: seq - sentBefore, warmupDeliveries: warmup.latencies.length };
  } finally {
    agent.destroy();
  }
}

loadProcessMain(import.meta.url, run);
