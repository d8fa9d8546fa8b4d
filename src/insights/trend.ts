import type { Queryable } from '../storage';
import { catchUpInsights } from './catch-up';
import { summarize, type NpsSummary } from '../core';
import type { Mode } from './filters';
import { periodBuckets, sharesOf, type CategoryShares, type Granularity, type Period } from './math';
import { countsByBucket } from './scores.repo';

interface TrendPoint extends NpsSummary {
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
export async function trend(
  db: Queryable,
  portalId: number,
  period: Period,
  granularity: Granularity,
  mode: Mode,
  minAnswers: number,
): Promise<Trend> {
  await catchUpInsights(db, portalId);
  const byBucket = await countsByBucket(db, portalId, period, granularity, mode);
  const points = periodBuckets(period, granularity).map((b) => {
    const counts = byBucket.get(b.key) ?? { promoters: 0, passives: 0, detractors: 0 };
    return { bucket: b.key, from: b.from, to: b.to, ...summarize(counts, minAnswers), shares: sharesOf(counts) };
  });
  return { granularity, mode, period, points };
}
