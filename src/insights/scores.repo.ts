import type { Queryable } from '../storage';
import type { CategoryCounts } from '../core';
import type { Mode, SegmentDimension } from './filters';
import type { Granularity, Period, ScoreHistogram } from './math';

// NPS counts read from the rollups, and the SQL pieces the other insight repositories share. "All answers" read
// the daily rollup (insight_daily, migration 410); "latest answer per person" reads each person's latest answer
// (migration 415), so neither loads answers into memory.

const SCORES = Array.from({ length: 11 }, (_, s) => s);

/** The column of insight_answer_facts behind each segment dimension (SQL names come from here, never from a request). */
export const FACT_COLUMNS: Record<SegmentDimension, string> = {
  trigger: 'trigger',
  pipeline: 'pipeline',
  stage: 'stage',
  owner: 'owner_id',
  company: 'company_id',
  industry: 'industry',
  lifecycle: 'lifecycle',
  language: 'language',
  tenure: 'tenure',
};

/** Sums of the rollup's score columns as s0..s10. */
const HISTOGRAM_SUMS = SCORES.map((s) => `coalesce(sum(s${s}), 0)::int AS s${s}`).join(', ');

/** Counts of each score among fact rows (alias f) as s0..s10. */
const HISTOGRAM_COUNTS = SCORES.map((s) => `count(*) FILTER (WHERE f.score = ${s})::int AS s${s}`).join(', ');

/** Promoters, passives and detractors of rollup rows. */
export const CATEGORY_SUMS =
  'coalesce(sum(s9 + s10), 0)::int AS promoters, coalesce(sum(s7 + s8), 0)::int AS passives, ' +
  'coalesce(sum(s0 + s1 + s2 + s3 + s4 + s5 + s6), 0)::int AS detractors';

/** Promoters, passives and detractors of fact rows (alias f). */
export const CATEGORY_COUNTS =
  'count(*) FILTER (WHERE f.score >= 9)::int AS promoters, count(*) FILTER (WHERE f.score BETWEEN 7 AND 8)::int AS passives, ' +
  'count(*) FILTER (WHERE f.score <= 6)::int AS detractors';

/** The columns of insight_answer_facts, as latestFacts returns them. */
const FACT_ROW =
  'response_id, portal_id, contact_id, answered_at, day, score, trigger, pipeline, stage, owner_id, company_id, industry, lifecycle, language, tenure';

/**
 * "Some answer is newer than the period's end": then each person's latest answer of the period is not their latest
 * of all, and neither insight_latest_answers nor its daily rollup insight_latest_daily (migration 661) applies.
 */
export function newerThan(portal: string, to: string): string {
  return `EXISTS (SELECT 1 FROM insight_answer_facts WHERE portal_id = ${portal} AND day > ${to}::date)`;
}

/**
 * Each contact's latest answer whose day lies between the given parameters (e.g. `$2`, `$3`), as rows of
 * insight_answer_facts. When no answer is newer than the period's end (the usual case: periods end today), this
 * is the contact's latest answer of all, kept in insight_latest_answers; otherwise it is the first row per contact
 * of insight_answer_facts in (contact, newest first) order. Both branches sit in one statement, so they are
 * judged on the same snapshot; Postgres runs only the one whose guard holds. Ties on the time go to the larger id.
 * With `withPrevious`, each row also has previous_score: the score of the contact's answer just before it (at any
 * earlier time), or NULL for a first answer (kept in insight_latest_answers by migration 660; looked up otherwise).
 */
export function latestFacts(portal: string, from: string, to: string, opts: { withPrevious?: boolean } = {}): string {
  const newer = newerThan(portal, to);
  const previous = opts.withPrevious
    ? `SELECT older.*, prev.score AS previous_score FROM (${olderLatest(portal, from, to)}) older
         LEFT JOIN LATERAL (
           SELECT p.score FROM insight_answer_facts p
            WHERE p.portal_id = older.portal_id AND p.contact_id = older.contact_id
              AND (p.answered_at, p.response_id) < (older.answered_at, older.response_id)
            ORDER BY p.answered_at DESC, p.response_id DESC LIMIT 1) prev ON true`
    : olderLatest(portal, from, to);
  return `SELECT ${FACT_ROW}${opts.withPrevious ? ', previous_score' : ''} FROM insight_latest_answers
           WHERE portal_id = ${portal} AND day BETWEEN ${from}::date AND ${to}::date AND NOT ${newer}
          UNION ALL
          SELECT * FROM (${previous}) older WHERE ${newer}`;
}

function olderLatest(portal: string, from: string, to: string): string {
  return `SELECT DISTINCT ON (contact_id) ${FACT_ROW} FROM insight_answer_facts
           WHERE portal_id = ${portal} AND day BETWEEN ${from}::date AND ${to}::date
           ORDER BY contact_id, answered_at DESC, response_id DESC`;
}

type HistogramRow = Record<`s${number}`, number>;

function histogramOf(row: HistogramRow | undefined): ScoreHistogram {
  return SCORES.map((s) => Number(row?.[`s${s}`] ?? 0));
}

export function countsOf(
  row: { promoters: number | string; passives: number | string; detractors: number | string } | undefined,
): CategoryCounts {
  return {
    promoters: Number(row?.promoters ?? 0),
    passives: Number(row?.passives ?? 0),
    detractors: Number(row?.detractors ?? 0),
  };
}

/** The 0–10 histogram of the answers in a period. */
export async function scoreHistogram(
  db: Queryable,
  portalId: number,
  period: Period,
  mode: Mode,
): Promise<ScoreHistogram> {
  const sql =
    mode === 'all'
      ? `SELECT ${HISTOGRAM_SUMS} FROM insight_daily WHERE portal_id = $1 AND dim = 'all' AND day BETWEEN $2::date AND $3::date`
      : `SELECT ${HISTOGRAM_COUNTS} FROM (${latestFacts('$1', '$2', '$3')}) f`;
  const r = await db.query<HistogramRow>(sql, [portalId, period.from, period.to]);
  return histogramOf(r.rows[0]);
}

/**
 * Promoters, passives and detractors per week, month or quarter, keyed by the bucket's calendar start. In "latest"
 * mode each bucket counts each person's latest answer within that bucket. Buckets without answers are absent.
 */
export async function countsByBucket(
  db: Queryable,
  portalId: number,
  period: Period,
  granularity: Granularity,
  mode: Mode,
): Promise<Map<string, CategoryCounts>> {
  const sql =
    mode === 'all'
      ? `SELECT date_trunc($4, day::timestamp)::date::text AS bucket, ${CATEGORY_SUMS}
           FROM insight_daily WHERE portal_id = $1 AND dim = 'all' AND day BETWEEN $2::date AND $3::date
          GROUP BY 1`
      : // Within a contact the index already orders answers newest first; the incremental sort by bucket is cheap.
        `SELECT bucket, ${CATEGORY_COUNTS} FROM (
           SELECT DISTINCT ON (contact_id, bucket) bucket, score FROM (
             SELECT contact_id, answered_at, response_id, score, date_trunc($4, day::timestamp)::date::text AS bucket
               FROM insight_answer_facts WHERE portal_id = $1 AND day BETWEEN $2::date AND $3::date) x
           ORDER BY contact_id, bucket, answered_at DESC, response_id DESC) f
         GROUP BY bucket`;
  const r = await db.query<{ bucket: string; promoters: number; passives: number; detractors: number }>(sql, [
    portalId,
    period.from,
    period.to,
    granularity,
  ]);
  return new Map(r.rows.map((row) => [row.bucket, countsOf(row)]));
}

/** Promoters, passives and detractors of each owner's customers in a period, keyed by owner id. */
export async function countsByOwner(
  db: Queryable,
  portalId: number,
  period: Period,
  mode: Mode,
): Promise<Map<string, CategoryCounts>> {
  const npsSql =
    mode === 'all'
      ? `SELECT value AS owner_id, ${CATEGORY_SUMS} FROM insight_daily
          WHERE portal_id = $1 AND dim = 'owner' AND day BETWEEN $2::date AND $3::date GROUP BY 1`
      : `SELECT f.owner_id, ${CATEGORY_COUNTS} FROM (${latestFacts('$1', '$2', '$3')}) f GROUP BY 1`;
  const r = await db.query<{ owner_id: string; promoters: number; passives: number; detractors: number }>(npsSql, [
    portalId,
    period.from,
    period.to,
  ]);
  return new Map(r.rows.map((row) => [row.owner_id, countsOf(row)]));
}

/** Answers of the day `today` and of the days from `weekStart` to `today` (all answers, from the daily rollup). */
export async function answerCountsTodayAndWeek(
  db: Queryable,
  portalId: number,
  today: string,
  weekStart: string,
): Promise<{ today: number; thisWeek: number }> {
  const r = await db.query<{ today: number; week: number }>(
    `SELECT coalesce(sum(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10) FILTER (WHERE day = $2::date), 0)::int AS today,
              coalesce(sum(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10), 0)::int AS week
         FROM insight_daily WHERE portal_id = $1 AND dim = 'all' AND day BETWEEN $3::date AND $2::date`,
    [portalId, today, weekStart],
  );
  return { today: Number(r.rows[0]?.today ?? 0), thisWeek: Number(r.rows[0]?.week ?? 0) };
}
