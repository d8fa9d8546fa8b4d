import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../core';
import { ConflictError } from '../shared';
import type { Queryable } from '../storage';
import { CONTACT_PROPERTIES, COMPANY_PROPERTIES, toCompanyRecord, toContactRecord, type ContactRecord } from './properties';
import { markContactsDeleted, saveCompanies, saveContacts } from './contacts.repo';

// Full contact sync: pages through every contact (100 per call), mirroring each page and saving the cursor in
// the same transaction, so a crash resumes from the last saved page. A completed run marks every contact it did
// not see as deleted, so a resync converges to the portal's state. Runs are leased: a second sync for the same
// portal is refused while the first is alive, and taken over once it has been silent for LEASE_SECONDS.

export const SYNC_KIND = 'contacts';
const LEASE_SECONDS = 120;

export interface SyncProgress {
  processed: number;
  /** HubSpot's count of contacts at the start of the run, when it could be read. */
  total?: number;
  pages: number;
  resumed: boolean;
}

export interface SyncResult extends SyncProgress {
  runId: string;
  created: number;
  updated: number;
  unchanged: number;
  /** Distinct primary companies mirrored by this invocation. */
  companies: number;
  deleted: number;
}

export interface SyncOptions {
  /** Start from the first page even if an interrupted run left a cursor. */
  restart?: boolean;
  onProgress?: (p: SyncProgress) => void;
}

interface SyncStateRow {
  run_id: string;
  cursor: string | null;
  processed: number;
  total_hint: number | null;
  started_at: Date | string;
  resumed: boolean;
}

type SyncDeps = Pick<AppDeps, 'db' | 'hubspot' | 'logger'>;

export async function runFullSync(deps: SyncDeps, portalId: number, opts: SyncOptions = {}): Promise<SyncResult> {
  const log = deps.logger.child({ module: 'contacts.sync', portalId });
  const portal = deps.hubspot.forPortal(portalId);
  const state = await claimRun(deps.db, portalId, opts.restart ?? false);
  const runId = state.run_id;
  const startedAt = new Date(state.started_at);
  const progress: SyncProgress = { processed: state.processed, total: state.total_hint ?? undefined, pages: 0, resumed: state.resumed };
  const totals = { created: 0, updated: 0, unchanged: 0 };
  const companiesSeen = new Set<string>();
  log.info({ runId, resumed: state.resumed, cursor: state.cursor }, state.resumed ? 'resuming contact sync' : 'starting contact sync');
  try {
    if (progress.total === undefined) progress.total = await countContacts(deps, portalId, runId);
    opts.onProgress?.({ ...progress });
    for await (const page of portal.iterateObjects('contacts', [...CONTACT_PROPERTIES], state.cursor ?? undefined)) {
      const records = page.results.map(toContactRecord).filter((r): r is ContactRecord => r !== null);
      const companyIds = [...new Set(records.map((r) => r.companyId).filter((id): id is string => id !== null))];
      // Companies are re-read on every run, so renamed companies converge too.
      const companies = companyIds.length ? (await portal.batchRead('companies', companyIds, [...COMPANY_PROPERTIES])).map(toCompanyRecord).filter((c) => c !== null) : [];
      await deps.db.transaction(async (tx) => {
        const saved = await saveContacts(tx, portalId, records, runId);
        totals.created += saved.created;
        totals.updated += saved.updated;
        totals.unchanged += saved.unchanged;
        await saveCompanies(tx, portalId, companies);
        await saveCursor(tx, portalId, runId, page.after ?? null, page.results.length);
      });
      for (const c of companies) companiesSeen.add(c.companyId);
      progress.processed += page.results.length;
      progress.pages += 1;
      opts.onProgress?.({ ...progress });
    }
    const deleted = await finishRun(deps.db, portalId, runId, startedAt);
    const result = { runId, ...progress, ...totals, companies: companiesSeen.size, deleted };
    log.info(result, 'contact sync finished');
    return result;
  } catch (err) {
    await deps.db.query(
      `UPDATE sync_state SET status = 'failed', error = $4, updated_at = now() WHERE portal_id = $1 AND kind = $2 AND run_id = $3`,
      [portalId, SYNC_KIND, runId, String((err as Error).message).slice(0, 500)],
    );
    log.warn({ err, runId, processed: progress.processed }, 'contact sync failed; the next run resumes from the saved cursor');
    throw err;
  }
}

/** Starts a run, or resumes the interrupted one (same run id, saved cursor) unless `restart` is asked for. */
async function claimRun(db: Queryable, portalId: number, restart: boolean): Promise<SyncStateRow> {
  const r = await db.query<SyncStateRow>(
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
  if (!row) throw new ConflictError(`a contact sync is already running for portal ${portalId}`, 'sync_running');
  return row;
}

// An interrupted run (failed, or running with an expired lease) continues where it stopped.
const RESUMABLE = `(NOT $4::boolean AND s.status IN ('running', 'failed') AND s.run_id IS NOT NULL)`;

async function countContacts(deps: SyncDeps, portalId: number, runId: string): Promise<number | undefined> {
  try {
    const { total } = await deps.hubspot.forPortal(portalId).search('contacts', { filterGroups: [], limit: 1, properties: ['email'] });
    await deps.db.query(`UPDATE sync_state SET total_hint = $4 WHERE portal_id = $1 AND kind = $2 AND run_id = $3`, [portalId, SYNC_KIND, runId, total]);
    return total;
  } catch (err) {
    // Only the progress display needs the total; the sync itself does not.
    deps.logger.debug({ err, portalId }, 'could not count contacts; progress will show no total');
    return undefined;
  }
}

async function saveCursor(tx: Queryable, portalId: number, runId: string, cursor: string | null, count: number): Promise<void> {
  const r = await tx.query(
    `UPDATE sync_state SET cursor = $4, processed = processed + $5, updated_at = now() WHERE portal_id = $1 AND kind = $2 AND run_id = $3 AND status = 'running'`,
    [portalId, SYNC_KIND, runId, cursor, count],
  );
  if (r.rowCount === 0) throw new ConflictError(`contact sync run ${runId} for portal ${portalId} was taken over by another run`, 'sync_superseded');
}

/**
 * Contacts this run never saw are gone from HubSpot. Those written after the run started (webhooks, triggers)
 * are spared: they are newer than anything the run could have read.
 */
async function finishRun(db: AppDeps['db'], portalId: number, runId: string, startedAt: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const unseen = await tx.query<{ contact_id: string }>(
      `SELECT contact_id FROM contacts WHERE portal_id = $1 AND deleted_at IS NULL AND erased_at IS NULL
         AND sync_run_id IS DISTINCT FROM $2 AND synced_at < $3`,
      [portalId, runId, startedAt],
    );
    const deleted = await markContactsDeleted(tx, portalId, unseen.rows.map((u) => String(u.contact_id)), startedAt);
    await tx.query(
      `UPDATE sync_state SET status = 'done', cursor = NULL, finished_at = now(), error = NULL, updated_at = now() WHERE portal_id = $1 AND kind = $2 AND run_id = $3`,
      [portalId, SYNC_KIND, runId],
    );
    return deleted.length;
  });
}
