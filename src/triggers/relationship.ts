import type { AppDeps } from '../core';
import { listActivePortalIds } from '../core';
import { getSettings } from '../core';
import { DAY_MS } from '../shared';
import { scheduleInvitation } from './schedule';
import { contactsDueForRelationshipSurvey } from './scheduling.repo';

// Relationship surveys: an optional cadence per portal (e.g. every 180 days to contacts in lifecycle stage
// "customer"), under the same quiet period as every other survey. An hourly job picks the contacts that are
// due; the period index in the milestone key makes a second run in the same period a no-op.

export const RELATIONSHIP_QUEUE = 'triggers.relationship';
const BATCH = 500;

export interface RelationshipResult {
  portalId: number;
  scheduled: number;
  skipped: number;
  duplicates: number;
}

/** Which cadence period a moment falls in: the same for every run inside one `everyDays` window. */
function relationshipPeriod(now: Date, everyDays: number): number {
  return Math.floor(now.getTime() / (everyDays * DAY_MS));
}

function relationshipMilestoneKey(contactId: string, period: number): string {
  return `relationship:${contactId}:${period}`;
}

/**
 * Schedules relationship surveys for one portal: live contacts in the configured lifecycle stage with no survey
 * (sent or scheduled) for `everyDays` — or ever — and no relationship invitation for this period yet.
 */
export async function runRelationshipSurveys(deps: AppDeps, portalId: number): Promise<RelationshipResult> {
  const result: RelationshipResult = { portalId, scheduled: 0, skipped: 0, duplicates: 0 };
  const settings = await getSettings(deps.db, portalId);
  const cadence = settings.relationship;
  if (!cadence.enabled) return result;
  const now = deps.clock.now();
  const period = relationshipPeriod(now, cadence.everyDays);
  const dueBefore = new Date(now.getTime() - cadence.everyDays * DAY_MS);
  let after = '0';
  for (;;) {
    const batch = await contactsDueForRelationshipSurvey(deps.db, portalId, {
      lifecycleStage: cadence.lifecycleStage,
      after,
      dueBefore,
      period,
      limit: BATCH,
    });
    for (const contactId of batch) {
      const outcome = await scheduleInvitation(deps, {
        portalId,
        contactId,
        trigger: 'relationship',
        milestoneKey: relationshipMilestoneKey(contactId, period),
        scheduledFor: now,
        channel: cadence.channel,
      });
      if (outcome.status === 'scheduled') result.scheduled++;
      else if (outcome.status === 'skipped') result.skipped++;
      else result.duplicates++;
    }
    if (batch.length < BATCH) break;
    after = batch[batch.length - 1]!;
  }
  if (result.scheduled + result.skipped > 0)
    deps.logger.info({ module: 'triggers', ...result }, 'relationship surveys scheduled');
  return result;
}

/** Runs the cadence for every active portal (the hourly job); one portal failing does not hold up the others. */
export async function runRelationshipSurveysForAll(deps: AppDeps): Promise<RelationshipResult[]> {
  const results: RelationshipResult[] = [];
  const failed: number[] = [];
  for (const portalId of await listActivePortalIds(deps.db)) {
    try {
      results.push(await runRelationshipSurveys(deps, portalId));
    } catch (err) {
      failed.push(portalId);
      deps.logger.warn({ err, module: 'triggers', portalId }, 'relationship surveys failed for a portal');
    }
  }
  // Retrying the job is safe: portals already done find nothing new to schedule this period.
  if (failed.length > 0) throw new Error(`relationship surveys failed for portal(s) ${failed.join(', ')}`);
  return results;
}
