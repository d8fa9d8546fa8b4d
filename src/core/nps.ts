// NPS arithmetic (ARCHITECTURE.md §4). Pure functions: every report, rollup and card uses these.

export type Category = 'promoter' | 'passive' | 'detractor';

const MIN_RELIABLE_ANSWERS = 30;
const Z95 = 1.959964;

export function categoryOf(score: number): Category {
  if (!Number.isInteger(score) || score < 0 || score > 10)
    throw new RangeError(`an NPS score is an integer 0–10, got ${score}`);
  if (score >= 9) return 'promoter';
  if (score >= 7) return 'passive';
  return 'detractor';
}

export interface CategoryCounts {
  promoters: number;
  passives: number;
  detractors: number;
}

export interface NpsSummary extends CategoryCounts {
  /** Answered surveys only. */
  n: number;
  /** −100..100, null when there are no answers. */
  nps: number | null;
  /** Half-width of the 95% interval in NPS points (trinomial variance), null when n < 2. */
  marginOfError: number | null;
  /** Fewer answers than can be trusted (default 30). */
  tooFew: boolean;
}

function countScores(scores: Iterable<number>): CategoryCounts {
  const c = { promoters: 0, passives: 0, detractors: 0 };
  for (const s of scores) {
    const cat = categoryOf(s);
    if (cat === 'promoter') c.promoters++;
    else if (cat === 'passive') c.passives++;
    else c.detractors++;
  }
  return c;
}

/** Variance of the NPS estimate as a proportion (−1..1): (p + d − (p − d)²) / n. */
function npsVariance(c: CategoryCounts): number | null {
  const n = c.promoters + c.passives + c.detractors;
  if (n < 2) return null;
  const p = c.promoters / n;
  const d = c.detractors / n;
  return (p + d - (p - d) ** 2) / n;
}

export function summarize(c: CategoryCounts, minAnswers = MIN_RELIABLE_ANSWERS): NpsSummary {
  const n = c.promoters + c.passives + c.detractors;
  const variance = npsVariance(c);
  return {
    ...c,
    n,
    nps: n === 0 ? null : round1(((c.promoters - c.detractors) / n) * 100),
    marginOfError: variance === null ? null : round1(Z95 * Math.sqrt(variance) * 100),
    tooFew: n < minAnswers,
  };
}

export function npsOfScores(scores: Iterable<number>, minAnswers = MIN_RELIABLE_ANSWERS): NpsSummary {
  return summarize(countScores(scores), minAnswers);
}

export interface NpsComparison {
  /** a − b in NPS points. */
  difference: number | null;
  /** 95% margin of the difference (independent samples). */
  marginOfError: number | null;
  /** True only when the difference is larger than the noise. */
  significant: boolean;
}

export function compareNps(a: CategoryCounts, b: CategoryCounts): NpsComparison {
  const sa = summarize(a);
  const sb = summarize(b);
  const va = npsVariance(a);
  const vb = npsVariance(b);
  if (sa.nps === null || sb.nps === null || va === null || vb === null)
    return { difference: null, marginOfError: null, significant: false };
  const difference = round1(sa.nps - sb.nps);
  const margin = Z95 * Math.sqrt(va + vb) * 100;
  return { difference, marginOfError: round1(margin), significant: Math.abs(sa.nps - sb.nps) > margin };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
