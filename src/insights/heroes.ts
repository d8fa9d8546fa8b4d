import type { Queryable } from '../storage';
import { catchUpInsights } from './catch-up';
import { summarize, type NpsSummary } from '../core';
import type { Settings } from '../core';
import type { CategoryName, Mode } from './filters';
import { CLOSE_BUCKET_BOUNDS_HOURS, medianFromHistogram, percent, type Period } from './math';
import { countsByOwner } from './scores.repo';
import { loopTotals, undecidedFollowUps } from './loops.repo';
import { ownerLabel } from './labels';

interface SlaShare {
  /** Business days allowed (settings followUps.<category>.dueBusinessDays). */
  dueBusinessDays: number;
  /** Follow-ups whose outcome is known: closed, or open past their due time. */
  decided: number;
  closedWithinSla: number;
  /** closedWithinSla ÷ decided in percent, null when none is decided yet. */
  share: number | null;
}

interface Hero extends NpsSummary {
  ownerId: string;
  label: string;
  followUps: { opened: number; closed: number };
  /** Median hours from answer to follow-up completed, estimated from the close-time histogram; null if none closed. */
  medianCloseHours: number | null;
  sla: Record<CategoryName, SlaShare>;
}

export interface Heroes {
  mode: Mode;
  period: Period;
  minAnswers: number;
  /** Owners with enough answers first, then the rest (flagged), each group by NPS; `ownersTotal` counts all of them. */
  heroes: Hero[];
  ownersTotal: number;
}

/** Each category's SLA in business days, from the follow-up settings. */
export function slaDaysOf(s: Settings): Record<CategoryName, number> {
  return {
    detractor: s.followUps.detractor.dueBusinessDays,
    passive: s.followUps.passive.dueBusinessDays,
    promoter: s.followUps.promoter.dueBusinessDays,
  };
}
const CATEGORIES: CategoryName[] = ['detractor', 'passive', 'promoter'];

/** The owners' leaderboard: their customers' NPS, promoters earned, close-the-loop time and SLA by category. */
export async function heroes(
  db: Queryable,
  portalId: number,
  period: Period,
  opts: {
    mode: Mode;
    minAnswers: number;
    limit: number;
    now: Date;
    dueBusinessDays: Record<CategoryName, number>;
    ownerLabels?: Map<string, string>;
  },
): Promise<Heroes> {
  await catchUpInsights(db, portalId);
  const [npsByOwner, loops, undecided] = await Promise.all([
    countsByOwner(db, portalId, period, opts.mode),
    loopTotals(db, portalId, period),
    // Open follow-ups still inside their SLA: not (yet) a miss, so left out of the share.
    undecidedFollowUps(db, portalId, period, opts.now),
  ]);

  const owners = new Set<string>([...npsByOwner.keys(), ...loops.filter((r) => r.opened > 0).map((r) => r.ownerId)]);
  const undecidedBy = new Map(undecided.map((r) => [`${r.ownerId}|${r.category}`, r.count]));
  const list: Hero[] = [...owners].map((ownerId) => {
    const counts = npsByOwner.get(ownerId) ?? { promoters: 0, passives: 0, detractors: 0 };
    const mine = loops.filter((r) => r.ownerId === ownerId);
    const histogram = CLOSE_BUCKET_BOUNDS_HOURS.map((_, b) => mine.reduce((a, r) => a + r.closeHistogram[b]!, 0));
    const sla = Object.fromEntries(
      CATEGORIES.map((category) => {
        const row = mine.find((r) => r.category === category);
        const decided = (row?.opened ?? 0) - (undecidedBy.get(`${ownerId}|${category}`) ?? 0);
        const within = row?.inSla ?? 0;
        return [
          category,
          {
            dueBusinessDays: opts.dueBusinessDays[category],
            decided,
            closedWithinSla: within,
            share: percent(within, decided),
          },
        ];
      }),
    ) as Record<CategoryName, SlaShare>;
    return {
      ownerId,
      label: ownerLabel(ownerId, opts.ownerLabels),
      ...summarize(counts, opts.minAnswers),
      followUps: { opened: mine.reduce((a, r) => a + r.opened, 0), closed: mine.reduce((a, r) => a + r.closed, 0) },
      medianCloseHours: medianFromHistogram(histogram, CLOSE_BUCKET_BOUNDS_HOURS),
      sla,
    };
  });
  list.sort(
    (a, b) =>
      Number(a.tooFew) - Number(b.tooFew) ||
      (b.nps ?? -Infinity) - (a.nps ?? -Infinity) ||
      b.n - a.n ||
      a.ownerId.localeCompare(b.ownerId),
  );
  return {
    mode: opts.mode,
    period,
    minAnswers: opts.minAnswers,
    heroes: list.slice(0, opts.limit),
    ownersTotal: list.length,
  };
}
