import type { Queryable } from '../storage';

// Writing invitations (schedule.ts): the per-contact lock, the milestone-key lookup and the insert.

/** Serialises scheduling for one contact until the transaction ends. */
export async function lockContactForScheduling(tx: Queryable, portalId: number, contactId: string): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(4242, hashtext($1))', [`${portalId}:${contactId}`]);
}

/** The invitation already made for a milestone, if any. */
export async function invitationIdForMilestone(
  tx: Queryable,
  portalId: number,
  milestoneKey: string,
): Promise<string | null> {
  const r = await tx.query<{ id: string }>('SELECT id FROM invitations WHERE portal_id = $1 AND milestone_key = $2', [
    portalId,
    milestoneKey,
  ]);
  return r.rows[0]?.id ?? null;
}

/** An invitation request after validation (schedule.ts). */
export interface NewInvitation {
  portalId: number;
  contactId: string;
  trigger: string;
  milestoneKey: string;
  scheduledFor: Date;
  ruleId?: string;
  source?: { objectType: string; objectId: string; pipeline?: string; stage?: string };
  channel: string;
  question?: string;
  followUpQuestion?: string;
  workflowCallbackId?: string;
  waitUntil?: Date;
}

/** Inserts the invitation, scheduled or (with a skip reason) skipped; null if its milestone key was taken meanwhile. */
export async function insertInvitation(
  tx: Queryable,
  req: NewInvitation,
  language: string | null,
  skipReason: string | null,
): Promise<string | null> {
  const r = await tx.query<{ id: string }>(
    `INSERT INTO invitations (portal_id, contact_id, trigger, rule_id, milestone_key, source_object_type, source_object_id, source_pipeline,
       source_stage, channel, language, question, follow_up_question, status, skip_reason, scheduled_for, workflow_callback_id, wait_until)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18)
     ON CONFLICT (portal_id, milestone_key) DO NOTHING RETURNING id`,
    [
      req.portalId,
      req.contactId,
      req.trigger,
      req.ruleId ?? null,
      req.milestoneKey,
      req.source?.objectType ?? null,
      req.source?.objectId ?? null,
      req.source?.pipeline ?? null,
      req.source?.stage ?? null,
      req.channel,
      language,
      req.question ?? null,
      req.followUpQuestion ?? null,
      skipReason ? 'skipped' : 'scheduled',
      skipReason,
      req.scheduledFor,
      req.workflowCallbackId ?? null,
      req.waitUntil ?? null,
    ],
  );
  return r.rows[0]?.id ?? null;
}

export async function contactLanguage(tx: Queryable, portalId: number, contactId: string): Promise<string | null> {
  const r = await tx.query<{ language: string | null }>(
    'SELECT language FROM contacts WHERE portal_id = $1 AND contact_id = $2',
    [portalId, contactId],
  );
  return r.rows[0]?.language ?? null;
}

/**
 * One page (by contact id, after `after`) of live contacts in `lifecycleStage` with no survey sent or scheduled
 * after `dueBefore` and no relationship invitation for `period` yet.
 */
export async function contactsDueForRelationshipSurvey(
  db: Queryable,
  portalId: number,
  q: { lifecycleStage: string; after: string; dueBefore: Date; period: number; limit: number },
): Promise<string[]> {
  const batch = await db.query<{ contact_id: string }>(
    `SELECT c.contact_id FROM contacts c
      WHERE c.portal_id = $1 AND c.deleted_at IS NULL AND c.erased_at IS NULL AND c.lifecycle_stage = $2 AND c.contact_id > $3
        AND NOT EXISTS (SELECT 1 FROM invitations i WHERE i.portal_id = c.portal_id AND i.contact_id = c.contact_id
                          AND (i.milestone_key = 'relationship:' || c.contact_id || ':' || $5
                               OR (i.status <> 'skipped' AND COALESCE(i.sent_at, CASE WHEN i.status = 'scheduled' THEN i.scheduled_for END) > $4)))
      ORDER BY c.contact_id LIMIT ${Math.trunc(q.limit)}`,
    [portalId, q.lifecycleStage, q.after, q.dueBefore, String(q.period)],
  );
  return batch.rows.map((row) => String(row.contact_id));
}
