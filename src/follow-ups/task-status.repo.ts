import type { Queryable } from '../storage';

// The HubSpot task status of follow-ups: applying it, and which open tasks are due for a check.

export const COMPLETED = 'COMPLETED';

/**
 * Applies a task's status as of `at`. A status older than the one applied last is ignored, so a late or
 * reordered delivery (COMPLETED, then a stale NOT_STARTED) cannot reopen a completed follow-up.
 */
export async function applyTaskStatus(
  db: Queryable,
  portalId: number,
  taskId: string,
  status: string,
  at: Date,
): Promise<boolean> {
  const completed = status.toUpperCase() === COMPLETED;
  const r = await db.query(
    `UPDATE follow_ups SET status = CASE WHEN $3 THEN 'completed' ELSE 'open' END,
       completed_at = CASE WHEN $3 THEN $4::timestamptz ELSE NULL END, task_status_at = $4, updated_at = now()
     WHERE portal_id = $1 AND hubspot_task_id = $2 AND status IN ('open', 'completed')
       AND (task_status_at IS NULL OR task_status_at <= $4)`,
    [portalId, taskId, completed, at],
  );
  return r.rowCount > 0;
}

export interface OpenTask {
  portalId: number;
  taskId: string;
}

/** Open tasks of active portals not checked since `recheckBefore`, least recently checked first, at most `perPortal` each. */
export async function openTasksToCheck(db: Queryable, recheckBefore: Date, perPortal: number): Promise<OpenTask[]> {
  const r = await db.query<{ portal_id: string; hubspot_task_id: string }>(
    `SELECT portal_id, hubspot_task_id FROM (
       SELECT f.portal_id, f.hubspot_task_id,
              row_number() OVER (PARTITION BY f.portal_id ORDER BY f.checked_at NULLS FIRST, f.created_at) AS n
         FROM follow_ups f JOIN portals p ON p.portal_id = f.portal_id AND p.status = 'active'
        WHERE f.status = 'open' AND f.hubspot_task_id IS NOT NULL AND (f.checked_at IS NULL OR f.checked_at < $1)
     ) x WHERE n <= $2`,
    [recheckBefore, perPortal],
  );
  return r.rows.map((row) => ({ portalId: Number(row.portal_id), taskId: row.hubspot_task_id }));
}

export async function markTasksChecked(db: Queryable, portalId: number, taskIds: string[], at: Date): Promise<void> {
  await db.query(`UPDATE follow_ups SET checked_at = $3 WHERE portal_id = $1 AND hubspot_task_id = ANY($2::text[])`, [
    portalId,
    taskIds,
    at,
  ]);
}
