import type { AppDeps } from '../core';
import { ConflictError } from '../shared';
import {
  CONTACT_PROPERTIES,
  COMPANY_PROPERTIES,
  toCompanyRecord,
  toContactRecord,
  type ContactRecord,
} from './properties';
import { isRowError } from '../storage';
import { mirrorSegmentValues, segmentPropertyNames } from '../segments';
import {
  markContactsDeleted,
  saveCompanies,
  saveCompaniesOneByOne,
  saveContacts,
  saveContactsOneByOne,
  type SkippedRecord,
} from './contacts.repo';
import {
  claimRun,
  contactsUnseenByRun,
  markRunDone,
  markRunFailed,
  pauseRun,
  saveCursor,
  saveTotalHint,
} from './sync-state.repo';

// Full contact sync: pages through every contact (100 per call), mirroring each page and saving the cursor in
// the same transaction, so a crash resumes from the last saved page. A completed run marks every contact it did
// not see as deleted, so a resync converges to the portal's state. Runs are leased: a second sync for the same
// portal is refused while the first is alive, and taken over once it has been silent for LEASE_SECONDS.

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
  /** Contacts the database refused even after cleaning (logged with the reason); the sync went on without them. */
  skipped: number;
  /** False when the invocation stopped at its time slice: the run is paused and resumes on the next call. */
  finished: boolean;
}

export interface SyncOptions {
  /** Start from the first page even if an interrupted run left a cursor. */
  restart?: boolean;
  onProgress?: (p: SyncProgress) => void;
  /**
   * Stop after the first page that ends past this many milliseconds, leaving the run paused (its lease given up)
   * so the next call resumes it from the saved cursor. The sync job uses it so that one big portal never holds
   * a sync worker for long: its continuation queues behind the other portals' syncs.
   */
  sliceMs?: number;
}

type SyncDeps = Pick<AppDeps, 'db' | 'hubspot' | 'logger'>;

export async function runFullSync(deps: SyncDeps, portalId: number, opts: SyncOptions = {}): Promise<SyncResult> {
  const log = deps.logger.child({ module: 'contacts.sync', portalId });
  const portal = deps.hubspot.forPortal(portalId);
  const state = await claimRun(deps.db, portalId, opts.restart ?? false);
  if (!state) throw new ConflictError(`a contact sync is already running for portal ${portalId}`, 'sync_running');
  const { runId, startedAt } = state;
  const progress: SyncProgress = {
    processed: state.processed,
    total: state.totalHint ?? undefined,
    pages: 0,
    resumed: state.resumed,
  };
  const totals = { created: 0, updated: 0, unchanged: 0, skipped: 0 };
  const companiesSeen = new Set<string>();
  log.info(
    { runId, resumed: state.resumed, cursor: state.cursor },
    state.resumed ? 'resuming contact sync' : 'starting contact sync',
  );
  try {
    if (progress.total === undefined) progress.total = await countContacts(deps, portalId, runId);
    opts.onProgress?.({ ...progress });
    const custom = await segmentPropertyNames(deps.db, portalId);
    const properties = [...CONTACT_PROPERTIES, ...custom.contact];
    const sliceEnds = opts.sliceMs === undefined ? Infinity : Date.now() + opts.sliceMs;
    for await (const page of portal.iterateObjects('contacts', properties, state.cursor ?? undefined)) {
      const records = page.results.map(toContactRecord).filter((r): r is ContactRecord => r !== null);
      const companyIds = [...new Set(records.map((r) => r.companyId).filter((id): id is string => id !== null))];
      // Companies are re-read on every run, so renamed companies converge too.
      const companies = companyIds.length
        ? (await portal.batchRead('companies', companyIds, [...COMPANY_PROPERTIES]))
            .map(toCompanyRecord)
            .filter((c) => c !== null)
        : [];
      // One statement per table normally; should the database refuse the page, record by record, skipping the
      // refused ones, so one bad record never stops the sync (a resumed run would fail on the same page again).
      const savePage = (oneByOne: boolean) =>
        deps.db.transaction(async (tx) => {
          let saved;
          const skipped: Array<SkippedRecord & { kind: 'contact' | 'company' }> = [];
          if (oneByOne) {
            saved = await saveContactsOneByOne(tx, portalId, records, runId);
            skipped.push(...saved.skipped.map((x) => ({ ...x, kind: 'contact' as const })));
            const c = await saveCompaniesOneByOne(tx, portalId, companies);
            skipped.push(...c.skipped.map((x) => ({ ...x, kind: 'company' as const })));
          } else {
            saved = await saveContacts(tx, portalId, records, runId);
            await saveCompanies(tx, portalId, companies);
          }
          if (!(await saveCursor(tx, portalId, runId, page.after ?? null, page.results.length))) {
            throw new ConflictError(
              `contact sync run ${runId} for portal ${portalId} was taken over by another run`,
              'sync_superseded',
            );
          }
          return { saved, skipped };
        });
      let outcome: Awaited<ReturnType<typeof savePage>>;
      try {
        outcome = await savePage(false);
      } catch (err) {
        if (!isRowError(err)) throw err;
        log.warn({ err, runId, records: records.length }, 'contact sync page refused; saving it record by record');
        outcome = await savePage(true);
      }
      totals.created += outcome.saved.created;
      totals.updated += outcome.saved.updated;
      totals.unchanged += outcome.saved.unchanged;
      for (const x of outcome.skipped) {
        if (x.kind === 'contact') totals.skipped++;
        log.warn(
          { runId, [x.kind === 'contact' ? 'contactId' : 'companyId']: x.id, reason: x.reason },
          `skipped a ${x.kind} the database refused`,
        );
      }
      // Values of custom segment dimensions; a crash before this is repaired by the resumed page or the next run.
      await mirrorSegmentValues(
        deps,
        portalId,
        page.results.filter((o) => records.some((r) => r.contactId === o.id)),
      );
      for (const c of companies) companiesSeen.add(c.companyId);
      progress.processed += page.results.length;
      progress.pages += 1;
      opts.onProgress?.({ ...progress });
      if (page.after && Date.now() >= sliceEnds) {
        if (!(await pauseRun(deps.db, portalId, runId)))
          throw new ConflictError(
            `contact sync run ${runId} for portal ${portalId} was taken over by another run`,
            'sync_superseded',
          );
        const result = { runId, ...progress, ...totals, companies: companiesSeen.size, deleted: 0, finished: false };
        log.info(result, 'contact sync paused at the end of its slice; the next call resumes it');
        return result;
      }
    }
    const deleted = await finishRun(deps.db, portalId, runId, startedAt);
    const result = { runId, ...progress, ...totals, companies: companiesSeen.size, deleted, finished: true };
    log.info(result, 'contact sync finished');
    return result;
  } catch (err) {
    await markRunFailed(deps.db, portalId, runId, String((err as Error).message));
    log.warn(
      { err, runId, processed: progress.processed },
      'contact sync failed; the next run resumes from the saved cursor',
    );
    throw err;
  }
}

async function countContacts(deps: SyncDeps, portalId: number, runId: string): Promise<number | undefined> {
  try {
    const { total } = await deps.hubspot
      .forPortal(portalId)
      .search('contacts', { filterGroups: [], limit: 1, properties: ['email'] });
    await saveTotalHint(deps.db, portalId, runId, total);
    return total;
  } catch (err) {
    // Only the progress display needs the total; the sync itself does not.
    deps.logger.debug({ err, portalId }, 'could not count contacts; progress will show no total');
    return undefined;
  }
}

/**
 * Contacts this run never saw are gone from HubSpot. Those written after the run started (webhooks, triggers)
 * are spared: they are newer than anything the run could have read.
 */
async function finishRun(db: AppDeps['db'], portalId: number, runId: string, startedAt: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const deleted = await markContactsDeleted(
      tx,
      portalId,
      await contactsUnseenByRun(tx, portalId, runId, startedAt),
      startedAt,
    );
    await markRunDone(tx, portalId, runId);
    return deleted.length;
  });
}
