import { DAY_MS } from '../shared';

// The pure rules that make eNPS anonymous: coarse bands, day rounding, the smallest group anything is stored or
// shown for, and the release guard that keeps differencing two views from isolating fewer people than that.

export const OTHER = 'other';
export const UNKNOWN = 'unknown';
/** Below this no group is ever shown, whatever the settings say. */
const MIN_THRESHOLD = 3;

export type TenureBand = '<1y' | '1-2y' | '2-5y' | '5y+' | typeof UNKNOWN;

/** A tenure band as people write it ("<1y", "under 1 year", "1-2", "2–5 years", "5+"), or undefined. */
export function parseTenureBand(text: string): TenureBand | undefined {
  const t = text
    .trim()
    .toLowerCase()
    .replace(/[–—]/g, '-')
    .replace(/\s+/g, '')
    .replace(/(years?|yrs?|y)(\+?)$/, '$2');
  if (t === '') return UNKNOWN;
  if (t === '<1' || t === 'under1' || t === '0-1') return '<1y';
  if (t === '1-2') return '1-2y';
  if (t === '2-5') return '2-5y';
  if (t === '5+' || t === '>5' || t === 'over5') return '5y+';
  return undefined;
}

/** The threshold in force: the setting, never below MIN_THRESHOLD. */
export function effectiveThreshold(setting: number): number {
  return Math.max(MIN_THRESHOLD, Math.floor(setting));
}

/** The UTC day of a moment, 'YYYY-MM-DD': the only time an answer keeps. */
export function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));
}

export interface PersonBands {
  team: string;
  tenure: string;
  location: string;
}

/**
 * A value kept only if at least k of `values` share it; the rest become `fallback`. If that would leave 1..k−1
 * people under `fallback`, the smallest kept values join them until it holds k (or everything is `fallback`), so
 * "everyone else" never singles out a handful either.
 */
function generalise(values: string[], k: number, fallback: string): (value: string) => string {
  const sizes = new Map<string, number>();
  for (const v of values) sizes.set(v, (sizes.get(v) ?? 0) + 1);
  const kept = [...sizes]
    .filter(([v, n]) => v !== fallback && n >= k)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  let pool = values.length - kept.reduce((sum, [, n]) => sum + n, 0);
  while (pool > 0 && pool < k && kept.length > 0) pool += kept.pop()![1];
  const keep = new Set(kept.map(([v]) => v));
  return (value) => (keep.has(value) ? value : fallback);
}

/**
 * The bands an answer keeps, so that every combination stored in the database stands for at least k invited
 * people (when the wave invited at least k): the team, then tenure within the team band, then location within
 * both, each generalised as above. Depends only on who was invited, so everyone in a cell gets the same bands.
 */
export function coarsenBands(person: PersonBands, invitees: PersonBands[], k: number): PersonBands {
  const teamOf = generalise(
    invitees.map((p) => p.team),
    k,
    OTHER,
  );
  const team = teamOf(person.team);
  const sameTeam = invitees.filter((p) => teamOf(p.team) === team);
  const tenureOf = generalise(
    sameTeam.map((p) => p.tenure),
    k,
    UNKNOWN,
  );
  const tenure = tenureOf(person.tenure);
  const sameCell = sameTeam.filter((p) => tenureOf(p.tenure) === tenure);
  const locationOf = generalise(
    sameCell.map((p) => p.location),
    k,
    UNKNOWN,
  );
  return { team, tenure, location: locationOf(person.location) };
}

/** Counts of scores 0..10 (index = score). */
export type Histogram = number[];

function emptyHistogram(): Histogram {
  return Array.from({ length: 11 }, () => 0);
}

export function histogramOf(scores: Iterable<number>): Histogram {
  const h = emptyHistogram();
  for (const s of scores) h[s] = (h[s] ?? 0) + 1;
  return h;
}

export function sizeOf(h: Histogram): number {
  return h.reduce((a, b) => a + b, 0);
}

function addInto(into: Histogram, h: Histogram): void {
  h.forEach((c, i) => (into[i] = (into[i] ?? 0) + c));
}

export interface Group {
  key: string;
  histogram: Histogram;
}

export interface Release {
  /** Everyone; null when fewer than k answered (then nothing at all is shown). */
  total: Histogram | null;
  /** Groups shown by name, each with at least k answers. */
  shown: Group[];
  /** Every group not shown, merged; at least k answers, or null when there is nothing to merge. */
  other: Histogram | null;
  /** How many groups went into "other". */
  merged: number;
}

/**
 * What may be shown of one grouping of one wave. Groups below k go into "other"; if "other" would then hold 1..k−1
 * answers, the smallest shown groups join it until it holds k (complementary suppression) — otherwise "total minus
 * every shown group" would isolate it. The released sets are the total and a partition of it into parts of at least
 * k, so no sum or difference of them singles out fewer than k answers.
 */
export function releaseGroups(groups: Group[], k: number): Release {
  const threshold = effectiveThreshold(k);
  const total = emptyHistogram();
  for (const g of groups) addInto(total, g.histogram);
  if (sizeOf(total) < threshold) return { total: null, shown: [], other: null, merged: groups.length };
  const sorted = groups
    .filter((g) => sizeOf(g.histogram) > 0)
    .sort((a, b) => sizeOf(b.histogram) - sizeOf(a.histogram) || a.key.localeCompare(b.key));
  const shown = sorted.filter((g) => g.key !== OTHER && sizeOf(g.histogram) >= threshold);
  const other = emptyHistogram();
  let merged = 0;
  for (const g of sorted)
    if (!shown.includes(g)) {
      addInto(other, g.histogram);
      merged++;
    }
  while (sizeOf(other) > 0 && sizeOf(other) < threshold) {
    const smallest = shown.pop();
    if (!smallest) break;
    addInto(other, smallest.histogram);
    merged++;
  }
  return { total, shown, other: sizeOf(other) > 0 ? other : null, merged };
}

/** A copy in random order (Fisher–Yates): comments carry no order that could hint at who wrote them. */
export function shuffled<T>(items: readonly T[], random: () => number = Math.random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export type Cadence = 'monthly' | 'quarterly' | 'half-yearly' | 'yearly' | 'manual';
const CADENCE_MONTHS: Record<Exclude<Cadence, 'manual'>, number> = {
  monthly: 1,
  quarterly: 3,
  'half-yearly': 6,
  yearly: 12,
};

export interface WaveDates {
  opensOn: string;
  remindOn: string;
  closesOn: string;
}

/** Open, reminder and close days of a wave opening on `opensOn`. */
export function waveDates(opensOn: string, openDays: number, reminderAfterDays: number): WaveDates {
  const remind = Math.min(reminderAfterDays, openDays - 1);
  return { opensOn, remindOn: addDays(opensOn, Math.max(0, remind)), closesOn: addDays(opensOn, openDays) };
}

/** When the next wave opens after one that opened on `lastOpensOn`; null for a manual cadence. */
export function nextWaveOpensOn(cadence: Cadence, lastOpensOn: string | null, today: string): string | null {
  if (cadence === 'manual') return null;
  if (lastOpensOn === null) return today;
  const d = new Date(`${lastOpensOn}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + CADENCE_MONTHS[cadence]);
  return dayOf(d);
}
