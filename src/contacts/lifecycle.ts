import type { AppDeps } from '../core';
import { companyRollupOutbox, contactPropertiesOutbox } from '../responses';
import { refreshContacts } from './mirror';
import { markContactsDeleted } from './contacts.repo';
import {
  currentCompanyId,
  keepOneScheduledSurvey,
  moveFollowUps,
  moveInvitations,
  moveResponses,
  moveSurveyOptOuts,
} from './lifecycle.repo';

// Contacts leaving the CRM: deleted (kept for history, never surveyed again) or merged into another contact
// (their survey history follows them to the surviving record).

type LifecycleDeps = Pick<AppDeps, 'db' | 'hubspot'>;

/**
 * A contact.deletion event. A deletion older than the state we hold (the contact was restored and we already
 * saw that) is ignored, so deliveries in any order end in the same state.
 */
export async function deleteContact(
  deps: LifecycleDeps,
  portalId: number,
  contactId: string,
  occurredAt: Date,
): Promise<boolean> {
  const changed = await deps.db.transaction((tx) =>
    markContactsDeleted(tx, portalId, [contactId], occurredAt, { onlyIfNotNewer: true }),
  );
  return changed.length > 0;
}

export interface MergeEvent {
  objectId?: number;
  primaryObjectId?: number;
  newObjectId?: number;
  mergedObjectIds?: number[];
  occurredAt: number;
}

/** The surviving record and the ones merged into it, as HubSpot names them in a merge event. */
function mergeParticipants(e: MergeEvent): { winner: string; losers: string[] } | null {
  const winnerId = e.newObjectId ?? e.primaryObjectId ?? e.objectId;
  if (winnerId === undefined) return null;
  const winner = String(winnerId);
  const candidates = [...(e.mergedObjectIds ?? []), e.primaryObjectId, e.objectId]
    .filter((id): id is number => id !== undefined)
    .map(String);
  return { winner, losers: [...new Set(candidates)].filter((id) => id !== winner) };
}

/**
 * A contact.merge event: the merged-away contacts' invitations, answers and follow-ups move to the surviving
 * contact (one person, one history, one quiet period), the merged-away rows are marked deleted with
 * merged_into, and the survivor is re-read from HubSpot. Idempotent: a redelivery finds nothing left to move.
 */
export async function mergeContacts(
  deps: LifecycleDeps,
  portalId: number,
  event: MergeEvent,
): Promise<{ winner: string; losers: string[]; movedResponses: number } | null> {
  const who = mergeParticipants(event);
  if (!who || who.losers.length === 0) return null;
  const { winner, losers } = who;
  await refreshContacts(deps, portalId, [winner]);
  const movedResponses = await deps.db.transaction(async (tx) => {
    if ((await moveInvitations(tx, portalId, losers, winner)) > 0) await keepOneScheduledSurvey(tx, portalId, winner);
    await moveSurveyOptOuts(tx, portalId, losers, winner);
    const moved = await moveResponses(tx, portalId, losers, winner);
    await moveFollowUps(tx, portalId, losers, winner);
    await markContactsDeleted(tx, portalId, losers, new Date(event.occurredAt), { mergedInto: winner });
    if (moved.moved > 0) {
      // The survivor's score and counts now include the merged answers; company NPS follows the survivor's company.
      await contactPropertiesOutbox.mark(tx, portalId, winner);
      const current = await currentCompanyId(tx, portalId, winner);
      const companies = new Set([...moved.companyIds, current].filter((c): c is string => c !== null));
      for (const companyId of companies) await companyRollupOutbox.mark(tx, portalId, companyId);
    }
    return moved.moved;
  });
  return { winner, losers, movedResponses };
}
