import type { Queryable } from '../storage';
import type { Category } from '../core';

// Portal setup state: which portals still need it, and the segmentation lists it created in HubSpot.

/** Active portals whose setup has not completed yet. */
export async function portalsAwaitingSetup(db: Queryable): Promise<number[]> {
  return (
    await db.query<{ portal_id: string }>(
      `SELECT portal_id FROM portals WHERE status = 'active' AND setup_completed_at IS NULL`,
    )
  ).rows.map((r) => Number(r.portal_id));
}

/** A category list, or the "NPS At risk" list. */
export type ListKey = Category | 'at_risk';

export async function saveSegmentList(
  db: Queryable,
  portalId: number,
  list: { category: ListKey; listId: string; name: string },
): Promise<void> {
  await db.query(
    `INSERT INTO segment_lists (portal_id, category, list_id, name) VALUES ($1, $2, $3, $4)
     ON CONFLICT (portal_id, category) DO UPDATE SET list_id = EXCLUDED.list_id, name = EXCLUDED.name, updated_at = now()`,
    [portalId, list.category, list.listId, list.name],
  );
}
