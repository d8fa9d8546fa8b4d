// Insights on Postgres at scale: 1,000,000 answers (100,000 with --quick) from 100,000 contacts (10,000) and 200
// owners, a year of invitations and follow-ups, loaded through the real triggers that keep the rollups. Then p50
// and p95 of the dashboard's queries over the whole year (20 runs each, after a warm-up), and the CSV export's
// rows per second and this process's peak RSS while it streams every answer over HTTP to a reader in another process.
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { openDb, type Db } from '../src/storage/db';
import { migrate } from '../src/storage/migrate';
import { silentLogger } from '../src/shared/logger';
import { headline } from '../src/insights/headline';
import { trend } from '../src/insights/trend';
import { segments } from '../src/insights/segments';
import { heroes } from '../src/insights/heroes';
import { distribution } from '../src/insights/distribution';
import { latestComments } from '../src/insights/comments';
import { movers } from '../src/insights/movers';
import { streamAnswersCsv } from '../src/insights/export-csv';
import { catchUpInsights } from '../src/insights/catch-up';
import { addDays, isoDay } from '../src/insights/math';
import { percentile, type BenchContext, type BenchRow, type Scenario, dropBenchSchemas } from './scenario';

const PORTAL = 71_001;
const OWNERS = 200;
const RUNS = 20;
const TARGET_MS = 250;
const BATCH = 100_000;
const settings = { target: 50, minAnswers: 30 };
const sla = { detractor: 1, passive: 3, promoter: 5 };

/**
 * One batch of answers g in [lo, hi]: an invitation each (a fifth reminded), the answer, and its follow-up (nine in
 * ten completed). Scores drift upwards over the year; owner 1007 does worse, the renewals pipeline better.
 */
function batchSql(answers: number, contacts: number): string {
  return `
  WITH g AS (
    SELECT g, 1 + (g::bigint * 7919) % ${contacts} AS contact_id,
           now() - interval '364 days' + (g::float8 / ${answers}) * interval '363 days' AS at,
           (ARRAY['deal','deal','ticket','ticket','workflow','relationship','manual'])[1 + g % 7] AS trig
      FROM generate_series($1::int, $2::int) g
  ), inv AS (
    INSERT INTO invitations (id, portal_id, contact_id, trigger, milestone_key, source_object_type, source_object_id, source_pipeline, source_stage,
                             channel, status, scheduled_for, sent_at, reminded_at, answered_at)
    SELECT md5('i' || g)::uuid, ${PORTAL}, contact_id, trig, 'bench:' || g, CASE WHEN trig IN ('deal', 'ticket') THEN trig END, g,
           CASE trig WHEN 'deal' THEN (ARRAY['default', '87654321'])[1 + g % 2] WHEN 'ticket' THEN '0' END,
           CASE trig WHEN 'deal' THEN 'closedwon' WHEN 'ticket' THEN '4' END,
           CASE WHEN g % 5 = 0 THEN 'hubspot' ELSE 'email' END, 'answered', at - interval '1 day', at - interval '1 day',
           CASE WHEN g % 5 = 1 THEN at - interval '2 hours' END, at
      FROM g
    RETURNING id, contact_id, trigger, source_object_type, source_object_id, source_pipeline, source_stage, answered_at
  )
  INSERT INTO responses (id, portal_id, contact_id, invitation_id, score, category, comment, channel, trigger, source_object_type, source_object_id,
                         source_pipeline, source_stage, owner_id, company_id, language, answered_at)
  SELECT md5('r' || inv.source_object_id)::uuid, ${PORTAL}, inv.contact_id, inv.id, s.score,
         CASE WHEN s.score >= 9 THEN 'promoter' WHEN s.score >= 7 THEN 'passive' ELSE 'detractor' END,
         CASE WHEN inv.source_object_id % 3 = 0 THEN 'Comment number ' || inv.source_object_id END, 'email', inv.trigger,
         inv.source_object_type, inv.source_object_id, inv.source_pipeline, inv.source_stage, c.owner_id, c.company_id, c.language, inv.answered_at
    FROM inv JOIN contacts c ON c.portal_id = ${PORTAL} AND c.contact_id = inv.contact_id
   CROSS JOIN LATERAL (SELECT least(10, greatest(0, 5 + (abs(hashint8(inv.source_object_id)) % 7)
           + round(2 * inv.source_object_id::float8 / ${answers})::int
           + CASE WHEN c.owner_id = '1007' THEN -3 ELSE 0 END + CASE WHEN inv.source_pipeline = '87654321' THEN 1 ELSE 0 END))::smallint AS score) s`;
}

const FOLLOW_UPS_SQL = `
  INSERT INTO follow_ups (portal_id, response_id, contact_id, category, owner_id, status, due_at, completed_at)
  SELECT portal_id, id, contact_id, category, owner_id, CASE WHEN source_object_id % 10 = 0 THEN 'open' ELSE 'completed' END,
         answered_at + interval '1 day' * CASE category WHEN 'detractor' THEN 1 WHEN 'passive' THEN 3 ELSE 5 END,
         CASE WHEN source_object_id % 10 <> 0 THEN answered_at + (source_object_id % 97) * interval '1 hour' END
    FROM responses WHERE portal_id = ${PORTAL} AND source_object_id BETWEEN $1 AND $2`;

async function load(db: Db, answers: number, log: (m: string) => void): Promise<void> {
  const contacts = Math.round(answers / 10);
  const companies = Math.round(contacts / 5);
  await db.query(`INSERT INTO portals (portal_id, auth_mode) VALUES ($1, 'static')`, [PORTAL]);
  await db.query(
    `INSERT INTO companies (portal_id, company_id, name, industry)
     SELECT $1, g, 'Company ' || g, (ARRAY['Software','Retail','Finance','Health','Education','Manufacturing','Media','Logistics','Energy','Hospitality','Legal','Telecom'])[1 + g % 12]
       FROM generate_series(1, $2::int) g`,
    [PORTAL, companies],
  );
  await db.query(
    `INSERT INTO contacts (portal_id, contact_id, email, firstname, lastname, language, owner_id, company_id, lifecycle_stage, hs_created_at, customer_since)
     SELECT $1, g, 'c' || g || '@example.com', 'First' || g, 'Last' || g, (ARRAY['en','en','en','de','da','sv'])[1 + g % 6],
            (1000 + g % ${OWNERS})::text, 1 + (g * 7919) % $3::int, (ARRAY['customer','customer','customer','evangelist','opportunity'])[1 + g % 5],
            now() - (g % 1500) * interval '1 day', CASE WHEN g % 4 = 0 THEN NULL ELSE now() - ((g * 31) % 1400) * interval '1 day' END
       FROM generate_series(1, $2::int) g`,
    [PORTAL, contacts, companies],
  );
  const sql = batchSql(answers, contacts);
  for (let lo = 1; lo <= answers; lo += BATCH) {
    const hi = Math.min(answers, lo + BATCH - 1);
    const t0 = Date.now();
    await db.query(sql, [lo, hi]);
    await db.query(FOLLOW_UPS_SQL, [lo, hi]);
    await catchUpInsights(db, PORTAL);
    log(
      `loaded and folded answers ${lo}–${hi} with their invitations and follow-ups in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
  await loadCustomDimensions(db);
  // What autovacuum does soon after a bulk load: statistics, and the visibility map for index-only scans.
  await db.exec('VACUUM ANALYZE');
}

// Two custom dimensions (src/segments), as a finished backfill leaves them: a plan tier (5 values, a tenth of
// contacts unknown) and a renewal date (banded against each answer's time, a third unknown).
const CUSTOM = [
  { name: 'contact.plan_tier', label: 'Plan tier', kind: 'enumeration', state: 'ready' },
  { name: 'contact.renewal_date', label: 'Renewal', kind: 'date', state: 'ready' },
] as const;

async function loadCustomDimensions(db: Db): Promise<void> {
  for (const d of CUSTOM)
    await db.query(
      `INSERT INTO segment_dimensions (portal_id, dimension, kind, label, signature, state) VALUES ($1, $2, $3, $4, '{}', 'ready')`,
      [PORTAL, d.name, d.kind, d.label],
    );
  await db.query(
    `INSERT INTO segment_values (portal_id, contact_id, dimension, value, since)
     SELECT portal_id, contact_id, 'contact.plan_tier', (ARRAY['Free','Starter','Pro','Business','Enterprise'])[1 + contact_id % 5], NULL
       FROM contacts WHERE portal_id = $1 AND contact_id % 10 <> 0
     UNION ALL
     SELECT portal_id, contact_id, 'contact.renewal_date', '', now() - (contact_id % 1200) * interval '1 day'
       FROM contacts WHERE portal_id = $1 AND contact_id % 3 <> 0`,
    [PORTAL],
  );
}

async function timeQuery(name: string, run: () => Promise<unknown>): Promise<BenchRow> {
  for (let i = 0; i < 2; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  const p95 = percentile(times, 95);
  return {
    name,
    figures: { runs: RUNS, p50_ms: percentile(times, 50), p95_ms: p95 },
    target: `p95 < ${TARGET_MS} ms`,
    met: p95 < TARGET_MS,
  };
}

// The download is read by a separate Node process, so this process's memory is the app's alone: a client in here
// would add its own buffers (and its own garbage) to the figure. The reader counts line feeds as they arrive and
// keeps nothing, and its socket reads only as fast as it counts, so the app's backpressure is exercised as well.
const CSV_READER = `
const http = require('node:http');
let lines = 0, bytes = 0;
http.get(process.argv[1], (res) => {
  res.on('data', (chunk) => { bytes += chunk.length; for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++; });
  res.on('end', () => process.stdout.write(JSON.stringify({ status: res.statusCode, lines, bytes })));
}).on('error', (err) => { console.error(err); process.exit(1); });`;

function readCsvElsewhere(url: string): Promise<{ status: number; lines: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CSV_READER, url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`CSV reader exited ${code}`)),
    );
  });
}

async function exportRate(db: Db, period: { from: string; to: string }): Promise<BenchRow> {
  const app = express();
  app.get('/export.csv', (_req, res) => void streamAnswersCsv(db, PORTAL, { period, mode: 'all' }, res, silentLogger));
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const t0 = performance.now();
  let read: { status: number; lines: number; bytes: number };
  try {
    read = await readCsvElsewhere(`http://127.0.0.1:${(server.address() as AddressInfo).port}/export.csv`);
  } finally {
    clearInterval(sampler);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  const seconds = (performance.now() - t0) / 1000;
  // Comments hold no newlines here, so lines − header = rows.
  const rows = read.lines - 1;
  const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
  return {
    name: 'CSV export over HTTP (every answer of the year)',
    figures: {
      rows,
      rows_per_s: Math.round(rows / seconds),
      csv_mb: mb(read.bytes),
      seconds: Math.round(seconds * 10) / 10,
      rss_before_mb: mb(rssBefore),
      peak_rss_mb: mb(peak),
      rss_growth_mb: mb(peak - rssBefore),
    },
    target: 'memory flat (growth < 100 MB)',
    met: read.status === 200 && peak - rssBefore < 100 * 1024 * 1024,
  };
}

export const scenario: Scenario = {
  name: 'insights',
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    if (!ctx.databaseUrl)
      return [{ name: 'insights queries', figures: { skipped: 'no Postgres server reachable (needs DATABASE_URL)' } }];
    const answers = ctx.quick ? 100_000 : 1_000_000;
    const schema = `bench_insights_${randomBytes(3).toString('hex')}`;
    const db = await openDb({ databaseUrl: ctx.databaseUrl, schema, poolSize: 10 });
    try {
      await migrate(db);
      const t0 = Date.now();
      await load(db, answers, ctx.log);
      const loadSeconds = Math.round((Date.now() - t0) / 100) / 10;
      const today = isoDay(new Date());
      const year = { from: addDays(today, -364), to: today };
      const quarter = { from: addDays(today, -89), to: today };
      const now = new Date();
      const label = (q: string, p: string) => `${q} (${p}, ${answers.toLocaleString('en-US')} answers)`;
      const rows: BenchRow[] = [
        {
          name: 'load through the change log and the rollup fold',
          figures: { answers, contacts: answers / 10, owners: OWNERS, seconds: loadSeconds },
        },
        await timeQuery(label('headline', '365 days'), () => headline(db, PORTAL, year, 'all', settings)),
        await timeQuery(label('trend by month', '365 days'), () => trend(db, PORTAL, year, 'month', 'all', 30)),
        await timeQuery(label('trend by week', '365 days'), () => trend(db, PORTAL, year, 'week', 'all', 30)),
        await timeQuery(label('segments, all 9 dimensions', '365 days'), () =>
          segments(db, PORTAL, year, { mode: 'all', limit: 25, minAnswers: 30 }),
        ),
        await timeQuery(label('segments, 9 dimensions + 2 custom', '365 days'), () =>
          segments(db, PORTAL, year, { mode: 'all', limit: 25, minAnswers: 30, custom: [...CUSTOM] }),
        ),
        await timeQuery(label('segments by one custom dimension (dashboard split)', '365 days'), () =>
          segments(db, PORTAL, year, {
            mode: 'all',
            limit: 25,
            minAnswers: 30,
            dimensions: ['contact.plan_tier'],
            custom: [...CUSTOM],
          }),
        ),
        await timeQuery(label('comments of one custom segment, newest 25', '365 days'), () =>
          latestComments(
            db,
            PORTAL,
            { period: year, mode: 'all', segment: { name: 'contact.plan_tier', value: 'Pro' } },
            25,
          ),
        ),
        await timeQuery(label('heroes', '365 days'), () =>
          heroes(db, PORTAL, year, { mode: 'all', limit: 50, minAnswers: 30, now, dueBusinessDays: sla }),
        ),
        await timeQuery(label('distribution', '365 days'), () => distribution(db, PORTAL, year, 'all')),
        await timeQuery(label('comments, newest 25', '365 days'), () =>
          latestComments(db, PORTAL, { period: year, mode: 'all' }, 25),
        ),
        await timeQuery(label('headline, latest per person', '365 days'), () =>
          headline(db, PORTAL, year, 'latest', settings),
        ),
        await timeQuery(label('segments, latest per person', '90 days'), () =>
          segments(db, PORTAL, quarter, { mode: 'latest', limit: 25, minAnswers: 30 }),
        ),
        await timeQuery(label('segments + 2 custom, latest per person', '90 days'), () =>
          segments(db, PORTAL, quarter, { mode: 'latest', limit: 25, minAnswers: 30, custom: [...CUSTOM] }),
        ),
        await timeQuery(label('heroes, latest per person', '90 days'), () =>
          heroes(db, PORTAL, quarter, { mode: 'latest', limit: 50, minAnswers: 30, now, dueBusinessDays: sla }),
        ),
        await timeQuery(label('movers by owner', '90 days'), () =>
          movers(db, PORTAL, quarter, { dimension: 'owner', limit: 25 }),
        ),
        await timeQuery(label('movers by owner', '365 days'), () =>
          movers(db, PORTAL, year, { dimension: 'owner', limit: 25 }),
        ),
      ];
      ctx.log('exporting every answer as CSV');
      rows.push(await exportRate(db, year));
      return rows;
    } finally {
      await db.close();
      await dropBenchSchemas(ctx.databaseUrl, schema);
    }
  },
};
