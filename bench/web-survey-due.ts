// The web survey's "is this contact due?" endpoint under load: the real app on PGlite and on Postgres, 20,000
// mirrored contacts with a history of invitations, one in five with an open web survey, and signed identities
// asking at 200 requests a second from a separate load-generator process. Every request checks the origin, the
// rate limits and the HMAC, then reads the contact in one query; no identity asks twice, so nothing is cached.
import { loadavg, tmpdir } from 'node:os';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningServer } from '../src/app/server';
import { saveSettings } from '../src/core/settings-service';
import { signIdentity } from '../src/web-survey';
import { saveSecret } from '../src/web-survey/web-survey.repo';
import type { LoadRequest, LoadResult } from './web-survey-due-load';
import { keepAliveAgent, send } from './http';
import { runLoadProcess } from './load-process';
import {
  percentile,
  type BenchContext,
  type BenchRow,
  type Scenario,
  dropBenchSchemas,
  startBenchApp,
} from './scenario';

const PORTAL = 4848;
const ORIGIN = 'https://app.bench';
const SECRET = 'nlw_bench-secret';
const CONTACTS = 20_000;
const RATE = 200;
const TARGET_P95_MS = 20;

async function seed(app: RunningServer): Promise<void> {
  const db = app.deps.db;
  await saveSettings(db, PORTAL, { webSurvey: { enabled: true, allowedOrigins: [ORIGIN], askOnVisit: false } });
  await saveSecret(db, PORTAL, app.deps.cipher.encrypt(SECRET), new Date());
  await db.query(
    `INSERT INTO contacts (portal_id, contact_id, email, language)
     SELECT $1, g, 'w' || g || '@example.com', (ARRAY['en', 'da', 'sv', 'de'])[1 + g % 4] FROM generate_series(1, $2) g`,
    [PORTAL, CONTACTS],
  );
  // Two old answered email surveys each, and an open web survey for every fifth contact.
  await db.query(
    `INSERT INTO invitations (portal_id, contact_id, trigger, milestone_key, channel, status, scheduled_for, sent_at, answered_at)
     SELECT $1, g, 'deal', 'bench:' || g || ':' || n, 'email', 'answered', now() - n * interval '200 days',
            now() - n * interval '200 days', now() - n * interval '199 days'
       FROM generate_series(1, $2) g, generate_series(1, 2) n`,
    [PORTAL, CONTACTS],
  );
  await db.query(
    `INSERT INTO invitations (portal_id, contact_id, trigger, milestone_key, channel, status, scheduled_for, sent_at, expires_at)
     SELECT $1, g, 'relationship', 'bench-web:' || g, 'web', 'sent', now(), now(), now() + interval '30 days'
       FROM generate_series(5, $2, 5) g`,
    [PORTAL, CONTACTS],
  );
  await db.query('ANALYZE');
}

async function runOn(engine: 'pglite' | 'postgres', ctx: BenchContext): Promise<BenchRow> {
  const schema = `bench_web_${Date.now().toString(36)}`;
  const seconds = ctx.quick ? 5 : 20;
  const app = await startBenchApp(ctx, engine, schema, {
    PUBLIC_BASE_URL: 'https://nps.bench',
    HUBSPOT_ACCESS_TOKEN: 'bench-token',
    HUBSPOT_PORTAL_ID: String(PORTAL),
    HUBSPOT_CLIENT_SECRET: 'bench-client-secret-0123456789',
  });
  const dir = mkdtempSync(join(tmpdir(), 'nps-bench-web-'));
  try {
    await seed(app);
    // Half by email, half by contact id; a different identity for every request.
    const bodies = Array.from({ length: CONTACTS }, (_, i) => {
      const id = ((i * 7919) % CONTACTS) + 1;
      const value = i % 2 === 0 ? `w${id}@example.com` : String(id);
      const key = i % 2 === 0 ? 'email' : 'hubspotContactId';
      return JSON.stringify({ [key]: value, userHash: signIdentity(SECRET, value) });
    });
    const bodiesFile = join(dir, 'bodies.json');
    writeFileSync(bodiesFile, JSON.stringify(bodies));
    const url = `${app.url}/widget/v1/${PORTAL}/due`;
    // Service time with nothing else in flight (warms the caches too): what the arrival rate has to fit into.
    const agent = keepAliveAgent(4);
    const headers = { 'content-type': 'application/json', origin: ORIGIN };
    const serial: number[] = [];
    for (let i = 0; i < 300; i++) {
      const t0 = performance.now();
      const res = await send(url, { method: 'POST', headers, body: bodies[CONTACTS - 1 - i]!, agent });
      serial.push(performance.now() - t0);
      if (res.status !== 200) throw new Error(`due answered ${res.status}: ${res.body}`);
    }
    agent.destroy();
    ctx.log(`${engine}: ${RATE} req/s for ${seconds} s`);
    const cpuBefore = process.cpuUsage();
    const load = await runLoadProcess<LoadRequest, LoadResult>(new URL('./web-survey-due-load.ts', import.meta.url), {
      url,
      origin: ORIGIN,
      bodiesFile,
      rate: RATE,
      seconds,
    });
    const cpu = process.cpuUsage(cpuBefore);
    const p95 = percentile(load.latencies, 95);
    return {
      name: `POST /widget/v1/:portal/due at ${RATE} req/s on ${engine}, ${seconds} s`,
      figures: {
        requests: load.latencies.length,
        achieved_rps: load.achievedRps,
        due_answers: load.due,
        p50_ms: percentile(load.latencies, 50),
        p95_ms: p95,
        p99_ms: percentile(load.latencies, 99),
        max_ms: percentile(load.latencies, 100),
        serial_p50_ms: percentile(serial, 50),
        failures: load.failures,
        ...(load.failures > 0 ? { failed_with: JSON.stringify(load.failureReasons).slice(0, 200) } : {}),
        // Hardly moved by other load on the machine: the app process's CPU time per request (with PGlite, the
        // database's too). Other work on the machine inflates every latency; machine_load_1m says how much there was.
        app_cpu_ms_per_request: Math.round(((cpu.user + cpu.system) / 1000 / load.latencies.length) * 100) / 100,
        machine_load_1m: Math.round(loadavg()[0]! * 10) / 10,
      },
      target: `p95 < ${TARGET_P95_MS} ms at ${RATE} req/s (judged on Postgres)`,
      met: p95 < TARGET_P95_MS && load.failures === 0 && load.achievedRps >= RATE * 0.95,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await app.stop();
    if (engine === 'postgres' && ctx.databaseUrl) await dropBenchSchemas(ctx.databaseUrl, schema);
  }
}

export const scenario: Scenario = {
  name: 'web-survey-due',
  async run(ctx) {
    const rows: BenchRow[] = [];
    for (const engine of ctx.engines) rows.push(await runOn(engine, ctx));
    return rows;
  },
};
