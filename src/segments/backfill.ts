import type { AppDeps } from '../core';
import { getSettings } from '../core';
import { MAX_SEGMENT_VALUES, dimensionName, dimensionSignature } from './banding';
import {
  countMirroredContacts,
  distinctValueCount,
  getDimensionStatus,
  mirroredContactsAfter,
  rebuildDailyCounts,
  refuseDimension,
  saveProgress,
  saveSegmentValues,
} from './segments.repo';
import { readCompanies, valuesOf, type ActiveDimension } from './values';

// The backfill of a newly added dimension: every mirrored contact's value (or its primary company's), read from
// HubSpot 100 at a time in contact id order. Progress is saved with each batch, so a retried job resumes after
// the last contact done. A dimension that turns out to have more than 200 values is refused, visibly.

export const BACKFILL_QUEUE = 'segments.backfill';
const BATCH = 100;

type BackfillDeps = Pick<AppDeps, 'db' | 'hubspot' | 'logger'>;

export async function runBackfill(deps: BackfillDeps, portalId: number, dimension: string): Promise<void> {
  const log = deps.logger.child({ module: 'segments.backfill', portalId, dimension });
  const setting = (await getSettings(deps.db, portalId)).segments.dimensions.find(
    (d) => dimensionName(d) === dimension,
  );
  let status = await getDimensionStatus(deps.db, portalId, dimension);
  if (!setting || !status || status.state !== 'backfilling') return;
  const signature = dimensionSignature(setting);
  const portal = deps.hubspot.forPortal(portalId);
  const total = await countMirroredContacts(deps.db, portalId);
  let { done, afterContactId } = status;
  log.info({ done, total }, done > 0 ? 'resuming segment backfill' : 'starting segment backfill');
  for (;;) {
    const batch = await mirroredContactsAfter(deps.db, portalId, afterContactId, BATCH);
    if (batch.length === 0) break;
    const dim: ActiveDimension = { name: dimension, setting, status };
    const contacts =
      setting.object === 'contact'
        ? new Map(
            (
              await portal.batchRead(
                'contacts',
                batch.map((c) => c.contactId),
                [setting.property],
              )
            ).map((o) => [o.id, o.properties]),
          )
        : new Map<string, Record<string, string | null>>();
    const companies = await readCompanies(
      portal,
      [dim],
      batch.map((c) => c.companyId),
    );
    const rows = valuesOf(
      [dim],
      batch.map((c) => ({ ...c, properties: contacts.get(c.contactId) ?? {} })),
      companies,
    );
    done += batch.length;
    afterContactId = batch[batch.length - 1]!.contactId;
    const outcome = await deps.db.transaction(async (tx) => {
      // Reconfigured or removed meanwhile: that change started its own backfill.
      const current = await getDimensionStatus(tx, portalId, dimension);
      if (!current || current.state !== 'backfilling' || current.signature !== signature) return 'stale';
      await saveSegmentValues(tx, portalId, rows);
      if (status!.kind !== 'date') {
        const distinct = await distinctValueCount(tx, portalId, dimension);
        if (distinct > MAX_SEGMENT_VALUES) {
          await refuseDimension(
            tx,
            portalId,
            dimension,
            `refused: ${setting.property} has more than ${MAX_SEGMENT_VALUES} different values (${distinct} found after ${done} contacts); choose a property with fewer values, or a number property with bands`,
          );
          return 'refused';
        }
      }
      await saveProgress(tx, portalId, dimension, {
        state: 'backfilling',
        done,
        total: Math.max(total, done),
        afterContactId,
      });
      return 'saved';
    });
    if (outcome !== 'saved') {
      log.info({ outcome, done }, 'segment backfill stopped');
      return;
    }
    status = { ...status, done, afterContactId };
  }
  await deps.db.transaction(async (tx) => {
    await rebuildDailyCounts(tx, portalId, dimension);
    await saveProgress(tx, portalId, dimension, { state: 'ready', done, total: done, afterContactId });
  });
  log.info({ done }, 'segment backfill finished');
}
