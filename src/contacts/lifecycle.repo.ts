import type { Queryable } from '../storage';

// A contact merge moves the merged-away records' survey history to the survivor. These tables belong to other
// features (invitations, responses, follow_ups, survey_opt_outs); the merge is the one place that rewrites
// their contact, inside its own transaction.

/** Moves invitations to the survivor; returns how many moved. */
export async function moveInvitations(
  tx: Queryable,
  portalId: number,
  losers: string[],
  winner: string,
): Promise<number> {
  const r = await tx.query(
    `UPDATE invitations SET contact_id = $3, updated_at = now() WHERE portal_id = $1 AND contact_id = ANY($2::bigint[])`,
    [portalId, losers, winner],
  );
  return r.rowCount;
}

/** Moves answers to the survivor; returns the companies the moved answers were recorded with. */
export async function moveResponses(
  tx: Queryable,
  portalId: number,
  losers: string[],
  winner: string,
): Promise<{ moved: number; companyIds: Array<string | null> }> {
  const moved = await tx.query<{ company_id: string | null }>(
    `UPDATE responses SET contact_id = $3, updated_at = now() WHERE portal_id = $1 AND contact_id = ANY($2::bigint[]) RETURNING company_id`,
    [portalId, losers, winner],
  );
  return {
    moved: moved.rowCount,
    companyIds: moved.rows.map((r) => (r.company_id === null ? null : String(r.company_id))),
  };
}

export async function moveFollowUps(tx: Queryable, portalId: number, losers: string[], winner: string): Promise<void> {
  await tx.query(
    `UPDATE follow_ups SET contact_id = $3, updated_at = now() WHERE portal_id = $1 AND contact_id = ANY($2::bigint[])`,
    [portalId, losers, winner],
  );
}

/** The contact's primary company in the mirror (null when it has none or is not mirrored). */
export async function currentCompanyId(tx: Queryable, portalId: number, contactId: string): Promise<string | null> {
  const current = await tx.query<{ company_id: string | null }>(
    'SELECT company_id FROM contacts WHERE portal_id = $1 AND contact_id = $2',
    [portalId, contactId],
  );
  const companyId = current.rows[0]?.company_id ?? null;
  return companyId === null ? null : String(companyId);
}

// Two records of one person may each have had a survey scheduled: keep the earliest, skip the others, so the
// person is never surveyed twice at once.
export async function keepOneScheduledSurvey(tx: Queryable, portalId: number, contactId: string): Promise<void> {
  await tx.query(
    `UPDATE invitations SET status = 'skipped', skip_reason = 'quiet_period', updated_at = now()
     WHERE portal_id = $1 AND contact_id = $2 AND status = 'scheduled'
       AND id <> (SELECT id FROM invitations WHERE portal_id = $1 AND contact_id = $2 AND status = 'scheduled' ORDER BY scheduled_for, created_at, id LIMIT 1)`,
    [portalId, contactId],
  );
}

// An unsubscribe given on any of the merged records is the person's choice and stands for the survivor
// (survey_opt_outs belongs to the surveys feature; one row per contact).
export async function moveSurveyOptOuts(
  tx: Queryable,
  portalId: number,
  losers: string[],
  winner: string,
): Promise<void> {
  await tx.query(
    `INSERT INTO survey_opt_outs (portal_id, contact_id, invitation_id, opted_out_at)
     SELECT portal_id, $3, invitation_id, opted_out_at FROM survey_opt_outs WHERE portal_id = $1 AND contact_id = ANY($2::bigint[])
     ORDER BY opted_out_at LIMIT 1
     ON CONFLICT (portal_id, contact_id) DO NOTHING`,
    [portalId, losers, winner],
  );
  await tx.query('DELETE FROM survey_opt_outs WHERE portal_id = $1 AND contact_id = ANY($2::bigint[])', [
    portalId,
    losers,
  ]);
}
