import type { Queryable } from '../../storage/db';
import type { DemoContact, PlannedInvitation } from './history-plan';

// Writing the demo's made-up survey history (history.ts) straight into invitations, responses and follow_ups.

/** Whether history was seeded before (its invitations' milestone keys start with `prefix`). */
export async function hasInvitationWithKeyPrefix(db: Queryable, portalId: number, prefix: string): Promise<boolean> {
  const seeded = await db.query('SELECT 1 FROM invitations WHERE portal_id = $1 AND milestone_key LIKE $2 LIMIT 1', [
    portalId,
    `${prefix}%`,
  ]);
  return seeded.rowCount > 0;
}

/** Live mirrored contacts, as the history planner needs them. */
export async function mirroredContacts(db: Queryable, portalId: number): Promise<DemoContact[]> {
  const r = await db.query<{
    contact_id: string;
    owner_id: string | null;
    company_id: string | null;
    language: string | null;
  }>(
    'SELECT contact_id, owner_id, company_id, language FROM contacts WHERE portal_id = $1 AND deleted_at IS NULL ORDER BY contact_id',
    [portalId],
  );
  return r.rows.map((c) => ({
    contactId: Number(c.contact_id),
    ownerId: c.owner_id,
    companyId: c.company_id === null ? null : Number(c.company_id),
    language: c.language,
  }));
}

export type HistoryRow = PlannedInvitation & { id: string; responseId: string; key: string };

/** Inserts a chunk of planned invitations with their answers and follow-ups (one statement per table). */
export async function insertHistoryChunk(tx: Queryable, portalId: number, rows: HistoryRow[]): Promise<void> {
  const col = <T>(f: (r: HistoryRow) => T) => rows.map(f);
  await tx.query(
    `INSERT INTO invitations (id, portal_id, contact_id, trigger, milestone_key, source_object_type, source_object_id, source_pipeline,
       source_stage, channel, language, status, skip_reason, scheduled_for, sent_at, reminded_at, answered_at, created_at, updated_at)
     SELECT id, $1, contact_id, trigger, key, stype, sid, pipeline, stage, channel, language, status, skip_reason, scheduled, sent, reminded, answered, scheduled, coalesce(answered, scheduled)
       FROM unnest($2::uuid[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[],
                   $12::text[], $13::text[], $14::timestamptz[], $15::timestamptz[], $16::timestamptz[], $17::timestamptz[])
         AS x (id, contact_id, trigger, key, stype, sid, pipeline, stage, channel, language, status, skip_reason, scheduled, sent, reminded, answered)`,
    [
      portalId,
      col((r) => r.id),
      col((r) => r.contactId),
      col((r) => r.trigger),
      col((r) => r.key),
      col((r) => r.sourceType),
      col((r) => r.sourceId),
      col((r) => r.pipeline),
      col((r) => r.stage),
      col((r) => r.channel),
      col((r) => r.language),
      col((r) => r.status),
      col((r) => r.skipReason),
      col((r) => r.scheduledFor),
      col((r) => r.sentAt),
      col((r) => r.remindedAt),
      col((r) => r.answeredAt),
    ],
  );
  const answered = rows.filter((r) => r.answer && r.answeredAt);
  if (answered.length === 0) return;
  const a = <T>(f: (r: HistoryRow) => T) => answered.map(f);
  await tx.query(
    `INSERT INTO responses (id, portal_id, contact_id, invitation_id, score, category, comment, channel, trigger, source_object_type, source_object_id,
       source_pipeline, source_stage, owner_id, company_id, language, answered_at, created_at, updated_at)
     SELECT rid, $1, contact_id, iid, score, category, comment, 'email', trigger, stype, sid, pipeline, stage, owner_id, company_id, language, answered, answered, answered
       FROM unnest($2::uuid[], $3::bigint[], $4::uuid[], $5::smallint[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bigint[], $11::text[],
                   $12::text[], $13::text[], $14::bigint[], $15::text[], $16::timestamptz[])
         AS x (rid, contact_id, iid, score, category, comment, trigger, stype, sid, pipeline, stage, owner_id, company_id, language, answered)`,
    [
      portalId,
      a((r) => r.responseId),
      a((r) => r.contactId),
      a((r) => r.id),
      a((r) => r.answer!.score),
      a((r) => r.answer!.category),
      a((r) => r.answer!.comment),
      a((r) => r.trigger),
      a((r) => r.sourceType),
      a((r) => r.sourceId),
      a((r) => r.pipeline),
      a((r) => r.stage),
      a((r) => r.ownerId),
      a((r) => r.companyId),
      a((r) => r.language),
      a((r) => r.answeredAt),
    ],
  );
  await tx.query(
    `INSERT INTO follow_ups (portal_id, response_id, contact_id, category, owner_id, due_at, status, created_at, updated_at, completed_at)
     SELECT $1, rid, contact_id, category, owner_id, due, CASE WHEN completed IS NULL THEN 'open' ELSE 'completed' END, answered, coalesce(completed, answered), completed
       FROM unnest($2::uuid[], $3::bigint[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::timestamptz[])
         AS x (rid, contact_id, category, owner_id, due, completed, answered)`,
    [
      portalId,
      a((r) => r.responseId),
      a((r) => r.contactId),
      a((r) => r.followUp!.category),
      a((r) => r.followUp!.ownerId),
      a((r) => r.followUp!.dueAt),
      a((r) => r.followUp!.completedAt),
      a((r) => r.answeredAt),
    ],
  );
}
