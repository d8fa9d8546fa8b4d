import type { AppDeps } from '../core';
import { getSettings, listActivePortalIds } from '../core';
import { dayOf, effectiveThreshold, nextWaveOpensOn, waveDates } from './enps.rules';
import { enpsMailOutbox } from './mail';
import { rosterFor } from './roster';
import {
  closeWave,
  insertWave,
  latestOpensOn,
  lockDueWaves,
  openWave,
  remindWave,
  type Invitee,
  type Wave,
} from './waves.repo';

// The eNPS wave cycle, run as a job every few minutes (and by tests and the demo directly): the cadence plans the
// next wave once one exists, due waves open (invitations + one mail each through the outbox), get their one
// reminder, and close. Each step happens in one transaction with its outbox marks, so nothing is half done.

export interface CycleReport {
  created: number;
  opened: number;
  reminded: number;
  closed: number;
  invited: number;
}

export async function runEnpsCycle(deps: AppDeps, portalId?: number): Promise<CycleReport> {
  const report: CycleReport = { created: 0, opened: 0, reminded: 0, closed: 0, invited: 0 };
  const portals = portalId === undefined ? await listActivePortalIds(deps.db) : [portalId];
  for (const id of portals) {
    try {
      await cyclePortal(deps, id, report);
    } catch (err) {
      // One portal's trouble (HubSpot unreachable while a wave opens) must not hold up the others; the wave stays
      // due and the next run tries again.
      if (portalId !== undefined) throw err;
      deps.logger.warn({ portalId: id, err: err instanceof Error ? err.message : String(err) }, 'eNPS cycle failed');
    }
  }
  return report;
}

async function cyclePortal(deps: AppDeps, portalId: number, report: CycleReport): Promise<void> {
  const settings = await getSettings(deps.db, portalId);
  const today = dayOf(deps.clock.now());
  const last = await latestOpensOn(deps.db, portalId);
  // The cadence continues from the first wave an admin created; it never starts asking people by itself.
  if (settings.enps.enabled && last !== null) {
    const next = nextWaveOpensOn(settings.enps.cadence, last, today);
    if (next !== null && next <= today) {
      await insertWave(deps.db, {
        portalId,
        ...waveDates(today, settings.enps.openDays, settings.enps.reminderAfterDays),
        questions: [],
        breakdown: settings.enps.breakdown,
        createdOn: today,
      });
      report.created++;
    }
  }
  const due = await deps.db.transaction((tx) => lockDueWaves(tx, portalId, today));
  if (due.length === 0) return;
  // Read HubSpot before the transaction: no lock is held while the owners API answers.
  const roster = due.some((w) => w.status === 'scheduled') ? await rosterFor(deps, portalId, settings) : [];
  const threshold = effectiveThreshold(settings.enps.minGroupSize);
  await deps.db.transaction(async (tx) => {
    for (const wave of await lockDueWaves(tx, portalId, today))
      await step(tx, wave, deps.clock.now(), roster, threshold, report);
  });
}

async function step(
  tx: Parameters<Parameters<AppDeps['db']['transaction']>[0]>[0],
  wave: Wave,
  now: Date,
  roster: Invitee[],
  threshold: number,
  report: CycleReport,
): Promise<void> {
  const today = dayOf(now);
  if (wave.status === 'scheduled') {
    const ids = await openWave(tx, wave, roster);
    for (const id of ids) await enpsMailOutbox.mark(tx, wave.portalId, `invite:${id}`, now);
    report.opened++;
    report.invited += ids.length;
    if (wave.closesOn > today) return;
  }
  if (wave.closesOn <= today) {
    await closeWave(tx, wave.id, threshold);
    report.closed++;
    return;
  }
  if (!wave.reminded && wave.remindOn <= today) {
    for (const id of await remindWave(tx, wave.id)) await enpsMailOutbox.mark(tx, wave.portalId, `remind:${id}`, now);
    report.reminded++;
  }
}
