// Webhook ingest: signed 100-event deliveries at a sustained rate against the real app (workers off, so the
// figure is the acknowledgement path: verify → store → enqueue), on PGlite and on Postgres.
import { keepAliveAgent, send } from './http';
import { signV3 } from '../src/shared/signature';
import {
  percentile,
  type BenchContext,
  type BenchRow,
  type Scenario,
  dropBenchSchemas,
  startBenchApp,
} from './scenario';

const SECRET = 'bench-client-secret-0123456789';
const PUBLIC = 'https://nps.bench';
const PORTAL = 4242;

async function runOn(engine: 'pglite' | 'postgres', ctx: BenchContext): Promise<BenchRow> {
  const schema = `bench_ingest_${Date.now().toString(36)}`;
  const app = await startBenchApp(ctx, engine, schema, {
    PUBLIC_BASE_URL: PUBLIC,
    HUBSPOT_ACCESS_TOKEN: 'bench',
    HUBSPOT_PORTAL_ID: String(PORTAL),
    HUBSPOT_CLIENT_SECRET: SECRET,
    HUBSPOT_API_BASE_URL: 'http://127.0.0.1:9',
  });
  const eventsPerSecond = ctx.quick ? 1000 : 2000;
  const seconds = ctx.quick ? 5 : 20;
  const deliveriesPerSecond = eventsPerSecond / 100;
  const agent = keepAliveAgent(32);
  const latencies: number[] = [];
  let failures = 0;
  let seq = 0;
  const started = Date.now();
  const inflight: Promise<void>[] = [];
  for (let tick = 0; tick < seconds * deliveriesPerSecond; tick++) {
    const due = started + (tick * 1000) / deliveriesPerSecond;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const body = JSON.stringify(
      Array.from({ length: 100 }, () => {
        seq++;
        return {
          eventId: seq,
          subscriptionId: 1,
          portalId: PORTAL,
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
    const ts = Date.now();
    const sig = signV3(SECRET, 'POST', `${PUBLIC}/webhooks/hubspot`, body, ts);
    const t0 = performance.now();
    inflight.push(
      send(`${app.url}/webhooks/hubspot`, {
        method: 'POST',
        agent,
        body,
        headers: {
          'content-type': 'application/json',
          'x-hubspot-signature-v3': sig,
          'x-hubspot-request-timestamp': String(ts),
        },
      }).then(
        (res) => {
          latencies.push(performance.now() - t0);
          if (res.status !== 200) failures++;
        },
        () => void failures++,
      ),
    );
  }
  await Promise.all(inflight);
  const elapsed = (Date.now() - started) / 1000;
  const stored = Number(
    (await app.deps.db.query<{ n: string }>('SELECT count(*) AS n FROM webhook_events')).rows[0]!.n,
  );
  await app.stop();
  agent.destroy();
  if (engine === 'postgres' && ctx.databaseUrl) await dropBenchSchemas(ctx.databaseUrl, schema);
  const p99 = percentile(latencies, 99);
  return {
    name: `ack latency, 100-event deliveries on ${engine}`,
    figures: {
      offered_events_per_s: eventsPerSecond,
      achieved_events_per_s: Math.round(stored / elapsed),
      deliveries: latencies.length,
      p50_ms: percentile(latencies, 50),
      p99_ms: p99,
      failures,
      stored_events: stored,
    },
    target: engine === 'postgres' ? 'p99 < 100 ms at 2,000 events/s' : undefined,
    met: engine === 'postgres' ? p99 < 100 && failures === 0 && !ctx.quick : undefined,
  };
}

export const scenario: Scenario = {
  name: 'webhook-ingest',
  async run(ctx) {
    const rows: BenchRow[] = [];
    for (const engine of ctx.engines) rows.push(await runOn(engine, ctx));
    return rows;
  },
};
