import { randomUUID } from 'node:crypto';
import type { Queryable } from '../storage';

// sync_state: one row per portal and kind of full sync, holding the running run's lease, cursor and progress.
// The lease is the row's updated_at: a run silent for LEASE_SECONDS may be taken over.

export const SYNC_KIND = 'contacts';
const LEASE_SECONDS = 120;

export interface SyncRun {
  runId: string;
  /** Where the run stopped (HubSpot's paging cursor); null at the start. */
  cursor: string | null;
  processed: number;
  totalHint: number | null;
  startedAt: Date;
  /** An interrupted run was taken up again (same run id, saved cursor). */
  resumed: boolean;
}

/**
 * Starts a run, or resumes the interrupted one (same run id, saved cursor) unless `restart` is asked for.
 * Null when another run holds a live lease.
 */
export async function claimRun(db: Queryable, portalId: number, restart: boolean): Promise<SyncRun | null> {
  const r = await db.query<{
    run_id: string;
    cursor: string | null;
    processed: number;
    total_hint: number | null;
    started_at: Date | string;
    resumed: boolean;
  }>(
    `INSERT INTO sync_state AS s (portal_id, kind, status, run_id, cursor, processed, total_hint, started_at, finished_at, error, updated_at)
     VALUES ($1, $2, 'running', $3, NULL, 0, NULL, now(), NULL, NULL, now())
     ON CONFLICT (portal_id, kind) DO UPDATE SET
       status = 'running', error = NULL, finished_at = NULL, updated_at = now(),
       run_id = CASE WHEN ${RESUMABLE} THEN s.run_id ELSE EXCLUDED.run_id END,
       cursor = CASE WHEN ${RESUMABLE} THEN s.cursor END,
       processed = CASE WHEN ${RESUMABLE} THEN s.processed ELSE 0 END,
       total_hint = CASE WHEN ${RESUMABLE} THEN s.total_hint END,
       started_at = CASE WHEN ${RESUMABLE} THEN s.started_at ELSE now() END
     WHERE s.status <> 'running' OR s.updated_at < now() - make_interval(secs => $5)
     RETURNING run_id, cursor, processed, total_hint, started_at, (run_id <> $3) AS resumed`,
    [portalId, SYNC_KIND, randomUUID(), restart, LEASE_SECONDS],
  );
  const row = r.rows[0];
  if (!row) return null;
  return {
    runId: row.run_id,
    cursor: row.cursor,
    processed: Number(row.processed),
    totalHint: row.total_hint === null ? null : Number(row.total_hint),
    startedAt: new Date(row.started_at),
    resumed: row.resumed,
  };
}

// An interrupted run (failed, or running with an expired lease) continues where it stopped.
const RESUMABLE = `(NOT $4::boolean AND s.status IN ('running', 'failed') AND s.run_id IS NOT NULL)`;

export async function saveTotalHint(db: Queryable, portalId: number, runId: string, total: number): Promise<void> {
  await db.query(`UPDATE sync_state SET total_hint = $4 WHERE portal_id = $1 AND kind = $2 AND run_id = $3`, [
    portalId,
    SYNC_KIND,
    runId,
    total,
  ]);
}

/** Saves a page's cursor and count; false when the run no longer holds the row (another run took it over). */
export async function saveCursor(
  tx: Queryable,
  portalId: number,
  runId: string,
  cursor: string | null,
  count: number,
): Promise<boolean> {
  const r = await tx.query(
    `UPDATE sync_state SET cursor = $4, processed = processed + $5, updated_at = now() WHERE portal_id = $1 AND kind = $2 AND run_id = $3 AND status = 'running'`,
    [portalId, SYNC_KIND, runId, cursor, count],
  );
  return r.rowCount > 0;
}

export async function markRunFailed(db: Queryable, portalId: number, runId: string, error: string): Promise<void> {
  await db.query(
    `UPDATE sync_state SET status = 'failed', error = $4, updated_at = now() WHERE portal_id = $1 AND kind = $2 AND run_id = $3`,
    [portalId, SYNC_KIND, runId, error.slice(0, 500)],
  );
}

/**
 * Ends this invocation's hold on a run that is not finished: the lease is given up at once (not after
 * LEASE_SECONDS), so the next claim resumes the run from its saved cursor. False if the run was taken over.
 */
export async function pauseRun(db: Queryable, portalId: number, runId: string): Promise<boolean> {
  const r = await db.query(
    `UPDATE sync_state SET updated_at = now() - make_interval(secs => $4 + 1) WHERE portal_id = $1 AND kind = $2 AND run_id = $3 AND status = 'running'`,
    [portalId, SYNC_KIND, runId, LEASE_SECONDS],
  );
  return r.rowCount > 0;
}

export async function markRunDone(tx: Queryable, portalId: number, runId: string): Promise<void> {
  await tx.query(
    `UPDATE sync_state SET status = 'done', cursor = NULL, finished_at = now(), error = NULL, updated_at = now() WHERE portal_id = $1 AND kind = $2 AND run_id = $3`,
    [portalId, SYNC_KIND, runId],
  );
}

/** Live contacts the run did not save that were mirrored before it started. */
export async function contactsUnseenByRun(
  tx: Queryable,
  portalId: number,
  runId: string,
  startedAt: Date,
): Promise<string[]> {
  const unseen = await tx.query<{ contact_id: string }>(
    `SELECT contact_id FROM contacts WHERE portal_id = $1 AND deleted_at IS NULL AND erased_at IS NULL
       AND sync_run_id IS DISTINCT FROM $2 AND synced_at < $3`,
    [portalId, runId, startedAt],
  );
  return unseen.rows.map((u) => String(u.contact_id));
}
