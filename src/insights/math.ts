import { DAY_MS } from '../shared';
import { compareNps, type CategoryCounts, type NpsComparison } from '../core';

// Pure arithmetic behind the dashboard: score histograms → NPS, periods and their buckets, close-time medians.
// NPS itself, its margin of error and comparisons come from src/core/nps.ts.

/** Lower bounds (hours) of the close-time buckets; must match migrations/420_insight_loop_rollup.sql. */
export const CLOSE_BUCKET_BOUNDS_HOURS = [0, 1, 2, 4, 8, 12, 24, 36, 48, 72, 96, 120, 168, 240, 336, 504, 720] as const;

/** Counts of scores 0..10 (index = score). */
export type ScoreHistogram = number[];

export function countsOfHistogram(h: ScoreHistogram): CategoryCounts {
  let promoters = 0;
  let passives = 0;
  let detractors = 0;
  h.forEach((count, score) => {
    if (score >= 9) promoters += count;
    else if (score >= 7) passives += count;
    else detractors += count;
  });
  return { promoters, passives, detractors };
}

export interface CategoryShares {
  promoters: number | null;
  passives: number | null;
  detractors: number | null;
}

/** Percent of answers in each category, one decimal; null without answers. */
export function sharesOf(c: CategoryCounts): CategoryShares {
  const n = c.promoters + c.passives + c.detractors;
  return { promoters: percent(c.promoters, n), passives: percent(c.passives, n), detractors: percent(c.detractors, n) };
}

/** part ÷ whole in percent with one decimal; null when whole is 0. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : null;
}

/** A segment and the rest of the answers (everyone else in the same period). */
export function compareWithRest(segment: CategoryCounts, total: CategoryCounts): NpsComparison {
  const rest = {
    promoters: total.promoters - segment.promoters,
    passives: total.passives - segment.passives,
    detractors: total.detractors - segment.detractors,
  };
  return compareNps(segment, rest);
}

/** A period of whole UTC days, both ends included, as ISO dates (YYYY-MM-DD). */
export interface Period {
  from: string;
  to: string;
}

export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));
}

export function daysIn(p: Period): number {
  return Math.round((Date.parse(`${p.to}T00:00:00Z`) - Date.parse(`${p.from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** The period of equal length that ends the day before `p` starts. */
export function previousPeriod(p: Period): Period {
  const length = daysIn(p);
  return { from: addDays(p.from, -length), to: addDays(p.from, -1) };
}

export type Granularity = 'week' | 'month' | 'quarter';

/** Start (ISO date) of the week (Monday), month or quarter containing `day`, as Postgres date_trunc computes it. */
export function bucketStart(day: string, g: Granularity): string {
  const d = new Date(`${day}T00:00:00Z`);
  if (g === 'week') return addDays(day, -((d.getUTCDay() + 6) % 7));
  const month = g === 'quarter' ? d.getUTCMonth() - (d.getUTCMonth() % 3) : d.getUTCMonth();
  return isoDay(new Date(Date.UTC(d.getUTCFullYear(), month, 1)));
}

function nextBucketStart(start: string, g: Granularity): string {
  if (g === 'week') return addDays(start, 7);
  const d = new Date(`${start}T00:00:00Z`);
  return isoDay(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + (g === 'quarter' ? 3 : 1), 1)));
}

/** Every bucket overlapping the period, clipped to it: `key` is the bucket's calendar start. */
export function periodBuckets(p: Period, g: Granularity): Array<{ key: string; from: string; to: string }> {
  const out: Array<{ key: string; from: string; to: string }> = [];
  for (let key = bucketStart(p.from, g); key <= p.to; key = nextBucketStart(key, g)) {
    const end = addDays(nextBucketStart(key, g), -1);
    out.push({ key, from: key < p.from ? p.from : key, to: end > p.to ? p.to : end });
  }
  return out;
}

/**
 * Median of values known only as a histogram over [bounds[i], bounds[i+1]) buckets (the last one open-ended),
 * interpolated linearly inside the bucket that holds the middle value. The open last bucket reports its lower
 * bound. Null without values.
 */
export function medianFromHistogram(counts: readonly number[], bounds: readonly number[]): number | null {
  const n = counts.reduce((a, b) => a + b, 0);
  if (n === 0) return null;
  const half = n / 2;
  let below = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (c > 0 && below + c >= half) {
      const lo = bounds[i]!;
      const hi = bounds[i + 1];
      if (hi === undefined) return lo;
      return Math.round((lo + ((half - below) / c) * (hi - lo)) * 10) / 10;
    }
    below += c;
  }
  return bounds[bounds.length - 1]!;
}

export type Direction = 'up' | 'down' | 'flat';

/** Which way a change points, "flat" unless it is larger than the noise. */
export function directionOf(change: NpsComparison): Direction {
  if (!change.significant || change.difference === null) return 'flat';
  return change.difference > 0 ? 'up' : 'down';
}
