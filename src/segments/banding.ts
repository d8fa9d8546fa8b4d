import type { PropertyDefinition } from '../hubspot';
import type { SegmentDimensionSetting } from '../core';

// How a CRM property becomes a segment dimension, and a property value a segment value. Pure.

export type DimensionKind = 'enumeration' | 'string' | 'number' | 'date';

/** Over this many values a dimension says nothing per segment: it is refused. */
export const MAX_SEGMENT_VALUES = 200;
const MAX_VALUE_LENGTH = 200;

/** `contact.plan_tier` / `company.tier`: the dimension's name in filters (`segment=contact.plan_tier:Gold`). */
export function dimensionName(d: Pick<SegmentDimensionSetting, 'object' | 'property'>): string {
  return `${d.object}.${d.property}`;
}

/** The settings a dimension's stored values depend on; when they change, the values are computed again. */
export function dimensionSignature(d: SegmentDimensionSetting): string {
  return JSON.stringify({ bands: d.bands ?? null });
}

export function kindOf(property: Pick<PropertyDefinition, 'type'>): DimensionKind {
  switch (property.type) {
    case 'enumeration':
    case 'bool':
      return 'enumeration';
    case 'number':
      return 'number';
    case 'date':
    case 'datetime':
      return 'date';
    default:
      return 'string';
  }
}

/** Why this property cannot be this dimension, or null when it can. */
export function dimensionProblem(d: SegmentDimensionSetting, property: PropertyDefinition): string | null {
  const kind = kindOf(property);
  if (kind === 'number' && !d.bands) return `${property.name} is a number property: give it bands, e.g. [10, 50]`;
  if (kind !== 'number' && d.bands) return `${property.name} is not a number property: bands apply to numbers only`;
  const options = property.options?.filter((o) => !o.hidden).length ?? 0;
  if (kind === 'enumeration' && options > MAX_SEGMENT_VALUES)
    return `${property.name} has ${options} options; a segment dimension can have at most ${MAX_SEGMENT_VALUES} values`;
  return null;
}

const fmt = (n: number) => String(n);

/** The band names of number bands [a, b, …]: "Under a", "a to under b", …, "b or more". */
export function bandLabels(bands: number[]): string[] {
  const labels = [`Under ${fmt(bands[0]!)}`];
  for (let i = 1; i < bands.length; i++) labels.push(`${fmt(bands[i - 1]!)} to under ${fmt(bands[i]!)}`);
  labels.push(`${fmt(bands[bands.length - 1]!)} or more`);
  return labels;
}

export function bandOf(value: number, bands: number[]): string {
  const labels = bandLabels(bands);
  const index = bands.findIndex((b) => value < b);
  return labels[index < 0 ? bands.length : index]!;
}

/** HubSpot sends datetimes as ISO strings, dates as YYYY-MM-DD, older places as epoch milliseconds. */
function parseDate(v: string): Date | null {
  const d = /^\d{10,16}$/.test(v) ? new Date(Number(v)) : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

export interface SegmentValue {
  value: string;
  /** Date dimensions: the date, banded against each answer's time when counted. */
  since: Date | null;
}

/** The stored value of one property value; null when unknown (empty, or not of the property's kind). */
export function segmentValueOf(
  kind: DimensionKind,
  raw: string | null | undefined,
  bands: number[] | undefined,
): SegmentValue | null {
  const v = raw?.trim() ?? '';
  if (v === '') return null;
  if (kind === 'date') {
    const since = parseDate(v);
    return since ? { value: '', since } : null;
  }
  if (kind === 'number') {
    const n = Number(v);
    return Number.isFinite(n) && bands ? { value: bandOf(n, bands), since: null } : null;
  }
  // Multi-select enumerations arrive as "a;b": kept as one combination, as HubSpot shows it.
  return { value: v.slice(0, MAX_VALUE_LENGTH), since: null };
}

/** Date bands, the same as the built-in tenure (SQL insight_tenure_band). */
export const DATE_BAND_LABELS: Record<string, string> = {
  lt3m: 'Under 3 months',
  '3to12m': '3–12 months',
  '1to2y': '1–2 years',
  '2yplus': '2 years or more',
};
