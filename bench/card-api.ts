// Card API latency: a contact with 100 answers and 20 open follow-up tasks, asked for by 20 concurrent signed
// requests (HubSpot's hubspot.fetch limit per app and account) for a fixed time, against the real app on PGlite
// and on Postgres. HubSpot is the local sandbox: the tasks live there and are read through the HubSpot client (cached
// 30 s), owners too. Other contacts' answers are seeded so the indexes, not a tiny table, carry the query.
import { loadavg } from 'node:os';
import { keepAliveAgent, send } from './http';
import type { LoadRequest, LoadResult } from './card-api-load';
import { contactCardSchema } from '../extensions/app/cards/contract';
import { createSandbox } from '../src/sandbox';
import type { RunningServer } from '../src/app/server';
import { signV3 } from '../src/shared/signature';
import { runLoadProcess } from './load-process';
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
const PORTAL = 4343;
const TOKEN = 'bench-sandbox-token';
const CONTACT = '700001';
const ANSWERS = 100;
const TASKS = 20;
const CONCURRENCY = 20;
const OTHER_CONTACTS = 2_000;
/** The p95 limit per engine: PGlite runs on one thread, so its 20 callers queue behind each other. */
const TARGET_P95_MS = { postgres: 50, pglite: 100 } as const;

/** Creates the contact's 20 follow-up tasks in the sandbox through HubSpot's batch API; returns their ids. */
async function createTasks(baseUrl: string, ownerIds: string[]): Promise<string[]> {
  const inputs = Array.from({ length: TASKS }, (_, i) => ({
    properties: {
      hs_task_subject: `Follow up on NPS answer ${i + 1}`,
      hs_task_status: 'NOT_STARTED',
      hs_task_priority: ['HIGH', 'MEDIUM', 'LOW'][i % 3],
      hs_task_type: 'CALL',
      hs_timestamp: new Date(Date.now() + (i + 1) * 86_400_000).toISOString(),
      hubspot_owner_id: ownerIds[i % ownerIds.length] ?? null,
    },
  }));
  const res = await fetch(`${baseUrl}/crm/v3/objects/tasks/batch/create`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ inputs }),
  });
  if (res.status >= 300) throw new Error(`sandbox task create answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { results: Array<{ id: string }> }).results.map((t) => t.id);
}

async function seed(app: RunningServer, taskIds: string[]): Promise<void> {
  const db = app.deps.db;
  await db.query(
    `INSERT INTO contacts (portal_id, contact_id, email, firstname, lastname, owner_id)
     SELECT $1, g, 'c' || g || '@example.com', 'First' || g, 'Last' || g, NULL FROM generate_series(700000, 700000 + $2) g`,
    [PORTAL, OTHER_CONTACTS],
  );
  // Three answers for every other contact, a hundred for ours, spread over the last three years.
  await db.query(
    `INSERT INTO responses (portal_id, contact_id, score, category, comment, channel, trigger, answered_at)
     SELECT $1, c, s, CASE WHEN s >= 9 THEN 'promoter' WHEN s >= 7 THEN 'passive' ELSE 'detractor' END, 'comment ' || n, 'email', 'deal',
            now() - (n * interval '9 days') - (c % 7) * interval '1 hour'
       FROM (SELECT c, n, (c + n) % 11 AS s FROM generate_series(700000, 700000 + $2) c,
             LATERAL generate_series(1, CASE WHEN c = $3 THEN $4 ELSE 3 END) n) x`,
    [PORTAL, OTHER_CONTACTS, Number(CONTACT), ANSWERS],
  );
  await db.query(
    `INSERT INTO invitations (portal_id, contact_id, trigger, milestone_key, status, scheduled_for, sent_at)
     VALUES ($1, $2, 'deal', $3, 'answered', now() - interval '20 days', now() - interval '20 days')`,
    [PORTAL, CONTACT, `deal:1:closedwon:contact:${CONTACT}`],
  );
  const responses = await db.query<{ id: string }>(
    'SELECT id FROM responses WHERE portal_id = $1 AND contact_id = $2 ORDER BY answered_at DESC LIMIT $3',
    [PORTAL, CONTACT, TASKS],
  );
  for (const [i, r] of responses.rows.entries()) {
    await db.query(
      `INSERT INTO follow_ups (portal_id, response_id, contact_id, category, hubspot_task_id, subject, priority, status)
       VALUES ($1, $2, $3, 'detractor', $4, $5, 'HIGH', 'open')`,
      [PORTAL, r.id, CONTACT, taskIds[i], `Follow up on NPS answer ${i + 1}`],
    );
  }
}

function signedGet(app: RunningServer, agent: ReturnType<typeof keepAliveAgent>, path: string) {
  const ts = Date.now();
  const signature = signV3(SECRET, 'GET', `${PUBLIC}${path}`, '', ts);
  return send(`${app.url}${path}`, {
    agent,
    headers: { 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(ts) },
  });
}

async function runOn(engine: 'pglite' | 'postgres', ctx: BenchContext): Promise<BenchRow> {
  const schema = `bench_card_${Date.now().toString(36)}`;
  const sandbox = createSandbox({
    portals: [
      { portalId: PORTAL, accessToken: TOKEN, seed: { contacts: 0, companies: 0, deals: 0, tickets: 0, owners: 8 } },
    ],
  });
  const { url: hubspotUrl } = await sandbox.listen(0);
  const taskIds = await createTasks(
    hubspotUrl,
    (sandbox.seedReport(PORTAL)?.owners ?? []).map((o) => o.id),
  );
  const app = await startBenchApp(ctx, engine, schema, {
    PUBLIC_BASE_URL: PUBLIC,
    HUBSPOT_ACCESS_TOKEN: TOKEN,
    HUBSPOT_PORTAL_ID: String(PORTAL),
    HUBSPOT_CLIENT_SECRET: SECRET,
    HUBSPOT_API_BASE_URL: hubspotUrl,
  });
  const agent = keepAliveAgent(CONCURRENCY + 4);
  try {
    await seed(app, taskIds);
    const path = `/api/card/contacts/${CONTACT}?portalId=${PORTAL}&userId=1&userEmail=bench%40example.com&appId=1`;
    const t0 = performance.now();
    const first = await signedGet(app, agent, path);
    const coldMs = Math.round((performance.now() - t0) * 100) / 100;
    const card = contactCardSchema.parse(JSON.parse(first.body));
    if (card.history.length !== ANSWERS || card.openFollowUps.length !== TASKS) {
      throw new Error(`unexpected card: ${card.history.length} answers, ${card.openFollowUps.length} open tasks`);
    }
    const cpuBefore = process.cpuUsage();
    const { latencies, failures, elapsedSeconds } = await runLoadProcess<LoadRequest, LoadResult>(
      new URL('./card-api-load.ts', import.meta.url),
      {
        appUrl: app.url,
        publicUrl: PUBLIC,
        secret: SECRET,
        path,
        concurrency: CONCURRENCY,
        seconds: ctx.quick ? 3 : 15,
      },
    );
    const cpu = process.cpuUsage(cpuBefore);
    const p95 = percentile(latencies, 95);
    return {
      name: `contact card (100 answers, 20 tasks), ${CONCURRENCY} concurrent, on ${engine}`,
      figures: {
        requests: latencies.length,
        rps: Math.round(latencies.length / elapsedSeconds),
        p50_ms: percentile(latencies, 50),
        p95_ms: p95,
        p99_ms: percentile(latencies, 99),
        max_ms: percentile(latencies, 100),
        cold_first_request_ms: coldMs,
        failures,
        // Hardly moved by other load on the machine: CPU time of the app process (with PGlite, or the pg client)
        // per request. On PGlite everything runs on one thread, so 20 callers wait about 20 times this.
        app_cpu_ms_per_request: Math.round(((cpu.user + cpu.system) / 1000 / latencies.length) * 100) / 100,
        // Other work on the machine inflates every latency; this says how much there was.
        machine_load_1m: Math.round(loadavg()[0]! * 10) / 10,
      },
      target: `p95 < ${TARGET_P95_MS[engine]} ms at ${CONCURRENCY} concurrent`,
      ratio: ratioTo(p95, TARGET_P95_MS[engine]),
      met: p95 < TARGET_P95_MS[engine] && failures === 0,
    };
  } finally {
    agent.destroy();
    await app.stop();
    await sandbox.close();
    if (engine === 'postgres' && ctx.databaseUrl) await dropBenchSchemas(ctx.databaseUrl, schema);
  }
}

export const scenario: Scenario = {
  name: 'card-api',
  async run(ctx) {
    const rows: BenchRow[] = [];
    for (const engine of ctx.engines) rows.push(await runOn(engine, ctx));
    return rows;
  },
};
