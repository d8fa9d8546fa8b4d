import type { Queryable } from '../storage';
import { scoreChange } from '../responses';
import { catchUpInsights } from './catch-up';
import type { SegmentDimension } from './filters';
import { dimensionLabel, segmentValueLabel } from './labels';
import type { Period } from './math';
import { comparedAnswers, contactNames, type ComparedAnswer } from './movers.repo';

// The movers panel: who changed their score since their previous answer, in which direction, and the net
// movement per segment. A person counts once, by their latest answer in the period (score-change.rules.ts decides
// what "previous" and "at risk" mean); people answering for the first time are not movers.

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

function emptyCounts(): MovementCounts {
  return { compared: 0, improved: 0, declined: 0, unchanged: 0, atRisk: 0, net: 0, points: 0 };
}

function count(c: MovementCounts, change: number, atRisk: boolean): void {
  c.compared++;
  c.points += change;
  if (change > 0) c.improved++;
  else if (change < 0) c.declined++;
  else c.unchanged++;
  if (atRisk) c.atRisk++;
  c.net = c.improved - c.declined;
}

export async function movers(
  db: Queryable,
  portalId: number,
  period: Period,
  opts: { dimension: SegmentDimension; limit: number; ownerLabels?: Map<string, string> },
): Promise<Movers> {
  await catchUpInsights(db, portalId);
  const rows = await comparedAnswers(db, portalId, period, opts.dimension);
  const label = (r: ComparedAnswer) =>
    segmentValueLabel(opts.dimension, r.segment, { companyName: r.companyName, ownerLabels: opts.ownerLabels });
  const totals = emptyCounts();
  const bySegment = new Map<string, SegmentMovement>();
  const moved: Array<Omit<Mover, 'name' | 'email'>> = [];
  for (const r of rows) {
    const c = scoreChange(r.score, r.previousScore);
    const change = c.change ?? 0;
    count(totals, change, c.atRisk);
    let segment = bySegment.get(r.segment);
    if (!segment) bySegment.set(r.segment, (segment = { value: r.segment, label: label(r), ...emptyCounts() }));
    count(segment, change, c.atRisk);
    if (change !== 0)
      moved.push({
        contactId: r.contactId,
        score: r.score,
        previousScore: r.previousScore,
        change,
        direction: change > 0 ? 'up' : 'down',
        atRisk: c.atRisk,
        answeredAt: r.answeredAt,
        segment: { value: r.segment, label: segment.label },
      });
  }
  moved.sort(
    (a, b) =>
      Number(b.atRisk) - Number(a.atRisk) ||
      Number(a.change > 0) - Number(b.change > 0) ||
      Math.abs(b.change) - Math.abs(a.change) ||
      b.answeredAt.localeCompare(a.answeredAt),
  );
  const listed = moved.slice(0, opts.limit);
  const names = await contactNames(
    db,
    portalId,
    listed.map((m) => m.contactId),
  );
  return {
    period,
    dimension: { name: opts.dimension, label: dimensionLabel(opts.dimension) },
    totals,
    movers: listed.map((m) => ({
      ...m,
      name: names.get(m.contactId)?.name ?? null,
      email: names.get(m.contactId)?.email ?? null,
    })),
    moversTotal: moved.length,
    segments: [...bySegment.values()]
      .filter((s) => s.improved + s.declined > 0)
      .sort((a, b) => a.net - b.net || a.points - b.points || a.label.localeCompare(b.label))
      .slice(0, opts.limit),
  };
}
