import type { Queryable } from '../storage';
import type { Category } from '../core';
import type { AnswerFilters } from './filters';
import { answerWhere } from './answer-filter.repo';

// Answers themselves (not rollups) under the dashboard's filters: the comments list and the CSV export.

export interface CommentRow {
  responseId: string;
  answeredAt: string;
  score: number;
  category: Category;
  /** Null when the answer has only a follow-up answer. */
  comment: string | null;
  /** The survey's follow-up question (null when no longer known) and its answer. */
  followUp: { question: string | null; answer: string } | null;
  trigger: string;
  ownerId: string | null;
  contact: { id: string; name: string | null; email: string | null };
  company: { id: string; name: string | null } | null;
  /** The deal or ticket the survey was about, if any. */
  source: { type: string; id: string; pipeline: string | null; stage: string | null } | null;
}

interface Row {
  id: string;
  answered_at: Date | string;
  score: number;
  category: Category;
  comment: string | null;
  follow_up_question: string | null;
  follow_up_answer: string | null;
  trigger: string;
  owner_id: string | null;
  contact_id: string;
  firstname: string | null;
  lastname: string | null;
  email: string | null;
  company_id: string | null;
  company_name: string | null;
  source_object_type: string | null;
  source_object_id: string | null;
  source_pipeline: string | null;
  source_stage: string | null;
}

const HAS_COMMENT = `r.comment IS NOT NULL AND r.comment <> ''`;
const HAS_FOLLOW_UP = `r.follow_up_answer IS NOT NULL AND r.follow_up_answer <> ''`;

/**
 * The newest comments under the filters, with who said it and about what, and the follow-up answer given with
 * each. `withFollowUpOnly` also lists answers that have a follow-up answer but no comment (the dashboard; the
 * wall screen quotes comments only). Text is returned raw: escape on output.
 */
export async function commentsUnder(
  db: Queryable,
  portalId: number,
  filters: AnswerFilters,
  limit: number,
  opts: { withFollowUpOnly?: boolean } = {},
): Promise<CommentRow[]> {
  const w = answerWhere(portalId, filters);
  const r = await db.query<Row>(
    `SELECT r.id, r.answered_at, r.score, r.category, r.comment, r.follow_up_answer, i.follow_up_question,
            r.trigger, r.owner_id, r.contact_id, c.firstname, c.lastname, c.email, r.company_id, co.name AS company_name,
            r.source_object_type, r.source_object_id, r.source_pipeline, r.source_stage
       FROM responses r ${w.join}
       LEFT JOIN contacts c ON c.portal_id = r.portal_id AND c.contact_id = r.contact_id
       LEFT JOIN companies co ON co.portal_id = r.portal_id AND co.company_id = r.company_id
       LEFT JOIN invitations i ON i.portal_id = r.portal_id AND i.id = r.invitation_id
      WHERE ${w.where} AND ${opts.withFollowUpOnly ? `((${HAS_COMMENT}) OR (${HAS_FOLLOW_UP}))` : HAS_COMMENT}
      ORDER BY r.answered_at DESC, r.id DESC
      LIMIT ${Number(limit)}`,
    w.params,
  );
  return r.rows.map((x) => {
    const name = [x.firstname, x.lastname].filter(Boolean).join(' ');
    return {
      responseId: x.id,
      answeredAt: new Date(x.answered_at).toISOString(),
      score: Number(x.score),
      category: x.category,
      comment: x.comment === '' ? null : x.comment,
      followUp: x.follow_up_answer ? { question: x.follow_up_question, answer: x.follow_up_answer } : null,
      trigger: x.trigger,
      ownerId: x.owner_id,
      contact: { id: String(x.contact_id), name: name || null, email: x.email },
      company: x.company_id === null ? null : { id: String(x.company_id), name: x.company_name },
      source:
        x.source_object_type && x.source_object_id !== null
          ? {
              type: x.source_object_type,
              id: String(x.source_object_id),
              pipeline: x.source_pipeline,
              stage: x.source_stage,
            }
          : null,
    };
  });
}

/** One answer as the CSV export writes it. */
export interface ExportedAnswer {
  responseId: string;
  /** ISO 8601 in UTC with milliseconds, formatted by the database. */
  answeredAt: string;
  score: number;
  category: string;
  comment: string | null;
  followUpQuestion: string | null;
  followUpAnswer: string | null;
  channel: string;
  trigger: string;
  sourceObjectType: string | null;
  sourceObjectId: string | null;
  pipeline: string | null;
  stage: string | null;
  contactId: string;
  companyId: string | null;
  ownerId: string | null;
  language: string | null;
}

interface ExportRow {
  id: string;
  answered_at_iso: string;
  /** Exact timestamp text (microseconds) for the next page's keyset. */
  cursor_at: string;
  score: number;
  category: string;
  comment: string | null;
  follow_up_question: string | null;
  follow_up_answer: string | null;
  channel: string;
  trigger: string;
  source_object_type: string | null;
  source_object_id: string | null;
  source_pipeline: string | null;
  source_stage: string | null;
  contact_id: string;
  company_id: string | null;
  owner_id: string | null;
  language: string | null;
}

/**
 * Every answer under the filters, oldest first, in pages of `pageSize`. Pages are read by keyset (answered_at, id) —
 * the same on PGlite and Postgres, no open cursor between pages — and the next page is read only when the caller
 * asks for it, so a caller that writes each page out before going on keeps memory flat.
 */
export async function* exportedAnswerPages(
  db: Queryable,
  portalId: number,
  filters: AnswerFilters,
  pageSize: number,
): AsyncGenerator<ExportedAnswer[]> {
  const w = answerWhere(portalId, filters);
  const at = w.params.length + 1;
  let after: { at: string; id: string } | null = null;
  for (;;) {
    const keyset = after ? `AND (r.answered_at, r.id) > ($${at}::timestamptz, $${at + 1}::uuid)` : '';
    const page: { rows: ExportRow[] } = await db.query<ExportRow>(
      `SELECT r.id, to_char(r.answered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS answered_at_iso,
                r.answered_at::text AS cursor_at, r.score, r.category, r.comment, r.follow_up_answer, i.follow_up_question,
                r.channel, r.trigger, r.source_object_type, r.source_object_id, r.source_pipeline, r.source_stage, r.contact_id,
                r.company_id, r.owner_id, r.language
           FROM responses r ${w.join}
           LEFT JOIN invitations i ON i.portal_id = r.portal_id AND i.id = r.invitation_id
          WHERE ${w.where} ${keyset}
          ORDER BY r.answered_at, r.id
          LIMIT ${pageSize}`,
      after ? [...w.params, after.at, after.id] : w.params,
    );
    if (page.rows.length === 0) return;
    yield page.rows.map((x) => ({
      responseId: x.id,
      answeredAt: x.answered_at_iso,
      score: Number(x.score),
      category: x.category,
      comment: x.comment,
      // The question is shown only beside an answer: a survey that asked one but got none has nothing to show.
      followUpQuestion: x.follow_up_answer ? x.follow_up_question : null,
      followUpAnswer: x.follow_up_answer,
      channel: x.channel,
      trigger: x.trigger,
      sourceObjectType: x.source_object_type,
      sourceObjectId: x.source_object_id === null ? null : String(x.source_object_id),
      pipeline: x.source_pipeline,
      stage: x.source_stage,
      contactId: String(x.contact_id),
      companyId: x.company_id === null ? null : String(x.company_id),
      ownerId: x.owner_id,
      language: x.language,
    }));
    if (page.rows.length < pageSize) return;
    const last = page.rows[page.rows.length - 1]!;
    after = { at: last.cursor_at, id: last.id };
  }
}
