import type { Queryable } from '../storage';
import { catchUpInsights } from './catch-up';
import { summarize, type NpsSummary } from '../core';
import type { Mode } from './filters';
import { periodBuckets, sharesOf, type CategoryShares, type Granularity, type Period } from './math';
import { CATEGORY_COUNTS, CATEGORY_SUMS, countsOf } from './answers-sql';

export interface TrendPoint extends NpsSummary {
  /** Calendar start of the week (Monday), month or quarter. */
  bucket: string;
  /** The part of the bucket inside the period. */
  from: string;
  to: string;
  shares: CategoryShares;
}

export interface Trend {
  granularity: Granularity;
  mode: Mode;
  period: Period;
  points: TrendPoint[];
}

/**
 * NPS per week, month or quarter, each with its margin of error and count; buckets without answers are kept
 * (n = 0) so the chart's time axis has no holes. In "latest" mode each bucket counts each person's latest answer
 * within that bucket.
 */
export async function trend(db: Queryable, portalId: number, period: Period, granularity: Granularity, mode: Mode, minAnswers: number): Promise<Trend> {
  await catchUpInsights(db, portalId);
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
  const r = await db.query<{ bucket: string; promoters: number; passives: number; detractors: number }>(sql, [portalId, period.from, period.to, granularity]);
  const byBucket = new Map(r.rows.map((row) => [row.bucket, countsOf(row)]));
  const points = periodBuckets(period, granularity).map((b) => {
    const counts = byBucket.get(b.key) ?? { promoters: 0, passives: 0, detractors: 0 };
    return { bucket: b.key, from: b.from, to: b.to, ...summarize(counts, minAnswers), shares: sharesOf(counts) };
  });
  return { granularity, mode, period, points };
}
