// Write-back to HubSpot, measured against the local sandbox (in-process, its own HTTP server): the real app with
// the responses feature, answers recorded through recordResponse, properties read back from the sandbox.
//  1. API calls per answer for 10,000 answers vs the floor of ceil(contacts/100) + ceil(companies/100) batch calls.
//  2. Answer → property visible in the sandbox, p50/p95, with answers arriving at 100 per second.
//  3. Faults: 2,000 answers while 30% of calls fail with 429/5xx and HubSpot is down for 60 s; then every contact
//     and company must show its latest answer. tests/e2e/fault-writeback.test.ts runs the same, scaled down.
import { loadConfig } from '../src/config/env';
import { opsFeature } from '../src/ops';
import { responsesFeature } from '../src/responses';
import { companyNps } from '../src/responses/company-rollup';
import { categoryOf } from '../src/core/nps';
import { recordResponse } from '../src/responses/record';
import { createSandbox, type Sandbox } from '../src/sandbox';
import { startServer, type RunningServer } from '../src/app/server';
import { silentLogger } from '../src/shared/logger';
import { percentile, ratioTo, type BenchContext, type BenchRow, type Scenario, dropBenchSchemas } from './scenario';

const PORTAL = 5151;
const TOKEN = 'bench-writeback-token';

export interface WritebackRig {
  sandbox: Sandbox;
  app: RunningServer;
  /** The sandbox's contacts, mirrored into the app's database with their primary company. */
  contacts: Array<{ id: number; companyId: number | null }>;
  /** Batch update calls the write-back asked the HubSpot client for, by object type (retries not included). */
  batchCalls: Record<string, number>;
  close(): Promise<void>;
}

export interface RigOptions {
  contacts: number;
  companies: number;
  databaseUrl?: string;
  /** Postgres schema for the app (fresh, dropped on close). */
  schema?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A seeded sandbox and the app against it, set up (properties and lists created) and with its contacts mirrored. */
export async function startWritebackRig(opts: RigOptions): Promise<WritebackRig> {
  const sandbox = createSandbox({
    portals: [
      {
        portalId: PORTAL,
        accessToken: TOKEN,
        seed: { seed: 3, contacts: opts.contacts, companies: opts.companies, deals: 0, tickets: 0, owners: 4 },
      },
    ],
    webhooks: { targetUrl: null },
  });
  const { url } = await sandbox.listen(0);
  const config = loadConfig({
    PORT: '0',
    PUBLIC_BASE_URL: 'https://nps.bench',
    DATABASE_URL: opts.databaseUrl,
    HUBSPOT_ACCESS_TOKEN: TOKEN,
    HUBSPOT_PORTAL_ID: String(PORTAL),
    HUBSPOT_CLIENT_SECRET: 'bench-client-secret-0123456789',
    HUBSPOT_API_BASE_URL: url,
    SURVEY_SIGNING_KEY: 'bench-signing-key-0123456789',
    ENCRYPTION_KEY: 'bench-encryption-key-0123456789',
    LOG_LEVEL: 'silent',
  });
  const app = await startServer(config, {
    logger: silentLogger,
    inMemory: true,
    listen: false,
    dbSchema: opts.databaseUrl ? opts.schema : undefined,
    features: [opsFeature, responsesFeature],
  });
  const close = async () => {
    await app.stop();
    await sandbox.close();
    if (opts.databaseUrl && opts.schema) await dropBenchSchemas(opts.databaseUrl, opts.schema);
  };
  try {
    await until(
      async () => {
        const r = await app.deps.db.query<{ done: boolean }>(
          'SELECT setup_completed_at IS NOT NULL AS done FROM portals WHERE portal_id = $1',
          [PORTAL],
        );
        return r.rows[0]?.done === true;
      },
      60_000,
      'portal setup',
    );
    const contacts = [...sandbox.portal(PORTAL).tables.contacts.all()]
      .filter((c) => !c.archived)
      .map((c) => ({
        id: c.id,
        companyId: c.properties.associatedcompanyid ? Number(c.properties.associatedcompanyid) : null,
      }));
    await app.deps.db.query(
      `INSERT INTO contacts (portal_id, contact_id, company_id) SELECT $1, id, NULLIF(company, 0) FROM unnest($2::bigint[], $3::bigint[]) AS t(id, company)`,
      [PORTAL, contacts.map((c) => c.id), contacts.map((c) => c.companyId ?? 0)],
    );
    // Counts batch calls per object type, to tell contact write-back from company rollups in the figures.
    const batchCalls: Record<string, number> = {};
    const client = app.deps.hubspot;
    app.deps.hubspot = {
      forPortal(portalId) {
        const portal = client.forPortal(portalId);
        return {
          ...portal,
          batchUpdate(type, inputs) {
            batchCalls[type] = (batchCalls[type] ?? 0) + Math.ceil(inputs.length / 100);
            return portal.batchUpdate(type, inputs);
          },
        };
      },
    };
    return { sandbox, app, contacts, batchCalls, close };
  } catch (err) {
    await close();
    throw err;
  }
}

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

/** Records one answer per planned contact, paced at `perSecond` (or as fast as possible); returns how many. */
async function recordAnswers(
  rig: WritebackRig,
  contactIds: number[],
  opts: { perSecond?: number; seed?: number; beforeEach?: (contactId: number, answeredAt: Date) => void } = {},
): Promise<number> {
  const start = Date.now();
  for (const [i, contactId] of contactIds.entries()) {
    const wait = opts.perSecond ? start + (i * 1000) / opts.perSecond - Date.now() : 0;
    if (wait > 0) await sleep(wait);
    const score = (i * 7 + (opts.seed ?? 0)) % 11;
    const comment = `answer ${i} from ${contactId}`;
    const answeredAt = new Date();
    opts.beforeEach?.(contactId, answeredAt);
    await recordResponse(rig.app.deps, {
      portalId: PORTAL,
      contactId,
      score,
      comment,
      channel: 'manual',
      trigger: 'manual',
      answeredAt,
    });
  }
  return contactIds.length;
}

/** Waits until every contact and company write-back has landed; company rollups are waited for too. */
async function drained(rig: WritebackRig, timeoutMs: number): Promise<void> {
  await until(
    async () => {
      const r = await rig.app.deps.db.query(
        `SELECT 1 FROM outbox WHERE portal_id = $1 AND kind IN ('contact-properties', 'company-rollup') LIMIT 1`,
        [PORTAL],
      );
      return r.rows.length === 0;
    },
    timeoutMs,
    'the write-back to drain',
  );
}

async function hubspotCalls(rig: WritebackRig): Promise<number> {
  const metric = await rig.app.deps.metrics.hubspotCalls.get();
  return metric.values.reduce((sum, v) => sum + v.value, 0);
}

/**
 * Compares the sandbox with the app's database, independently of the write-back code: each answering contact's
 * latest answer (score, category, comment, count) and each company's NPS must be what the sandbox shows.
 */
export async function compareWithSandbox(
  rig: WritebackRig,
): Promise<{ contacts: number; companies: number; mismatches: string[] }> {
  const db = rig.app.deps.db;
  const latest = await db.query<{ contact_id: string; score: number; comment: string | null; n: string }>(
    `SELECT DISTINCT ON (contact_id) contact_id, score, comment, count(*) OVER (PARTITION BY contact_id) AS n
     FROM responses WHERE portal_id = $1 ORDER BY contact_id, answered_at DESC, updated_at DESC`,
    [PORTAL],
  );
  const mismatches: string[] = [];
  for (const row of latest.rows) {
    const got = rig.sandbox.crm.getContact(row.contact_id, { portalId: PORTAL }).properties;
    const want = {
      nps_score: String(row.score),
      nps_category: categoryOf(row.score),
      nps_last_comment: row.comment ?? '',
      nps_response_count: String(row.n),
    };
    for (const [name, value] of Object.entries(want)) {
      if ((got[name] ?? '') !== value)
        mismatches.push(`contact ${row.contact_id} ${name}: sandbox "${got[name] ?? ''}", latest answer "${value}"`);
    }
  }
  const companies = await db.query<{ company_id: string }>(
    `SELECT DISTINCT c.company_id FROM contacts c JOIN responses r ON r.portal_id = c.portal_id AND r.contact_id = c.contact_id
     WHERE c.portal_id = $1 AND c.company_id IS NOT NULL`,
    [PORTAL],
  );
  for (const { company_id } of companies.rows) {
    const want = await companyNps(db, PORTAL, Number(company_id), new Date());
    const got = rig.sandbox.crm.getRecord('companies', company_id, { portalId: PORTAL }).properties;
    if (
      (got.nps_company_respondents ?? '') !== String(want.n) ||
      (got.nps_company_score ?? '') !== (want.nps === null ? '' : String(want.nps))
    ) {
      mismatches.push(
        `company ${company_id}: sandbox ${got.nps_company_score}/${got.nps_company_respondents}, expected ${want.nps}/${want.n}`,
      );
    }
  }
  return { contacts: latest.rows.length, companies: companies.rows.length, mismatches };
}

export interface FaultRun {
  answers: number;
  recorded: number;
  stored: number;
  convergeSeconds: number;
  /** Calls the sandbox failed: random 429/5xx, and 503s during the outage. */
  faults: { errors: number; outage: number };
  comparison: Awaited<ReturnType<typeof compareWithSandbox>>;
}

/**
 * Answers arrive at `perSecond` while the sandbox fails `errorRate` of API calls with 429/500/502/503 and, a third
 * of the way in, goes down for `outageSeconds`. One answer in five changes an earlier answer (latest must win).
 */
export interface FaultOptions {
  answers: number;
  errorRate: number;
  outageSeconds: number;
  perSecond: number;
  timeoutMs: number;
  /** Tests: once every answer is in, write company rollups now instead of after their coalescing delay. */
  companyRollupsNow?: boolean;
}

export async function runFaults(rig: WritebackRig, opts: FaultOptions): Promise<FaultRun> {
  const firstRound = Math.ceil(opts.answers * 0.8);
  const ids = rig.contacts.slice(0, firstRound).map((c) => c.id);
  const plan = [...ids, ...ids.slice(0, opts.answers - firstRound)];
  rig.sandbox.faults.set({ errorRate: opts.errorRate, errorStatuses: [429, 500, 502, 503], seed: 7 });
  const outageAt = Math.floor(plan.length / 3);
  const first = await recordAnswers(rig, plan.slice(0, outageAt), { perSecond: opts.perSecond });
  // The outage lasts `outageSeconds`, and in any case until it has refused a call: on a slow machine the flusher
  // might otherwise not call HubSpot at all during a short window, and the run would test nothing.
  rig.sandbox.faults.startOutage();
  let outageEnds = Date.now() + opts.outageSeconds * 1000;
  const outageOver = (async () => {
    while (Date.now() < outageEnds || rig.sandbox.faults.state().injected.outage === 0)
      await new Promise((r) => setTimeout(r, 100));
    outageEnds = Date.now();
    rig.sandbox.faults.endOutage();
  })();
  const rest = await recordAnswers(rig, plan.slice(outageAt), { perSecond: opts.perSecond, seed: 3 });
  await outageOver;
  const answersDone = Date.now();
  if (opts.companyRollupsNow)
    await rig.app.deps.db.query(`UPDATE outbox SET due_at = now() WHERE kind = 'company-rollup' AND attempts = 0`);
  await drained(rig, opts.timeoutMs);
  const settled = Date.now();
  const { errors, outage } = rig.sandbox.faults.state().injected;
  rig.sandbox.faults.clear();
  const stored = await rig.app.deps.db.query<{ n: string }>(
    'SELECT count(*) AS n FROM responses WHERE portal_id = $1',
    [PORTAL],
  );
  return {
    answers: plan.length,
    recorded: first + rest,
    stored: Number(stored.rows[0]!.n),
    convergeSeconds: Math.round((settled - Math.max(answersDone, outageEnds)) / 100) / 10,
    faults: { errors, outage },
    comparison: await compareWithSandbox(rig),
  };
}

async function callsPerAnswer(engine: string, ctx: BenchContext, rig: WritebackRig, count: number): Promise<BenchRow> {
  const targets = rig.contacts.slice(0, count);
  const before = await hubspotCalls(rig);
  const batchesBefore = { ...rig.batchCalls };
  const started = Date.now();
  await recordAnswers(
    rig,
    targets.map((c) => c.id),
  );
  const recordSeconds = (Date.now() - started) / 1000;
  await drained(rig, 300_000);
  const calls = (await hubspotCalls(rig)) - before;
  const companies = new Set(targets.map((c) => c.companyId).filter((id) => id !== null)).size;
  const floor = Math.ceil(targets.length / 100) + Math.ceil(companies / 100);
  const check = await compareWithSandbox(rig);
  ctx.log(`${engine}: ${count} answers recorded in ${recordSeconds.toFixed(1)} s; ${calls} HubSpot calls`);
  return {
    name: `HubSpot calls for ${count} answers (${targets.length} contacts, ${companies} companies) on ${engine}`,
    figures: {
      answers: count,
      api_calls: calls,
      floor_calls: floor,
      ratio_to_floor: Math.round((calls / floor) * 100) / 100,
      contact_batches: (rig.batchCalls.contacts ?? 0) - (batchesBefore.contacts ?? 0),
      company_batches: (rig.batchCalls.companies ?? 0) - (batchesBefore.companies ?? 0),
      calls_per_answer: Math.round((calls / count) * 1000) / 1000,
      answers_per_s_recorded: Math.round(count / recordSeconds),
      mismatches: check.mismatches.length,
    },
    target: '≤ 1.1 × floor, no mismatch',
    ratio: ratioTo(calls, floor * 1.1),
    met: calls <= floor * 1.1 && check.mismatches.length === 0,
  };
}

async function latencyAt100PerSecond(
  engine: string,
  ctx: BenchContext,
  rig: WritebackRig,
  count: number,
  offset: number,
): Promise<BenchRow> {
  const targets = rig.contacts.slice(offset, offset + count).map((c) => c.id);
  const waiting = new Map<number, { at: number; iso: string }>();
  const latencies: number[] = [];
  const stopListening = rig.sandbox.store.onChange((change) => {
    if (
      change.kind !== 'propertyChange' ||
      change.objectType !== 'contacts' ||
      change.propertyName !== 'nps_last_response_at'
    )
      return;
    const w = waiting.get(change.objectId);
    if (w && w.iso === change.propertyValue) {
      latencies.push(Date.now() - w.at);
      waiting.delete(change.objectId);
    }
  });
  try {
    const started = Date.now();
    const recorded = await recordAnswers(rig, targets, {
      perSecond: 100,
      beforeEach: (contactId, answeredAt) => waiting.set(contactId, { at: Date.now(), iso: answeredAt.toISOString() }),
    });
    const rate = recorded / ((Date.now() - started) / 1000);
    await until(async () => waiting.size === 0, 120_000, 'every answer to be visible in the sandbox');
    const p95 = percentile(latencies, 95);
    ctx.log(
      `${engine}: ${recorded} answers at ${rate.toFixed(0)}/s; visible p50 ${percentile(latencies, 50)} ms, p95 ${p95} ms`,
    );
    return {
      name: `answer → contact property visible in the sandbox, ${recorded} answers at 100/s on ${engine}`,
      figures: {
        answers: recorded,
        offered_rate_per_s: Math.round(rate),
        p50_ms: percentile(latencies, 50),
        p95_ms: p95,
        max_ms: percentile(latencies, 100),
      },
      target: 'p95 < 5000 ms',
      met: p95 < 5000,
    };
  } finally {
    stopListening();
  }
}

async function faultRow(engine: string, ctx: BenchContext, databaseUrl: string | undefined): Promise<BenchRow> {
  const size = ctx.quick ? { answers: 200, outageSeconds: 5 } : { answers: 2000, outageSeconds: 60 };
  const rig = await startWritebackRig({
    contacts: size.answers,
    companies: Math.ceil(size.answers / 10),
    databaseUrl,
    schema: `bench_wbf_${Date.now().toString(36)}`,
  });
  try {
    const run = await runFaults(rig, { ...size, errorRate: 0.3, perSecond: 100, timeoutMs: 600_000 });
    ctx.log(
      `${engine}: faults ${run.faults.errors} random + ${run.faults.outage} in the outage, converged ${run.convergeSeconds} s after the outage, ${run.comparison.mismatches.length} mismatches`,
    );
    return {
      name: `${run.answers} answers, 30% 429/5xx, ${size.outageSeconds} s outage, on ${engine}`,
      figures: {
        answers: run.answers,
        stored: run.stored,
        random_faults: run.faults.errors,
        outage_503s: run.faults.outage,
        converged_s_after_outage: run.convergeSeconds,
        contacts_checked: run.comparison.contacts,
        companies_checked: run.comparison.companies,
        mismatches: run.comparison.mismatches.length,
      },
      target: 'every contact and company equals its latest answers; none lost',
      met: run.stored === run.recorded && run.comparison.mismatches.length === 0,
    };
  } finally {
    await rig.close();
  }
}

async function runOn(engine: 'pglite' | 'postgres', ctx: BenchContext): Promise<BenchRow[]> {
  const databaseUrl = engine === 'postgres' ? ctx.databaseUrl : undefined;
  const answers = ctx.quick ? 1000 : 10_000;
  const latencyAnswers = ctx.quick ? 500 : 3000;
  const rig = await startWritebackRig({
    contacts: answers + latencyAnswers,
    companies: Math.ceil((answers + latencyAnswers) / 10),
    databaseUrl,
    schema: `bench_wb_${Date.now().toString(36)}`,
  });
  const rows: BenchRow[] = [];
  try {
    rows.push(await callsPerAnswer(engine, ctx, rig, answers));
    rows.push(await latencyAt100PerSecond(engine, ctx, rig, latencyAnswers, answers));
  } finally {
    await rig.close();
  }
  rows.push(await faultRow(engine, ctx, databaseUrl));
  return rows;
}

export const scenario: Scenario = {
  name: 'writeback',
  async run(ctx) {
    const rows: BenchRow[] = [];
    for (const engine of ctx.engines) rows.push(...(await runOn(engine, ctx)));
    return rows;
  },
};
