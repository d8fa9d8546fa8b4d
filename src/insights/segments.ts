import type { Queryable } from '../storage';
import { catchUpInsights } from './catch-up';
import { summarize, type CategoryCounts, type NpsComparison, type NpsSummary } from '../core';
import { SEGMENT_DIMENSIONS, type Mode, type SegmentDimension } from './filters';
import { compareWithRest, type Period } from './math';
import { segmentCounts, type SegmentCounts } from './segments.repo';
import { dimensionLabel, segmentValueLabel } from './labels';

interface SegmentValue extends NpsSummary {
  /** The stored value ('' = unknown); use it in `segment=<name>:<value>` filters. */
  value: string;
  label: string;
  /** This segment against everyone else in the period; a difference counts only when larger than the noise. */
  vsRest: NpsComparison & { direction: 'above' | 'below' | null };
}

export interface SegmentSplit {
  name: SegmentDimension;
  label: string;
  /** Answers counted in this split (all of the period's). */
  n: number;
  /** Values with answers; the largest `limit` are listed, small ones flagged (tooFew) rather than left out. */
  valuesTotal: number;
  values: SegmentValue[];
}

/** NPS with margin of error per value of each requested dimension, each compared with the rest. */
export async function segments(
  db: Queryable,
  portalId: number,
  period: Period,
  opts: {
    mode: Mode;
    dimensions?: SegmentDimension[];
    limit: number;
    minAnswers: number;
    ownerLabels?: Map<string, string>;
  },
): Promise<SegmentSplit[]> {
  await catchUpInsights(db, portalId);
  const dimensions = opts.dimensions ?? [...SEGMENT_DIMENSIONS];
  const rows = await segmentCounts(db, portalId, period, { mode: opts.mode, dimensions, limit: opts.limit });
  const byDimension = new Map<string, SegmentCounts[]>();
  for (const row of rows) byDimension.set(row.dim, [...(byDimension.get(row.dim) ?? []), row]);
  return dimensions.map((name) => {
    const values = byDimension.get(name) ?? [];
    const total: CategoryCounts = values[0]?.dimensionTotal ?? { promoters: 0, passives: 0, detractors: 0 };
    return {
      name,
      label: dimensionLabel(name),
      n: total.promoters + total.passives + total.detractors,
      valuesTotal: values[0]?.valuesTotal ?? 0,
      values: values.map((row) => {
        const counts = row.counts;
        const vsRest = compareWithRest(counts, total);
        const direction =
          !vsRest.significant || vsRest.difference === null ? null : vsRest.difference > 0 ? 'above' : 'below';
        return {
          value: row.value,
          label: segmentValueLabel(name, row.value, { companyName: row.companyName, ownerLabels: opts.ownerLabels }),
          ...summarize(counts, opts.minAnswers),
          vsRest: { ...vsRest, direction },
        };
      }),
    };
  });
}
