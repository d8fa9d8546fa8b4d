import { describe, expect, it } from 'vitest';
import { segmentCounts } from '../../src/insights/segments.repo';
import { customSegmentCounts } from '../../src/insights/custom-segments.repo';
import { SEGMENT_DIMENSIONS, type CustomDimensionName } from '../../src/insights/filters';
import { catchUpInsights } from '../../src/insights/catch-up';
import { aResponse } from '../factories';
import { PORTAL, useFixtureDb } from './insights-fixture';

// "Latest answer per person" segments over a period that ends after every answer are read from a rollup of each
// person's latest answer (migration 661), kept by triggers. Here they are checked against a plain reading of the
// answer facts and custom values, after answers are added, changed and deleted and values set, changed and cleared.

const t = useFixtureDb();
const PERIOD = { from: '2026-05-01', to: '2026-07-31' };
const PLAN = 'contact.plan_tier' as CustomDimensionName;
const RENEWAL = 'contact.renewal_date' as CustomDimensionName;

type Counts = { promoters: number; passives: number; detractors: number };

/** dim → value → counts, written out from the facts: each contact's latest answer of the period. */
async function expected(): Promise<Map<string, Map<string, Counts>>> {
  const facts = await t.db.query<Record<string, string | number | null> & { contact_id: string; score: number }>(
    `SELECT f.*, to_char(f.answered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || ' ' || f.response_id AS newest
       FROM insight_answer_facts f
      WHERE portal_id = $1 AND day BETWEEN $2::date AND $3::date`,
    [PORTAL, PERIOD.from, PERIOD.to],
  );
  const latest = new Map<string, (typeof facts.rows)[number]>();
  for (const f of facts.rows) {
    const key = String(f.contact_id);
    const seen = latest.get(key);
    if (!seen || String(f.newest) > String(seen.newest)) latest.set(key, f);
  }
  const want = new Map<string, Map<string, Counts>>();
  const count = (dim: string, value: string, score: number) => {
    const values = want.get(dim) ?? new Map<string, Counts>();
    const c = values.get(value) ?? { promoters: 0, passives: 0, detractors: 0 };
    if (score >= 9) c.promoters++;
    else if (score >= 7) c.passives++;
    else c.detractors++;
    values.set(value, c);
    want.set(dim, values);
  };
  const columns: Record<string, string> = { owner: 'owner_id', company: 'company_id' };
  for (const f of latest.values()) {
    for (const d of SEGMENT_DIMENSIONS) count(d, String(f[columns[d] ?? d] ?? ''), f.score);
    for (const dim of [PLAN, RENEWAL]) {
      const v = await t.db.query<{ value: string }>(
        `SELECT coalesce((SELECT CASE WHEN since IS NOT NULL THEN insight_tenure_band(since, $4::timestamptz) ELSE value END
                            FROM segment_values WHERE portal_id = $1 AND contact_id = $2 AND dimension = $3), '') AS value`,
        [PORTAL, f.contact_id, dim, f.answered_at],
      );
      count(dim, v.rows[0]!.value, f.score);
    }
  }
  return want;
}

async function expectRollupToMatchFacts(): Promise<void> {
  await catchUpInsights(t.db, PORTAL);
  const want = await expected();
  // The rollup itself holds every person once (dimension 'all').
  const people = await t.db.query<{ n: number }>(
    `SELECT coalesce(sum(promoters + passives + detractors), 0)::int AS n FROM insight_latest_daily WHERE portal_id = $1 AND dim = 'all'`,
    [PORTAL],
  );
  expect(want.get(PLAN)?.size).toBeGreaterThan(1);
  expect(people.rows[0]!.n).toBe(
    [...(want.get('trigger')?.values() ?? [])].reduce((n, c) => n + c.promoters + c.passives + c.detractors, 0),
  );
  const opts = { mode: 'latest' as const, limit: 100 };
  const got = [
    ...(await segmentCounts(t.db, PORTAL, PERIOD, { ...opts, dimensions: [...SEGMENT_DIMENSIONS] })),
    ...(await customSegmentCounts(t.db, PORTAL, PERIOD, { ...opts, dimensions: [PLAN, RENEWAL] })),
  ];
  const byDim = new Map<string, Map<string, Counts>>();
  for (const row of got) byDim.set(row.dim, (byDim.get(row.dim) ?? new Map()).set(row.value, row.counts));
  expect(Object.fromEntries([...byDim].map(([d, v]) => [d, Object.fromEntries(v)]))).toEqual(
    Object.fromEntries([...want].map(([d, v]) => [d, Object.fromEntries(v)])),
  );
}

describe('latest-per-person segments from the rollup', () => {
  it('match the facts as answers and custom values change', async () => {
    const db = t.db;
    for (const [dimension, kind] of [
      [PLAN, 'enumeration'],
      [RENEWAL, 'date'],
    ])
      await db.query(
        `INSERT INTO segment_dimensions (portal_id, dimension, kind, label, signature, state) VALUES ($1, $2, $3, $2, '{}', 'ready')`,
        [PORTAL, dimension, kind],
      );
    await db.query(
      `INSERT INTO segment_values (portal_id, contact_id, dimension, value, since) VALUES
         ($1, 1, $2, 'Pro', NULL), ($1, 2, $2, 'Free', NULL), ($1, 1, $3, '', '2026-03-01T00:00:00Z'),
         ($1, 3, $3, '', '2027-01-01T00:00:00Z')`,
      [PORTAL, PLAN, RENEWAL],
    );
    await expectRollupToMatchFacts();

    const added = await aResponse(db, {
      portalId: PORTAL,
      contactId: 2,
      score: 1,
      ownerId: '22',
      companyId: 502,
      answeredAt: new Date('2026-07-10T10:00:00Z'),
    });
    await expectRollupToMatchFacts();
    await db.query(`UPDATE responses SET score = 10, category = 'promoter', owner_id = '11' WHERE id = $1`, [added.id]);
    await expectRollupToMatchFacts();
    await db.query(`UPDATE segment_values SET value = 'Enterprise' WHERE portal_id = $1 AND contact_id = 2`, [PORTAL]);
    await db.query(
      `INSERT INTO segment_values (portal_id, contact_id, dimension, value, since) VALUES ($1, 4, $2, 'Pro', NULL)`,
      [PORTAL, PLAN],
    );
    await expectRollupToMatchFacts();
    await db.query(`DELETE FROM segment_values WHERE portal_id = $1 AND contact_id = 1`, [PORTAL]);
    await db.query('DELETE FROM responses WHERE id = $1', [added.id]);
    await expectRollupToMatchFacts();
    // A rebuild (after a backfill) gives the same counts.
    await db.query('SELECT segment_rebuild_daily($1, $2)', [PORTAL, PLAN]);
    await expectRollupToMatchFacts();
  });
});
