// Survey page under load: the real app on PGlite (in memory) and on Postgres, thousands of sent invitations,
// then GET /s/:token and POST /s/:token (a form answer, a comment included) at a fixed arrival rate from this
// process over keep-alive connections. Latency is measured from each request's planned start, so a stalled
// server shows up in the percentiles instead of quietly lowering the rate (no coordinated omission).
import { keepAliveAgent, send } from './http';
import { loadConfig } from '../src/config/env';
import { startServer, type RunningServer } from '../src/server';
import { silentLogger } from '../src/shared/logger';
import { openDb } from '../src/storage/db';
import { createSurveyToken } from '../src/surveys/links';
import { percentile, type BenchContext, type BenchRow, type Scenario } from './scenario';

const PORTAL = 4747;
const SIGNING_KEY = 'bench-signing-key-0123456789';
const RATE = 200;
const WARMUP_SECONDS = 1;

async function seed(app: RunningServer, count: number): Promise<string[]> {
  const db = app.deps.db;
  await db.query(
    `INSERT INTO contacts (portal_id, contact_id, email, firstname, language)
     SELECT $1, g, 'r' || g || '@example.com', 'R' || g, (ARRAY['en', 'da', 'sv', 'de'])[1 + g % 4] FROM generate_series(1, $2) g`,
    [PORTAL, count],
  );
  const r = await db.query<{ id: string; expires_at: Date | string }>(
    `INSERT INTO invitations (portal_id, contact_id, trigger, milestone_key, status, scheduled_for, sent_at, expires_at)
     SELECT $1, g, 'deal', 'bench:' || g, 'sent', now(), now(), date_trunc('second', now()) + interval '30 days' FROM generate_series(1, $2) g
     RETURNING id, expires_at`,
    [PORTAL, count],
  );
  return r.rows.map((row) => createSurveyToken(SIGNING_KEY, { portalId: PORTAL, invitationId: row.id, expiresAt: new Date(row.expires_at) }));
}

interface Load {
  latencies: number[];
  failures: number;
  achievedRps: number;
}

/** Starts `rate` requests per second for `seconds`, without waiting for earlier ones to finish. */
async function openLoop(rate: number, seconds: number, request: (i: number) => Promise<boolean>): Promise<Load> {
  const latencies: number[] = [];
  let failures = 0;
  const inFlight: Promise<void>[] = [];
  const total = Math.round(rate * seconds);
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const planned = t0 + (i * 1000) / rate;
    const wait = planned - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(
      request(i).then(
        (ok) => {
          latencies.push(performance.now() - planned);
          if (!ok) failures++;
        },
        () => {
          latencies.push(performance.now() - planned);
          failures++;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  return { latencies, failures, achievedRps: Math.round(total / ((performance.now() - t0) / 1000)) };
}

/** Mean time of one request with nothing else in flight: the cost the arrival rate has to fit into. */
async function serviceTime(count: number, request: (i: number) => Promise<boolean>): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < count; i++) await request(i);
  return Math.round(((performance.now() - t0) / count) * 100) / 100;
}

function row(what: string, engine: string, load: Load, serviceMs: number, targetP99?: number): BenchRow {
  const p99 = percentile(load.latencies, 99);
  return {
    name: `${what} at ${RATE} req/s on ${engine}`,
    figures: {
      requests: load.latencies.length, achieved_rps: load.achievedRps, p50_ms: percentile(load.latencies, 50), p95_ms: percentile(load.latencies, 95),
      p99_ms: p99, max_ms: percentile(load.latencies, 100), failures: load.failures, serial_service_ms: serviceMs,
    },
    ...(targetP99 !== undefined ? { target: `p99 < ${targetP99} ms at ${RATE} req/s`, met: p99 < targetP99 && load.failures === 0 && load.achievedRps >= RATE * 0.95 } : {}),
  };
}

async function runOn(engine: 'pglite' | 'postgres', ctx: BenchContext): Promise<BenchRow[]> {
  const schema = `bench_survey_${Date.now().toString(36)}`;
  const seconds = ctx.quick ? 3 : 15;
  const config = loadConfig({
    PORT: '0', PUBLIC_BASE_URL: 'https://nps.bench', DATABASE_URL: engine === 'postgres' ? ctx.databaseUrl : undefined,
    HUBSPOT_ACCESS_TOKEN: 'bench-token', HUBSPOT_PORTAL_ID: String(PORTAL), HUBSPOT_CLIENT_SECRET: 'bench-client-secret-0123456789',
    SURVEY_SIGNING_KEY: SIGNING_KEY, ENCRYPTION_KEY: 'bench-encryption-key-0123456789', LOG_LEVEL: 'silent', RUN_WORKERS: 'false',
    SMTP_URL: 'smtp://127.0.0.1:1',
  });
  const app = await startServer(config, { logger: silentLogger, inMemory: true, dbSchema: engine === 'postgres' ? schema : undefined });
  const agent = keepAliveAgent(64);
  try {
    // Every POST answers a different invitation (the first answer is the expensive one: insert, status, outbox).
    const tokens = await seed(app, Math.round(RATE * (seconds + WARMUP_SECONDS)) + 300);
    ctx.log(`${engine}: ${tokens.length} invitations seeded`);
    const get = (i: number) => send(`${app.url}/s/${tokens[i % tokens.length]}?score=${i % 11}`, { agent }).then((r) => r.status === 200);
    let next = 0;
    const post = () => {
      const token = tokens[next++ % tokens.length]!;
      const body = new URLSearchParams({ score: String(next % 11), comment: 'Good service, slow invoices. '.repeat(4) }).toString();
      return send(`${app.url}/s/${token}`, { method: 'POST', agent, body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }).then((r) => r.status === 303);
    };
    await openLoop(RATE, WARMUP_SECONDS, get);
    const getService = await serviceTime(200, get);
    const gets = await openLoop(RATE, seconds, get);
    await openLoop(RATE, WARMUP_SECONDS, post);
    const postService = await serviceTime(200, post);
    const posts = await openLoop(RATE, seconds, post);
    const recorded = await app.deps.db.query<{ n: string }>('SELECT count(*) AS n FROM responses WHERE portal_id = $1', [PORTAL]);
    ctx.log(`${engine}: ${recorded.rows[0]?.n} answers recorded`);
    return [row('GET /s/:token (survey page)', engine, gets, getService), row('POST /s/:token (record answer)', engine, posts, postService, 50)];
  } finally {
    agent.destroy();
    await app.stop();
    if (engine === 'postgres') {
      const admin = await openDb({ databaseUrl: ctx.databaseUrl });
      await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP SCHEMA IF EXISTS ${schema}_jobs CASCADE`);
      await admin.close();
    }
  }
}

export const scenario: Scenario = {
  name: 'survey-page',
  async run(ctx) {
    const rows = await runOn('pglite', ctx);
    if (ctx.databaseUrl) rows.push(...(await runOn('postgres', ctx)));
    return rows;
  },
};
