import { describe, expect, it } from 'vitest';
import {
  bucketStart,
  countsOfHistogram,
  daysIn,
  medianFromHistogram,
  periodBuckets,
  previousPeriod,
  CLOSE_BUCKET_BOUNDS_HOURS,
} from '../../src/insights/math';
import { resolvePeriod } from '../../src/insights/filters';

describe('periods', () => {
  it.each([
    {
      name: 'June 2026',
      p: { from: '2026-06-01', to: '2026-06-30' },
      prev: { from: '2026-05-02', to: '2026-05-31' },
      days: 30,
    },
    {
      name: 'one day',
      p: { from: '2026-03-01', to: '2026-03-01' },
      prev: { from: '2026-02-28', to: '2026-02-28' },
      days: 1,
    },
    {
      name: 'leap year 2024',
      p: { from: '2024-01-01', to: '2024-12-31' },
      prev: { from: '2022-12-31', to: '2023-12-31' },
      days: 366,
    },
  ])('the period before $name has the same $days days and ends the day before', ({ p, prev, days }) => {
    expect(daysIn(p)).toBe(days);
    expect(previousPeriod(p)).toEqual(prev);
    expect(daysIn(previousPeriod(p))).toBe(days);
  });

  it('defaults to the last 90 days ending today and refuses inverted or over-long ranges', () => {
    const today = new Date('2026-11-23T15:00:00Z');
    expect(resolvePeriod({}, today)).toEqual({ from: '2026-08-26', to: '2026-11-23' });
    expect(resolvePeriod({ to: '2026-01-31' }, today)).toEqual({ from: '2025-11-03', to: '2026-01-31' });
    expect(() => resolvePeriod({ from: '2026-02-01', to: '2026-01-31' }, today)).toThrow(
      /from \(2026-02-01\) is after to/,
    );
    expect(() => resolvePeriod({ from: '2019-01-01', to: '2026-01-31' }, today)).toThrow(/longer than 5 years/);
  });
});

describe('trend buckets', () => {
  it.each([
    { day: '2026-06-03', g: 'week' as const, start: '2026-06-01' },
    { day: '2026-06-07', g: 'week' as const, start: '2026-06-01' },
    { day: '2026-06-08', g: 'week' as const, start: '2026-06-08' },
    { day: '2026-06-30', g: 'month' as const, start: '2026-06-01' },
    { day: '2026-08-15', g: 'quarter' as const, start: '2026-07-01' },
    { day: '2026-01-01', g: 'quarter' as const, start: '2026-01-01' },
  ])('$day falls in the $g starting $start (weeks start on Monday)', ({ day, g, start }) => {
    expect(bucketStart(day, g)).toBe(start);
  });

  it('covers the period with no gaps and clips the first and last bucket to it', () => {
    expect(periodBuckets({ from: '2026-05-20', to: '2026-07-10' }, 'month')).toEqual([
      { key: '2026-05-01', from: '2026-05-20', to: '2026-05-31' },
      { key: '2026-06-01', from: '2026-06-01', to: '2026-06-30' },
      { key: '2026-07-01', from: '2026-07-01', to: '2026-07-10' },
    ]);
    const weeks = periodBuckets({ from: '2026-06-03', to: '2026-06-21' }, 'week');
    expect(weeks.map((w) => w.key)).toEqual(['2026-06-01', '2026-06-08', '2026-06-15']);
    expect(weeks.at(-1)).toEqual({ key: '2026-06-15', from: '2026-06-15', to: '2026-06-21' });
  });
});

describe('scores to categories', () => {
  it('0–6 are detractors, 7–8 passives, 9–10 promoters', () => {
    expect(countsOfHistogram([1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 3])).toEqual({ detractors: 7, passives: 4, promoters: 6 });
  });
});

describe('median close time from the bucket histogram', () => {
  const bounds = CLOSE_BUCKET_BOUNDS_HOURS;
  // An independent check: the exact median of the values must fall inside the reported bucket, and the estimate
  // is the linear interpolation inside that bucket.
  function bucketOf(hours: number): number {
    let i = 0;
    while (i + 1 < bounds.length && hours >= bounds[i + 1]!) i++;
    return i;
  }
  function histogramOf(values: number[]): number[] {
    const h = bounds.map(() => 0);
    for (const v of values) h[bucketOf(v)]!++;
    return h;
  }
  it.each([
    { name: 'all in one bucket', values: [13, 14, 15, 20], expected: 18 },
    { name: 'spread over buckets', values: [0.5, 3, 5, 9, 30, 50, 100], expected: 10 },
    { name: 'everything beyond 30 days', values: [800, 900], expected: 720 },
  ])('$name', ({ values, expected }) => {
    const h = histogramOf(values);
    const estimate = medianFromHistogram(h, bounds)!;
    const sorted = [...values].sort((a, b) => a - b);
    const exact =
      sorted.length % 2
        ? sorted[(sorted.length - 1) / 2]!
        : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
    expect(bucketOf(estimate)).toBe(bucketOf(exact));
    expect(estimate).toBe(expected);
  });

  it('is unknown when nothing was closed', () => {
    expect(
      medianFromHistogram(
        bounds.map(() => 0),
        bounds,
      ),
    ).toBeNull();
  });
});
