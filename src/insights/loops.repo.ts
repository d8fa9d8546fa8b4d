import type { Queryable } from '../storage';
import type { CategoryName } from './filters';
import { CLOSE_BUCKET_BOUNDS_HOURS, type Period } from './math';

// Close-the-loop figures per owner and category: the follow-up rollup (insight_loop_daily, migration 420) and, for
// follow-ups still open, the follow-up facts it is built from.

/** The follow-ups of one owner and answer category in a period. */
export interface LoopTotals {
  ownerId: string;
  category: CategoryName;
  opened: number;
  closed: number;
  /** Closed within their SLA. */
  inSla: number;
  /** Follow-ups closed per close-time bucket (bounds in CLOSE_BUCKET_BOUNDS_HOURS). */
  closeHistogram: number[];
}

/** Open follow-ups still inside their SLA at `now`, per owner and category. */
export interface UndecidedFollowUps {
  ownerId: string;
  category: CategoryName;
  count: number;
}

const BUCKETS = CLOSE_BUCKET_BOUNDS_HOURS.map((_, i) => i);

interface LoopRow {
  owner_id: string;
  category: CategoryName;
  opened: number;
  closed: number;
  in_sla: number;
  [bucket: `b${number}`]: number;
}

export async function loopTotals(db: Queryable, portalId: number, period: Period): Promise<LoopTotals[]> {
  const r = await db.query<LoopRow>(
    `SELECT owner_id, category, sum(opened)::int AS opened, sum(closed)::int AS closed, sum(in_sla)::int AS in_sla,
              ${BUCKETS.map((b) => `sum(b${b})::int AS b${b}`).join(', ')}
         FROM insight_loop_daily WHERE portal_id = $1 AND day BETWEEN $2::date AND $3::date GROUP BY 1, 2`,
    [portalId, period.from, period.to],
  );
  return r.rows.map((row) => ({
    ownerId: row.owner_id,
    category: row.category,
    opened: Number(row.opened),
    closed: Number(row.closed),
    inSla: Number(row.in_sla),
    closeHistogram: BUCKETS.map((b) => Number(row[`b${b}`])),
  }));
}

export async function undecidedFollowUps(
  db: Queryable,
  portalId: number,
  period: Period,
  now: Date,
): Promise<UndecidedFollowUps[]> {
  const r = await db.query<{ owner_id: string; category: CategoryName; n: number }>(
    `SELECT owner_id, category, count(*)::int AS n FROM insight_loop_facts
        WHERE portal_id = $1 AND NOT closed AND due_at > $4 AND day BETWEEN $2::date AND $3::date GROUP BY 1, 2`,
    [portalId, period.from, period.to, now],
  );
  return r.rows.map((row) => ({ ownerId: row.owner_id, category: row.category, count: Number(row.n) }));
}
