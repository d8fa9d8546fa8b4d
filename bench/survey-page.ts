// Survey page under load: the real app on PGlite (in memory) and on Postgres, thousands of sent invitations,
// then GET /s/:token and POST /s/:token (a form answer, a comment included) at a fixed arrival rate from a
// separate load-generator process (bench/survey-page-load.ts) over keep-alive connections.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/env';
import { startServer, type RunningServer } from '../src/server';
import { silentLogger } from '../src/shared/logger';
import { openDb } from '../src/storage/db';
import { createSurveyToken } from '../src/surveys/links';
import { startInsightsFolding } from '../src/insights/catch-up';
import type { Load, LoadRequest, LoadResult } from './survey-page-load';
import { runLoadProcess } from './load-process';
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
  // The other workers need HubSpot; the insights fold runs here as in production, so its cost is in the figures.
  startInsightsFolding(app.deps);
  const dir = mkdtempSync(join(tmpdir(), 'nps-bench-survey-'));
  try {
    const tokens = await seed(app, Math.round(RATE * (seconds + WARMUP_SECONDS)) + 300);
    ctx.log(`${engine}: ${tokens.length} invitations seeded`);
    const tokensFile = join(dir, 'tokens.json');
    writeFileSync(tokensFile, JSON.stringify(tokens));
    const load = await runLoadProcess<LoadRequest, LoadResult>(new URL('./survey-page-load.ts', import.meta.url), { appUrl: app.url, tokensFile, rate: RATE, seconds, warmupSeconds: WARMUP_SECONDS, serialRequests: 200 });
    const recorded = await app.deps.db.query<{ n: string }>('SELECT count(*) AS n FROM responses WHERE portal_id = $1', [PORTAL]);
    const pending = await app.deps.db.query<{ n: string }>('SELECT count(*) AS n FROM insight_pending WHERE portal_id = $1', [PORTAL]);
    ctx.log(`${engine}: ${recorded.rows[0]?.n} answers recorded; ${pending.rows[0]?.n} not yet folded into the insight rollups`);
    const [gets, posts] = [load.get, load.post];
    return [row('GET /s/:token (survey page)', engine, gets, gets.serialMs), row('POST /s/:token (record answer)', engine, posts, posts.serialMs, 50)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
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
