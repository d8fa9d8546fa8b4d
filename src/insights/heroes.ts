import type { Queryable } from '../storage';
import { catchUpInsights } from './catch-up';
import { summarize, type NpsSummary } from '../core';
import type { Settings } from '../core';
import type { CategoryName, Mode } from './filters';
import { CLOSE_BUCKET_BOUNDS_HOURS, medianFromHistogram, percent, type Period } from './math';
import { CATEGORY_COUNTS, CATEGORY_SUMS, countsOf, latestFacts } from './answers-sql';
import { ownerLabel } from './labels';

export interface SlaShare {
  /** Business days allowed (settings followUps.<category>.dueBusinessDays). */
  dueBusinessDays: number;
  /** Follow-ups whose outcome is known: closed, or open past their due time. */
  decided: number;
  closedWithinSla: number;
  /** closedWithinSla ÷ decided in percent, null when none is decided yet. */
  share: number | null;
}

export interface Hero extends NpsSummary {
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

interface LoopRow {
  owner_id: string;
  category: CategoryName;
  opened: number;
  closed: number;
  in_sla: number;
  [bucket: `b${number}`]: number;
}

const BUCKETS = CLOSE_BUCKET_BOUNDS_HOURS.map((_, i) => i);

/** Each category's SLA in business days, from the follow-up settings. */
export function slaDaysOf(s: Settings): Record<CategoryName, number> {
  return { detractor: s.followUps.detractor.dueBusinessDays, passive: s.followUps.passive.dueBusinessDays, promoter: s.followUps.promoter.dueBusinessDays };
}
const CATEGORIES: CategoryName[] = ['detractor', 'passive', 'promoter'];

/** The owners' leaderboard: their customers' NPS, promoters earned, close-the-loop time and SLA by category. */
export async function heroes(
  db: Queryable,
  portalId: number,
  period: Period,
  opts: { mode: Mode; minAnswers: number; limit: number; now: Date; dueBusinessDays: Record<CategoryName, number>; ownerLabels?: Map<string, string> },
): Promise<Heroes> {
  await catchUpInsights(db, portalId);
  const npsSql =
    opts.mode === 'all'
      ? `SELECT value AS owner_id, ${CATEGORY_SUMS} FROM insight_daily
          WHERE portal_id = $1 AND dim = 'owner' AND day BETWEEN $2::date AND $3::date GROUP BY 1`
      : `SELECT f.owner_id, ${CATEGORY_COUNTS} FROM (${latestFacts('$1', '$2', '$3')}) f GROUP BY 1`;
  const [nps, loops, undecided] = await Promise.all([
    db.query<{ owner_id: string; promoters: number; passives: number; detractors: number }>(npsSql, [portalId, period.from, period.to]),
    db.query<LoopRow>(
      `SELECT owner_id, category, sum(opened)::int AS opened, sum(closed)::int AS closed, sum(in_sla)::int AS in_sla,
              ${BUCKETS.map((b) => `sum(b${b})::int AS b${b}`).join(', ')}
         FROM insight_loop_daily WHERE portal_id = $1 AND day BETWEEN $2::date AND $3::date GROUP BY 1, 2`,
      [portalId, period.from, period.to],
    ),
    // Open follow-ups still inside their SLA: not (yet) a miss, so left out of the share.
    db.query<{ owner_id: string; category: CategoryName; n: number }>(
      `SELECT owner_id, category, count(*)::int AS n FROM insight_loop_facts
        WHERE portal_id = $1 AND NOT closed AND due_at > $4 AND day BETWEEN $2::date AND $3::date GROUP BY 1, 2`,
      [portalId, period.from, period.to, opts.now],
    ),
  ]);

  const owners = new Set<string>([...nps.rows.map((r) => r.owner_id), ...loops.rows.filter((r) => Number(r.opened) > 0).map((r) => r.owner_id)]);
  const npsByOwner = new Map(nps.rows.map((r) => [r.owner_id, countsOf(r)]));
  const undecidedBy = new Map(undecided.rows.map((r) => [`${r.owner_id}|${r.category}`, Number(r.n)]));
  const list: Hero[] = [...owners].map((ownerId) => {
    const counts = npsByOwner.get(ownerId) ?? { promoters: 0, passives: 0, detractors: 0 };
    const mine = loops.rows.filter((r) => r.owner_id === ownerId);
    const histogram = BUCKETS.map((b) => mine.reduce((a, r) => a + Number(r[`b${b}`]), 0));
    const sla = Object.fromEntries(
      CATEGORIES.map((category) => {
        const row = mine.find((r) => r.category === category);
        const decided = Number(row?.opened ?? 0) - (undecidedBy.get(`${ownerId}|${category}`) ?? 0);
        const within = Number(row?.in_sla ?? 0);
        return [category, { dueBusinessDays: opts.dueBusinessDays[category], decided, closedWithinSla: within, share: percent(within, decided) }];
      }),
    ) as Record<CategoryName, SlaShare>;
    return {
      ownerId,
      label: ownerLabel(ownerId, opts.ownerLabels),
      ...summarize(counts, opts.minAnswers),
      followUps: { opened: mine.reduce((a, r) => a + Number(r.opened), 0), closed: mine.reduce((a, r) => a + Number(r.closed), 0) },
      medianCloseHours: medianFromHistogram(histogram, CLOSE_BUCKET_BOUNDS_HOURS),
      sla,
    };
  });
  list.sort((a, b) => Number(a.tooFew) - Number(b.tooFew) || (b.nps ?? -Infinity) - (a.nps ?? -Infinity) || b.n - a.n || a.ownerId.localeCompare(b.ownerId));
  return { mode: opts.mode, period, minAnswers: opts.minAnswers, heroes: list.slice(0, opts.limit), ownersTotal: list.length };
}
