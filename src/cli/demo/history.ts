import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../../storage/db';
import { planDemoHistory, type DemoContact, type PlannedInvitation } from './history-plan';

// `npm run demo` seeds the sandbox portal with a year of answers so the dashboard has a story to tell. Rows go
// straight into the tables (no outbox): this is history, not news for HubSpot. Seeding twice is a no-op.

export type { DemoContact };

export interface DemoHistoryOptions {
  /** Contacts to survey; default: every live contact mirrored for the portal. */
  contacts?: DemoContact[];
  /** Contacts whose history stops before the quiet period (see DemoContact.lapsed). */
  lapsedContactIds?: Iterable<number | string>;
  months?: number;
  now?: Date;
  seed?: number;
}

export interface DemoHistoryResult {
  invitations: number;
  answers: number;
  followUps: number;
  /** True when the portal already had demo history (nothing was added). */
  alreadySeeded: boolean;
}

const CHUNK = 500;
const KEY_PREFIX = 'demo-history:';

export async function seedDemoHistory(db: Db, portalId: number, opts: DemoHistoryOptions = {}): Promise<DemoHistoryResult> {
  const seeded = await db.query('SELECT 1 FROM invitations WHERE portal_id = $1 AND milestone_key LIKE $2 LIMIT 1', [portalId, `${KEY_PREFIX}%`]);
  if (seeded.rowCount > 0) return { invitations: 0, answers: 0, followUps: 0, alreadySeeded: true };
  const lapsed = new Set([...(opts.lapsedContactIds ?? [])].map(Number));
  const contacts = (opts.contacts ?? (await mirroredContacts(db, portalId))).map((c) => (lapsed.has(c.contactId) ? { ...c, lapsed: true } : c));
  const plan = planDemoHistory(contacts, { months: opts.months ?? 12, now: opts.now ?? new Date(), seed: opts.seed ?? 1 });
  const rows = plan.map((p, i) => ({ ...p, id: randomUUID(), responseId: randomUUID(), key: `${KEY_PREFIX}${p.contactId}:${i}` }));
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += CHUNK) await insertChunk(tx, portalId, rows.slice(i, i + CHUNK));
  });
  return {
    invitations: rows.length,
    answers: rows.filter((r) => r.answer).length,
    followUps: rows.filter((r) => r.followUp).length,
    alreadySeeded: false,
  };
}

async function mirroredContacts(db: Queryable, portalId: number): Promise<DemoContact[]> {
  const r = await db.query<{ contact_id: string; owner_id: string | null; company_id: string | null; language: string | null }>(
    'SELECT contact_id, owner_id, company_id, language FROM contacts WHERE portal_id = $1 AND deleted_at IS NULL ORDER BY contact_id',
    [portalId],
  );
  return r.rows.map((c) => ({ contactId: Number(c.contact_id), ownerId: c.owner_id, companyId: c.company_id === null ? null : Number(c.company_id), language: c.language }));
}

type Row = PlannedInvitation & { id: string; responseId: string; key: string };

async function insertChunk(tx: Queryable, portalId: number, rows: Row[]): Promise<void> {
  const col = <T>(f: (r: Row) => T) => rows.map(f);
  await tx.query(
    `INSERT INTO invitations (id, portal_id, contact_id, trigger, milestone_key, source_object_type, source_object_id, source_pipeline,
       source_stage, channel, language, status, skip_reason, scheduled_for, sent_at, reminded_at, answered_at, created_at, updated_at)
     SELECT id, $1, contact_id, trigger, key, stype, sid, pipeline, stage, channel, language, status, skip_reason, scheduled, sent, reminded, answered, scheduled, coalesce(answered, scheduled)
       FROM unnest($2::uuid[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[], $9::text[], $10::text[], $11::text[],
                   $12::text[], $13::text[], $14::timestamptz[], $15::timestamptz[], $16::timestamptz[], $17::timestamptz[])
         AS x (id, contact_id, trigger, key, stype, sid, pipeline, stage, channel, language, status, skip_reason, scheduled, sent, reminded, answered)`,
    [
      portalId, col((r) => r.id), col((r) => r.contactId), col((r) => r.trigger), col((r) => r.key), col((r) => r.sourceType), col((r) => r.sourceId),
      col((r) => r.pipeline), col((r) => r.stage), col((r) => r.channel), col((r) => r.language), col((r) => r.status), col((r) => r.skipReason),
      col((r) => r.scheduledFor), col((r) => r.sentAt), col((r) => r.remindedAt), col((r) => r.answeredAt),
    ],
  );
  const answered = rows.filter((r) => r.answer && r.answeredAt);
  if (answered.length === 0) return;
  const a = <T>(f: (r: Row) => T) => answered.map(f);
  await tx.query(
    `INSERT INTO responses (id, portal_id, contact_id, invitation_id, score, category, comment, channel, trigger, source_object_type, source_object_id,
       source_pipeline, source_stage, owner_id, company_id, language, answered_at, created_at, updated_at)
     SELECT rid, $1, contact_id, iid, score, category, comment, 'email', trigger, stype, sid, pipeline, stage, owner_id, company_id, language, answered, answered, answered
       FROM unnest($2::uuid[], $3::bigint[], $4::uuid[], $5::smallint[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bigint[], $11::text[],
                   $12::text[], $13::text[], $14::bigint[], $15::text[], $16::timestamptz[])
         AS x (rid, contact_id, iid, score, category, comment, trigger, stype, sid, pipeline, stage, owner_id, company_id, language, answered)`,
    [
      portalId, a((r) => r.responseId), a((r) => r.contactId), a((r) => r.id), a((r) => r.answer!.score), a((r) => r.answer!.category),
      a((r) => r.answer!.comment), a((r) => r.trigger), a((r) => r.sourceType), a((r) => r.sourceId), a((r) => r.pipeline), a((r) => r.stage),
      a((r) => r.ownerId), a((r) => r.companyId), a((r) => r.language), a((r) => r.answeredAt),
    ],
  );
  await tx.query(
    `INSERT INTO follow_ups (portal_id, response_id, contact_id, category, owner_id, due_at, status, created_at, updated_at, completed_at)
     SELECT $1, rid, contact_id, category, owner_id, due, CASE WHEN completed IS NULL THEN 'open' ELSE 'completed' END, answered, coalesce(completed, answered), completed
       FROM unnest($2::uuid[], $3::bigint[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[], $8::timestamptz[])
         AS x (rid, contact_id, category, owner_id, due, completed, answered)`,
    [portalId, a((r) => r.responseId), a((r) => r.contactId), a((r) => r.followUp!.category), a((r) => r.followUp!.ownerId), a((r) => r.followUp!.dueAt), a((r) => r.followUp!.completedAt), a((r) => r.answeredAt)],
  );
}
