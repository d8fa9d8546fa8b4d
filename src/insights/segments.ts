import type { Queryable } from '../storage';
import { catchUpInsights } from './catch-up';
import { summarize, type CategoryCounts, type NpsComparison, type NpsSummary } from '../core';
import {
  SEGMENT_DIMENSIONS,
  isCustomDimension,
  type CustomDimensionName,
  type Mode,
  type SegmentDimension,
  type SegmentName,
} from './filters';
import { compareWithRest, type Period } from './math';
import { segmentCounts, type SegmentCounts } from './segments.repo';
import { customSegmentCounts } from './custom-segments.repo';
import { dimensionLabel, segmentValueLabel, type CustomDimensionInfo } from './labels';

interface SegmentValue extends NpsSummary {
  /** The stored value ('' = unknown); use it in `segment=<name>:<value>` filters. */
  value: string;
  label: string;
  /** This segment against everyone else in the period; a difference counts only when larger than the noise. */
  vsRest: NpsComparison & { direction: 'above' | 'below' | null };
}

export interface SegmentSplit {
  name: SegmentName;
  /** A custom dimension (a CRM property chosen by an admin) rather than a built-in one. */
  custom: boolean;
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
    dimensions?: SegmentName[];
    limit: number;
    minAnswers: number;
    ownerLabels?: Map<string, string>;
    /** The portal's custom dimensions; all of them are split by when no dimensions are given. */
    custom?: CustomDimensionInfo[];
  },
): Promise<SegmentSplit[]> {
  await catchUpInsights(db, portalId);
  const custom = opts.custom ?? [];
  const dimensions: SegmentName[] = opts.dimensions ?? [
    ...SEGMENT_DIMENSIONS,
    ...custom.map((c) => c.name as CustomDimensionName),
  ];
  const builtIn = dimensions.filter((d): d is SegmentDimension => !isCustomDimension(d));
  const customNames = dimensions.filter((d): d is CustomDimensionName => isCustomDimension(d));
  const query = { mode: opts.mode, limit: opts.limit };
  const [rows, customRows] = await Promise.all([
    builtIn.length
      ? segmentCounts(db, portalId, period, { ...query, dimensions: builtIn })
      : Promise.resolve([] as SegmentCounts[]),
    customSegmentCounts(db, portalId, period, { ...query, dimensions: customNames }),
  ]);
  rows.push(...customRows);
  const byDimension = new Map<string, SegmentCounts[]>();
  for (const row of rows) byDimension.set(row.dim, [...(byDimension.get(row.dim) ?? []), row]);
  return dimensions.map((name) => {
    const values = byDimension.get(name) ?? [];
    const total: CategoryCounts = values[0]?.dimensionTotal ?? { promoters: 0, passives: 0, detractors: 0 };
    const info = custom.find((c) => c.name === name);
    return {
      name,
      custom: isCustomDimension(name),
      label: dimensionLabel(name, info),
      n: total.promoters + total.passives + total.detractors,
      valuesTotal: values[0]?.valuesTotal ?? 0,
      values: values.map((row) => {
        const counts = row.counts;
        const vsRest = compareWithRest(counts, total);
        const direction =
          !vsRest.significant || vsRest.difference === null ? null : vsRest.difference > 0 ? 'above' : 'below';
        return {
          value: row.value,
          label: segmentValueLabel(name, row.value, {
            companyName: row.companyName,
            ownerLabels: opts.ownerLabels,
            custom: info,
          }),
          ...summarize(counts, opts.minAnswers),
          vsRest: { ...vsRest, direction },
        };
      }),
    };
  });
}
