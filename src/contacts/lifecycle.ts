import type { AppDeps } from '../core';
import type { Queryable } from '../storage';
import { markOutbox } from '../outbox';
import { refreshContacts } from './mirror';
import { markContactsDeleted } from './contacts.repo';

// Contacts leaving the CRM: deleted (kept for history, never surveyed again) or merged into another contact
// (their survey history follows them to the surviving record).

type LifecycleDeps = Pick<AppDeps, 'db' | 'hubspot'>;

/**
 * A contact.deletion event. A deletion older than the state we hold (the contact was restored and we already
 * saw that) is ignored, so deliveries in any order end in the same state.
 */
export async function deleteContact(deps: LifecycleDeps, portalId: number, contactId: string, occurredAt: Date): Promise<boolean> {
  const changed = await deps.db.transaction((tx) => markContactsDeleted(tx, portalId, [contactId], occurredAt, { onlyIfNotNewer: true }));
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
export function mergeParticipants(e: MergeEvent): { winner: string; losers: string[] } | null {
  const winnerId = e.newObjectId ?? e.primaryObjectId ?? e.objectId;
  if (winnerId === undefined) return null;
  const winner = String(winnerId);
  const candidates = [...(e.mergedObjectIds ?? []), e.primaryObjectId, e.objectId].filter((id): id is number => id !== undefined).map(String);
  return { winner, losers: [...new Set(candidates)].filter((id) => id !== winner) };
}

/**
 * A contact.merge event: the merged-away contacts' invitations, answers and follow-ups move to the surviving
 * contact (one person, one history, one quiet period), the merged-away rows are marked deleted with
 * merged_into, and the survivor is re-read from HubSpot. Idempotent: a redelivery finds nothing left to move.
 */
export async function mergeContacts(deps: LifecycleDeps, portalId: number, event: MergeEvent): Promise<{ winner: string; losers: string[]; movedResponses: number } | null> {
  const who = mergeParticipants(event);
  if (!who || who.losers.length === 0) return null;
  const { winner, losers } = who;
  await refreshContacts(deps, portalId, [winner]);
  const movedResponses = await deps.db.transaction(async (tx) => {
    const invitations = await tx.query(`UPDATE invitations SET contact_id = $3, updated_at = now() WHERE portal_id = $1 AND contact_id = ANY($2::bigint[])`, [portalId, losers, winner]);
    if (invitations.rowCount > 0) await keepOneScheduledSurvey(tx, portalId, winner);
    await moveSurveyOptOuts(tx, portalId, losers, winner);
    const moved = await tx.query<{ company_id: string | null }>(
      `UPDATE responses SET contact_id = $3, updated_at = now() WHERE portal_id = $1 AND contact_id = ANY($2::bigint[]) RETURNING company_id`,
      [portalId, losers, winner],
    );
    await tx.query(`UPDATE follow_ups SET contact_id = $3, updated_at = now() WHERE portal_id = $1 AND contact_id = ANY($2::bigint[])`, [portalId, losers, winner]);
    await markContactsDeleted(tx, portalId, losers, new Date(event.occurredAt), { mergedInto: winner });
    if (moved.rowCount > 0) {
      // The survivor's score and counts now include the merged answers; company NPS follows the survivor's company.
      await markOutbox(tx, portalId, 'contact-properties', winner);
      const current = await tx.query<{ company_id: string | null }>('SELECT company_id FROM contacts WHERE portal_id = $1 AND contact_id = $2', [portalId, winner]);
      const companies = new Set([...moved.rows, ...current.rows].map((r) => r.company_id).filter((c): c is string => c !== null).map(String));
      for (const companyId of companies) await markOutbox(tx, portalId, 'company-rollup', companyId);
    }
    return moved.rowCount;
  });
  return { winner, losers, movedResponses };
}

// Two records of one person may each have had a survey scheduled: keep the earliest, skip the others, so the
// person is never surveyed twice at once.
async function keepOneScheduledSurvey(tx: Queryable, portalId: number, contactId: string): Promise<void> {
  await tx.query(
    `UPDATE invitations SET status = 'skipped', skip_reason = 'quiet_period', updated_at = now()
     WHERE portal_id = $1 AND contact_id = $2 AND status = 'scheduled'
       AND id <> (SELECT id FROM invitations WHERE portal_id = $1 AND contact_id = $2 AND status = 'scheduled' ORDER BY scheduled_for, created_at, id LIMIT 1)`,
    [portalId, contactId],
  );
}

// An unsubscribe given on any of the merged records is the person's choice and stands for the survivor
// (survey_opt_outs belongs to the surveys feature; one row per contact).
async function moveSurveyOptOuts(tx: Queryable, portalId: number, losers: string[], winner: string): Promise<void> {
  await tx.query(
    `INSERT INTO survey_opt_outs (portal_id, contact_id, invitation_id, opted_out_at)
     SELECT portal_id, $3, invitation_id, opted_out_at FROM survey_opt_outs WHERE portal_id = $1 AND contact_id = ANY($2::bigint[])
     ORDER BY opted_out_at LIMIT 1
     ON CONFLICT (portal_id, contact_id) DO NOTHING`,
    [portalId, losers, winner],
  );
  await tx.query('DELETE FROM survey_opt_outs WHERE portal_id = $1 AND contact_id = ANY($2::bigint[])', [portalId, losers]);
}
