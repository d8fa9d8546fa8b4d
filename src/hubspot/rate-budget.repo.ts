import type { Queryable } from '../storage';
import type { CallKind } from './rate-limiter';

// The HubSpot call schedule every app copy on one Postgres shares (migrations 630, 631): a sliding log per portal
// and kind of call. One statement per call, serialised on the portal's row: the call starts now if fewer than
// `budget` calls started in the last `windowMs`, else when the oldest of the last `budget` starts leaves the
// window; its start joins the log, which keeps the last `budget` starts. The answer is how long to wait before
// calling, measured on the database's clock alone, so the copies' clocks need not agree.

interface CallWindow {
  /** Most call starts in any window. */
  budget: number;
  /** The window, stretched by how late a call may reach HubSpot after its start. */
  windowMs: number;
}

/** Reserves one call's start on the shared schedule; resolves to the milliseconds to wait before starting it. */
export type ReserveSlot = (portalId: number, kind: CallKind, window: CallWindow) => Promise<number>;

// The slot: now, or the start `budget` places back plus the window once the log holds `budget` starts.
const SLOT = `greatest((SELECT now FROM t), CASE WHEN cardinality(b.recent) >= $3
  THEN b.recent[cardinality(b.recent) - $3 + 1] + make_interval(secs => $4 / 1000.0) END)`;

export function sharedSchedule(db: Queryable): ReserveSlot {
  return async (portalId, kind, { budget, windowMs }) => {
    const r = await db.query<{ wait_ms: number }>(
      `WITH t AS (SELECT clock_timestamp() AS now)
       INSERT INTO hubspot_rate_budget AS b (portal_id, kind, next_slot, recent)
       SELECT $1, $2, t.now, ARRAY[t.now] FROM t
       ON CONFLICT (portal_id, kind) DO UPDATE
         SET next_slot = ${SLOT},
             recent = (b.recent || ${SLOT})[greatest(1, cardinality(b.recent) + 2 - $3):]
       RETURNING greatest(0, extract(epoch FROM b.next_slot - clock_timestamp()) * 1000)::float8 AS wait_ms`,
      [portalId, kind, budget, windowMs],
    );
    return Number(r.rows[0]?.wait_ms ?? 0);
  };
}
