import type { AppDeps } from '../core';
import { categoryOf, type Category } from '../core';

/** How long a company's NPS waits after an answer before it is recomputed and written. */
export const COMPANY_ROLLUP_DELAY_MS = 60_000;

export type ResponseChannel = 'email' | 'page' | 'manual' | 'import' | 'workflow';

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

/**
 * Stores an answer and, in the same statement (so in one transaction and one round trip: the survey page's POST
 * is the hot path), the outbox items that carry it back to HubSpot: contact properties, company rollup (a little
 * later, so a burst of answers from one company costs one write), follow-up task and workflow callback. The
 * answer takes its source, owner, company and language from the invitation and the mirrored contact. A second
 * answer to the same invitation replaces the first; a re-imported row (same import key) changes nothing and is
 * reported as existing. When this resolves the answer is durable.
 * A survey page answer ($13) takes its contact and channel from the invitation, keeps a follow-up answer only if
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
           coalesce($8::text, CASE WHEN inv.channel = 'email' THEN 'email' ELSE 'page' END), coalesce(inv.trigger, $9),
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
      SELECT 'contact-properties' AS kind, stored.contact_id::text AS item_key, now() AS due_at FROM stored
      UNION ALL SELECT 'follow-up', stored.id::text, now() FROM stored
      UNION ALL SELECT 'workflow-callback', inv.id::text, now() FROM inv, stored WHERE inv.workflow_callback_id IS NOT NULL
      UNION ALL SELECT 'company-rollup', c.company_id::text, $12::timestamptz FROM c, stored WHERE c.company_id IS NOT NULL
    ) m
    ORDER BY m.kind, m.item_key
    ON CONFLICT (portal_id, kind, item_key) DO UPDATE SET version = outbox.version + 1, due_at = LEAST(outbox.due_at, EXCLUDED.due_at)
  )
  SELECT id, category, created FROM stored
  UNION ALL SELECT id, category, false FROM imported`;

export async function recordResponse(deps: Pick<AppDeps, 'db' | 'clock'>, input: RecordInput): Promise<Recorded> {
  const recorded = await runRecord(deps, input, false);
  return recorded!;
}

export interface SurveyAnswerInput {
  portalId: number;
  invitationId: string;
  score: number;
  comment: string | null;
  /** Kept only when the invitation's survey asked a follow-up question. */
  followUpAnswer: string | null;
}

/**
 * A survey page answer in one round trip: stored with the invitation's contact and channel ('email' for an
 * emailed survey, else 'page') if the survey is still open; null, with nothing stored, when it is not.
 */
export async function recordSurveyAnswer(deps: Pick<AppDeps, 'db' | 'clock'>, input: SurveyAnswerInput): Promise<Recorded | null> {
  return runRecord(deps, { ...input, contactId: null, channel: null }, true);
}

type RecordParams = Omit<RecordInput, 'contactId' | 'channel'> & { contactId: number | null; channel: ResponseChannel | null };

async function runRecord(deps: Pick<AppDeps, 'db' | 'clock'>, input: RecordParams, surveyAnswer: boolean): Promise<Recorded | null> {
  const category = categoryOf(input.score);
  const answeredAt = input.answeredAt ?? deps.clock.now();
  const companyRollupDue = new Date(deps.clock.now().getTime() + COMPANY_ROLLUP_DELAY_MS);
  const r = await deps.db.query<{ id: string; category: Category; created: boolean }>(RECORD_SQL, [
    input.portalId, input.contactId, input.invitationId ?? null, input.score, category, input.comment ?? null, input.followUpAnswer ?? null,
    input.channel, input.trigger ?? 'manual', input.importKey ?? null, answeredAt, companyRollupDue, surveyAnswer,
  ], { prepareAs: 'record-response' });
  const row = r.rows[0];
  return row ? { responseId: row.id, category: row.category, created: row.created } : null;
}
