import type { Queryable } from '../storage';
import { scoreChange } from '../responses';
import { catchUpInsights } from './catch-up';
import type { SegmentDimension } from './filters';
import { dimensionLabel, segmentValueLabel } from './labels';
import type { Period } from './math';
import { movementUnder } from './movers.repo';

// The movers panel: who changed their score since their previous answer, in which direction, and the net
// movement per segment. A person counts once, by their latest answer in the period (score-change.rules.ts decides
// what "previous" and "at risk" mean; movers.repo.ts counts and ranks in the database); people answering for the
// first time are not movers.

interface Mover {
  contactId: string;
  name: string | null;
  email: string | null;
  score: number;
  previousScore: number;
  /** Points, current − previous; never 0 (unchanged people are counted, not listed). */
  change: number;
  direction: 'up' | 'down';
  atRisk: boolean;
  answeredAt: string;
  segment: { value: string; label: string };
}

interface MovementCounts {
  /** People with a previous answer to compare with. */
  compared: number;
  improved: number;
  declined: number;
  unchanged: number;
  atRisk: number;
  /** improved − declined: more people up than down is positive. */
  net: number;
  /** Sum of the changes, in points. */
  points: number;
}

interface SegmentMovement extends MovementCounts {
  value: string;
  label: string;
}

export interface Movers {
  period: Period;
  dimension: { name: SegmentDimension; label: string };
  totals: MovementCounts;
  /** At-risk people first, then the largest drops, then the largest rises; at most `limit`. */
  movers: Mover[];
  moversTotal: number;
  /** Segments with movement, the largest net decline first. */
  segments: SegmentMovement[];
}

export async function movers(
  db: Queryable,
  portalId: number,
  period: Period,
  opts: { dimension: SegmentDimension; limit: number; ownerLabels?: Map<string, string> },
): Promise<Movers> {
  await catchUpInsights(db, portalId);
  const found = await movementUnder(db, portalId, period, opts.dimension, opts.limit);
  const label = (value: string, companyName: string | null) =>
    segmentValueLabel(opts.dimension, value, { companyName, ownerLabels: opts.ownerLabels });
  const totals: MovementCounts = { compared: 0, improved: 0, declined: 0, unchanged: 0, atRisk: 0, net: 0, points: 0 };
  const segments: SegmentMovement[] = found.segments.map((s) => {
    const counts = { ...s, compared: s.improved + s.declined + s.unchanged, net: s.improved - s.declined };
    for (const k of Object.keys(totals) as Array<keyof MovementCounts>) totals[k] += counts[k];
    return { ...counts, value: s.value, label: label(s.value, s.companyName) };
  });
  return {
    period,
    dimension: { name: opts.dimension, label: dimensionLabel(opts.dimension) },
    totals,
    movers: found.movers.map((m) => {
      const change = scoreChange(m.score, m.previousScore);
      return {
        contactId: m.contactId,
        name: m.name,
        email: m.email,
        score: m.score,
        previousScore: m.previousScore,
        change: change.change ?? 0,
        direction: m.score > m.previousScore ? 'up' : 'down',
        atRisk: change.atRisk,
        answeredAt: m.answeredAt,
        segment: { value: m.segment, label: label(m.segment, m.companyName) },
      };
    }),
    moversTotal: totals.improved + totals.declined,
    segments: segments
      .filter((s) => s.improved + s.declined > 0)
      .sort((a, b) => a.net - b.net || a.points - b.points || a.label.localeCompare(b.label))
      .slice(0, opts.limit),
  };
}
