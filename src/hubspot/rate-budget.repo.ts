import type { Queryable } from '../storage';
import type { CallKind } from './rate-limiter';

// The HubSpot call schedule every app copy on one Postgres shares (migration 630). One statement per call: take
// the next start slot of the portal's schedule (no earlier than `now - burstMs`, so an idle schedule allows a short
// burst) and move the schedule on by `spacingMs`. The answer is how long to wait before calling, measured on the
// database's clock alone, so the copies' clocks need not agree.

interface CallSpacing {
  /** Time between call starts that keeps every window under the limit. */
  spacingMs: number;
  /** How far behind the clock an idle schedule may lag: the burst an idle portal allows, in time. */
  burstMs: number;
}

/** Reserves one call's start on the shared schedule; resolves to the milliseconds to wait before starting it. */
export type ReserveSlot = (portalId: number, kind: CallKind, spacing: CallSpacing) => Promise<number>;

export function sharedSchedule(db: Queryable): ReserveSlot {
  return async (portalId, kind, { spacingMs, burstMs }) => {
    const r = await db.query<{ wait_ms: number }>(
      `WITH t AS (SELECT clock_timestamp() AS now)
       INSERT INTO hubspot_rate_budget AS b (portal_id, kind, next_slot)
       SELECT $1, $2, t.now - make_interval(secs => $4 / 1000.0) + make_interval(secs => $3 / 1000.0) FROM t
       ON CONFLICT (portal_id, kind) DO UPDATE
         SET next_slot = greatest(b.next_slot, (SELECT now FROM t) - make_interval(secs => $4 / 1000.0))
           + make_interval(secs => $3 / 1000.0)
       RETURNING greatest(0, extract(epoch FROM b.next_slot - make_interval(secs => $3 / 1000.0) - clock_timestamp())
         * 1000)::float8 AS wait_ms`,
      [portalId, kind, spacingMs, burstMs],
    );
    return Number(r.rows[0]?.wait_ms ?? 0);
  };
}
