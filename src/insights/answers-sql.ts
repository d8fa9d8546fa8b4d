import type { Queryable } from '../storage';
import type { CategoryCounts } from '../core';
import type { Mode, SegmentDimension } from './filters';
import type { Period, ScoreHistogram } from './math';

// SQL shared by the insight queries. "All answers" read the daily rollup (insight_daily, migration 410); "latest
// answer per person" reads each person's latest answer (migration 415), so neither loads answers into memory.

const SCORES = Array.from({ length: 11 }, (_, s) => s);

/** The column of insight_answer_facts behind each segment dimension (SQL names come from here, never from a request). */
export const FACT_COLUMNS: Record<SegmentDimension, string> = {
  trigger: 'trigger', pipeline: 'pipeline', stage: 'stage', owner: 'owner_id', company: 'company_id',
  industry: 'industry', lifecycle: 'lifecycle', language: 'language', tenure: 'tenure',
};

/** Sums of the rollup's score columns as s0..s10. */
export const HISTOGRAM_SUMS = SCORES.map((s) => `coalesce(sum(s${s}), 0)::int AS s${s}`).join(', ');

/** Counts of each score among fact rows (alias f) as s0..s10. */
export const HISTOGRAM_COUNTS = SCORES.map((s) => `count(*) FILTER (WHERE f.score = ${s})::int AS s${s}`).join(', ');

/** Promoters, passives and detractors of rollup rows. */
export const CATEGORY_SUMS =
  'coalesce(sum(s9 + s10), 0)::int AS promoters, coalesce(sum(s7 + s8), 0)::int AS passives, ' +
  'coalesce(sum(s0 + s1 + s2 + s3 + s4 + s5 + s6), 0)::int AS detractors';

/** Promoters, passives and detractors of fact rows (alias f). */
export const CATEGORY_COUNTS =
  'count(*) FILTER (WHERE f.score >= 9)::int AS promoters, count(*) FILTER (WHERE f.score BETWEEN 7 AND 8)::int AS passives, ' +
  'count(*) FILTER (WHERE f.score <= 6)::int AS detractors';

/**
 * Each contact's latest answer whose day lies between the given parameters (e.g. `$2`, `$3`), as rows of
 * insight_answer_facts. When no answer is newer than the period's end (the usual case: periods end today), this
 * is the contact's latest answer of all, kept in insight_latest_answers; otherwise it is the first row per contact
 * of insight_answer_facts in (contact, newest first) order. Both branches sit in one statement, so they are
 * judged on the same snapshot; Postgres runs only the one whose guard holds. Ties on the time go to the larger id.
 */
export function latestFacts(portal: string, from: string, to: string): string {
  const newer = `EXISTS (SELECT 1 FROM insight_answer_facts WHERE portal_id = ${portal} AND day > ${to}::date)`;
  return `SELECT * FROM insight_latest_answers
           WHERE portal_id = ${portal} AND day BETWEEN ${from}::date AND ${to}::date AND NOT ${newer}
          UNION ALL
          SELECT * FROM (
            SELECT DISTINCT ON (contact_id) * FROM insight_answer_facts
             WHERE portal_id = ${portal} AND day BETWEEN ${from}::date AND ${to}::date
             ORDER BY contact_id, answered_at DESC, response_id DESC) older
           WHERE ${newer}`;
}

export type HistogramRow = Record<`s${number}`, number>;

export function histogramOf(row: HistogramRow | undefined): ScoreHistogram {
  return SCORES.map((s) => Number(row?.[`s${s}`] ?? 0));
}

export function countsOf(row: { promoters: number | string; passives: number | string; detractors: number | string } | undefined): CategoryCounts {
  return { promoters: Number(row?.promoters ?? 0), passives: Number(row?.passives ?? 0), detractors: Number(row?.detractors ?? 0) };
}

/** The 0–10 histogram of the answers in a period. */
export async function scoreHistogram(db: Queryable, portalId: number, period: Period, mode: Mode): Promise<ScoreHistogram> {
  const sql =
    mode === 'all'
      ? `SELECT ${HISTOGRAM_SUMS} FROM insight_daily WHERE portal_id = $1 AND dim = 'all' AND day BETWEEN $2::date AND $3::date`
      : `SELECT ${HISTOGRAM_COUNTS} FROM (${latestFacts('$1', '$2', '$3')}) f`;
  const r = await db.query<HistogramRow>(sql, [portalId, period.from, period.to]);
  return histogramOf(r.rows[0]);
}
