// Webhook ingest: signed deliveries of 100 events (HubSpot batches up to 100 events per request) at a sustained
// rate against the real app (workers off, so the figure is the acknowledgement path: verify → store → enqueue),
// sent from a separate load-generator process (bench/webhook-ingest-load.ts). Judged on Postgres at 5,000
// events/s; PGlite runs at 2,000 events/s for reference.
import { runLoadProcess } from './load-process';
import type { LoadRequest, LoadResult } from './webhook-ingest-load';
import {
  percentile,
  ratioTo,
  type BenchContext,
  type BenchRow,
  type Scenario,
  dropBenchSchemas,
  startBenchApp,
} from './scenario';

const SECRET = 'bench-client-secret-0123456789';
const PUBLIC = 'https://nps.bench';
const PORTAL = 4242;
const EVENTS_PER_DELIVERY = 100;
/** HubSpot's default limit of in-flight webhook requests per installing account. */
const CONNECTIONS = 10;
const TARGET = { eventsPerSecond: 5000, p99Ms: 50 };

async function runOn(engine: 'pglite' | 'postgres', ctx: BenchContext): Promise<BenchRow> {
  const schema = `bench_ingest_${Date.now().toString(36)}`;
  const app = await startBenchApp(ctx, engine, schema, {
    PUBLIC_BASE_URL: PUBLIC,
    HUBSPOT_ACCESS_TOKEN: 'bench',
    HUBSPOT_PORTAL_ID: String(PORTAL),
    HUBSPOT_CLIENT_SECRET: SECRET,
    HUBSPOT_API_BASE_URL: 'http://127.0.0.1:9',
  });
  const judged = engine === 'postgres';
  const eventsPerSecond = judged ? TARGET.eventsPerSecond : 2000;
  try {
    const cpuBefore = process.cpuUsage();
    const load = await runLoadProcess<LoadRequest, LoadResult>(new URL('./webhook-ingest-load.ts', import.meta.url), {
      appUrl: app.url,
      publicUrl: PUBLIC,
      secret: SECRET,
      portalId: PORTAL,
      eventsPerSecond,
      eventsPerDelivery: EVENTS_PER_DELIVERY,
      seconds: ctx.quick ? 5 : 20,
      warmupSeconds: 1,
      connections: CONNECTIONS,
    });
    const cpu = process.cpuUsage(cpuBefore);
    const stored = Number(
      (await app.deps.db.query<{ n: string }>('SELECT count(*) AS n FROM webhook_events')).rows[0]!.n,
    );
    const p99 = percentile(load.latencies, 99);
    return {
      name: `ack latency, ${EVENTS_PER_DELIVERY}-event deliveries at ${eventsPerSecond.toLocaleString('en')} events/s on ${engine}`,
      figures: {
        offered_events_per_s: eventsPerSecond,
        achieved_events_per_s: Math.round(load.sentEvents / load.elapsedSeconds),
        deliveries: load.latencies.length,
        p50_ms: percentile(load.latencies, 50),
        p95_ms: percentile(load.latencies, 95),
        p99_ms: p99,
        max_ms: percentile(load.latencies, 100),
        failures: load.failures,
        ...(load.failures > 0
          ? {
              failed_with: Object.entries(load.failureReasons)
                .map(([why, n]) => `${n}× ${why}`)
                .join('; '),
            }
          : {}),
        stored_events: stored,
        // CPU time of the app process (with PGlite, the database too) per delivery, warm-up included: hardly moved
        // by other load on the machine, unlike the latencies.
        app_cpu_ms_per_delivery:
          Math.round(((cpu.user + cpu.system) / 1000 / (load.latencies.length + load.warmupDeliveries)) * 100) / 100,
      },
      ...(judged
        ? {
            target: `p99 < ${TARGET.p99Ms} ms at ${TARGET.eventsPerSecond.toLocaleString('en')} events/s`,
            ratio: ratioTo(p99, TARGET.p99Ms),
            met: p99 < TARGET.p99Ms && load.failures === 0 && !ctx.quick,
          }
        : {}),
    };
  } finally {
    await app.stop();
    if (engine === 'postgres' && ctx.databaseUrl) await dropBenchSchemas(ctx.databaseUrl, schema);
  }
}

export const scenario: Scenario = {
  name: 'webhook-ingest',
  async run(ctx) {
    const rows: BenchRow[] = [];
    for (const engine of ctx.engines) rows.push(await runOn(engine, ctx));
    return rows;
  },
};
