import type { Queryable } from '../storage';
import type { Category } from '../core';
import type { AnswerFilters } from './filters';
import { catchUpInsights } from './catch-up';
import { answerWhere } from './answer-filter-sql';

export interface CommentRow {
  responseId: string;
  answeredAt: string;
  score: number;
  category: Category;
  comment: string;
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
  comment: string;
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

/** The newest comments under the filters, with who said it and about what. Text is returned raw: escape on output. */
export async function latestComments(db: Queryable, portalId: number, filters: AnswerFilters, limit: number): Promise<CommentRow[]> {
  if (filters.segment) await catchUpInsights(db, portalId);
  const w = answerWhere(portalId, filters);
  const r = await db.query<Row>(
    `SELECT r.id, r.answered_at, r.score, r.category, r.comment, r.trigger, r.owner_id, r.contact_id,
            c.firstname, c.lastname, c.email, r.company_id, co.name AS company_name,
            r.source_object_type, r.source_object_id, r.source_pipeline, r.source_stage
       FROM responses r ${w.join}
       LEFT JOIN contacts c ON c.portal_id = r.portal_id AND c.contact_id = r.contact_id
       LEFT JOIN companies co ON co.portal_id = r.portal_id AND co.company_id = r.company_id
      WHERE ${w.where} AND r.comment IS NOT NULL AND r.comment <> ''
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
      comment: x.comment,
      trigger: x.trigger,
      ownerId: x.owner_id,
      contact: { id: String(x.contact_id), name: name || null, email: x.email },
      company: x.company_id === null ? null : { id: String(x.company_id), name: x.company_name },
      source:
        x.source_object_type && x.source_object_id !== null
          ? { type: x.source_object_type, id: String(x.source_object_id), pipeline: x.source_pipeline, stage: x.source_stage }
          : null,
    };
  });
}
