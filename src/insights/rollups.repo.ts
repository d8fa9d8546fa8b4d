import type { Queryable } from '../storage';

// The insight rollups' change logs (migration 440): what is pending, and the SQL function that folds it in.

/** Folds the portal's pending answer, follow-up and invitation changes into the rollups; returns the log rows consumed. */
export async function foldPendingChanges(db: Queryable, portalId: number): Promise<number> {
  const r = await db.query<{ consumed: number }>('SELECT insight_catch_up($1) AS consumed', [portalId]);
  return Number(r.rows[0]?.consumed ?? 0);
}

/** Portals with answer, follow-up or invitation changes not yet folded in. */
export async function portalsWithPendingChanges(db: Queryable): Promise<number[]> {
  const portals = await db.query<{ portal_id: string }>(
    'SELECT DISTINCT portal_id FROM insight_pending UNION SELECT DISTINCT portal_id FROM insight_invitation_deltas',
  );
  return portals.rows.map((p) => Number(p.portal_id));
}
