import type { Queryable } from '../storage';
import { ALERT_ANSWER_KIND, WORKFLOW_CALLBACK_KIND, type Category } from '../core';
import { followUpOutbox } from '../follow-ups';
import { companyRollupOutbox } from './company-rollup';
import { contactPropertiesOutbox } from './writeback';

// responses: storing an answer, with the outbox items that carry it back to HubSpot, in one statement.

type ResponseChannel = 'email' | 'page' | 'manual' | 'import' | 'workflow' | 'sms' | 'web';

export interface RecordInput {
  portalId: number;
  contactId: number;
  score: number;
  comment?: string | null;
  followUpAnswer?: string | null;
  channel: ResponseChannel;
  /** The invitation answered; a second answer to it replaces the first (the latest answer wins). */
  invitationId?: string;
  answeredAt?: Date;
  /** Makes an import row idempotent. */
  importKey?: string;
  /** For answers without an invitation (manual, import). */
  trigger?: 'manual' | 'import';
}

export interface Recorded {
  responseId: string;
  category: Category;
  /** false when an existing answer was changed. */
  created: boolean;
}

export type RecordParams = Omit<RecordInput, 'contactId' | 'channel'> & {
  contactId: number | null;
  channel: ResponseChannel | null;
};

/**
 * Stores an answer and, in the same statement (so in one transaction and one round trip: the survey page's POST
 * is the hot path), the outbox items that carry it back to HubSpot: contact properties, company rollup (a little
 * later, so a burst of answers from one company costs one write), follow-up task and workflow callback. The
 * answer takes its source, owner, company and language from the invitation and the mirrored contact. A second
 * answer to the same invitation replaces the first; a re-imported row (same import key) changes nothing and is
 * reported as existing. When this resolves the answer is durable.
 * The outbox kinds come from their declarations ($14 contact properties, $15 follow-up, $16 company rollup) and
 * from src/core ($17 workflow callback, whose declaration lives in workflow-action; $18 detractor alert planning,
 * declared in alerts). $19, when given, is the thank-you email's kind (declared in surveys): a first answer marks it
 * when the portal has the email on, in the same statement, so the survey page's POST stays one round trip.
 * A survey page answer ($13) takes its contact and channel from the invitation ('email' and 'web' as such, else 'page'), keeps a follow-up answer only if
 * the survey asked one, and is stored only while the survey is open (sent, reminded or answered, not expired).
 */
const RECORD_SQL = `
  WITH inv AS (
    SELECT id, contact_id, channel, trigger, source_object_type, source_object_id, source_pipeline, source_stage, language,
           workflow_callback_id, follow_up_question
      FROM invitations
     WHERE portal_id = $1 AND id = $3::uuid
       AND (NOT $13::boolean OR (status IN ('sent', 'reminded', 'answered') AND (expires_at IS NULL OR expires_at > $11)))
  ), who AS (
    SELECT coalesce($2::bigint, (SELECT contact_id FROM inv)) AS contact_id
  ), c AS (
    SELECT owner_id, company_id, language FROM contacts WHERE portal_id = $1 AND contact_id = (SELECT contact_id FROM who)
  ), imported AS (
    SELECT id, category FROM responses WHERE portal_id = $1 AND import_key = $10::text
  ), stored AS (
    INSERT INTO responses (portal_id, contact_id, invitation_id, score, category, comment, follow_up_answer, channel, trigger,
      source_object_type, source_object_id, source_pipeline, source_stage, owner_id, company_id, language, import_key, answered_at)
    SELECT $1, who.contact_id, inv.id, $4, $5, $6, CASE WHEN $13 AND inv.follow_up_question IS NULL THEN NULL ELSE $7::text END,
           coalesce($8::text, CASE WHEN inv.channel IN ('email', 'sms', 'web') THEN inv.channel ELSE 'page' END), coalesce(inv.trigger, $9),
           inv.source_object_type, inv.source_object_id, inv.source_pipeline, inv.source_stage, c.owner_id, c.company_id,
           coalesce(inv.language, c.language), $10, $11
      FROM who LEFT JOIN c ON true LEFT JOIN inv ON true
     WHERE NOT EXISTS (SELECT 1 FROM imported) AND (NOT $13 OR inv.id IS NOT NULL)
    ON CONFLICT (invitation_id) DO UPDATE SET score = EXCLUDED.score, category = EXCLUDED.category, comment = EXCLUDED.comment,
      follow_up_answer = EXCLUDED.follow_up_answer, channel = EXCLUDED.channel, answered_at = EXCLUDED.answered_at, updated_at = now()
    RETURNING id, contact_id, category, (xmax = 0) AS created
  ), answered AS (
    UPDATE invitations i SET status = 'answered', answered_at = $11, updated_at = now()
      FROM inv WHERE i.portal_id = $1 AND i.id = inv.id AND EXISTS (SELECT 1 FROM stored)
  ), marked AS (
    INSERT INTO outbox (portal_id, kind, item_key, due_at)
    SELECT $1, m.kind, m.item_key, m.due_at FROM (
      SELECT $14::text AS kind, stored.contact_id::text AS item_key, now() AS due_at FROM stored
      UNION ALL SELECT $15::text, stored.id::text, now() FROM stored
      UNION ALL SELECT $17::text, inv.id::text, now() FROM inv, stored WHERE inv.workflow_callback_id IS NOT NULL
      UNION ALL SELECT $16::text, c.company_id::text, $12::timestamptz FROM c, stored WHERE c.company_id IS NOT NULL
      UNION ALL SELECT $18::text, stored.id::text, now() FROM stored
      UNION ALL SELECT $19::text, inv.id::text, now() FROM inv, stored
       WHERE $19::text IS NOT NULL AND stored.created
         AND EXISTS (SELECT 1 FROM portals p WHERE p.portal_id = $1 AND coalesce(p.settings -> 'thankYou' ->> 'email', 'false') = 'true')
    ) m
    ORDER BY m.kind, m.item_key
    ON CONFLICT (portal_id, kind, item_key) DO UPDATE SET version = outbox.version + 1, due_at = LEAST(outbox.due_at, EXCLUDED.due_at)
  )
  SELECT id, category, created FROM stored
  UNION ALL SELECT id, category, false FROM imported`;

export interface AnswerToStore extends RecordParams {
  category: Category;
  answeredAt: Date;
  companyRollupDue: Date;
  /** A survey page answer: only while the invitation's survey is open, contact and channel from the invitation. */
  surveyAnswer: boolean;
  /** The thank-you email's outbox kind, to mark for a first answer when the portal has the email on. */
  thankYouEmailKind?: string;
}

/** Runs RECORD_SQL; null when a survey page answer found its survey closed (nothing stored). */
export async function insertAnswer(db: Queryable, a: AnswerToStore): Promise<Recorded | null> {
  const r = await db.query<{ id: string; category: Category; created: boolean }>(
    RECORD_SQL,
    [
      a.portalId,
      a.contactId,
      a.invitationId ?? null,
      a.score,
      a.category,
      a.comment ?? null,
      a.followUpAnswer ?? null,
      a.channel,
      a.trigger ?? 'manual',
      a.importKey ?? null,
      a.answeredAt,
      a.companyRollupDue,
      a.surveyAnswer,
      contactPropertiesOutbox.kind,
      followUpOutbox.kind,
      companyRollupOutbox.kind,
      WORKFLOW_CALLBACK_KIND,
      ALERT_ANSWER_KIND,
      a.thankYouEmailKind ?? null,
    ],
    { prepareAs: 'record-response' },
  );
  const row = r.rows[0];
  return row ? { responseId: row.id, category: row.category, created: row.created } : null;
}
