import type { Category } from '../../src/core';
import type { Queryable } from '../../src/storage/db';
import { insertRows, isoOrNull } from './sql';

// Historic answers with a given snapshot. The product records answers through recordResponse, which takes the
// source, owner, company and language from the invitation and the mirror as they are now, and marks outbox
// work; tests need answers as they were stored at a given time, with no work pending, so this factory writes
// the row itself (own SQL). The category follows the score unless a test gives one (e.g. to hit a constraint).

export interface ResponseInput {
  portalId: number;
  contactId: string | number;
  score: number;
  category?: Category;
  invitationId?: string | null;
  comment?: string | null;
  followUpAnswer?: string | null;
  channel?: 'email' | 'page' | 'manual' | 'import' | 'workflow' | 'sms' | 'web';
  trigger?: string;
  source?: {
    objectType: string | null;
    objectId?: string | number | null;
    pipeline?: string | null;
    stage?: string | null;
  };
  ownerId?: string | null;
  companyId?: string | number | null;
  language?: string | null;
  answeredAt?: Date;
}

export interface Response {
  id: string;
  portalId: number;
  contactId: string;
  invitationId: string | null;
  score: number;
  category: Category;
  answeredAt: Date;
}

const categoryFor = (score: number): Category => (score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor');

export async function aResponse(db: Queryable, a: ResponseInput): Promise<Response> {
  return (await someResponses(db, [a]))[0]!;
}

/** Many historic answers at once (e.g. thousands for paging), returned in the order given. */
export async function someResponses(db: Queryable, list: ResponseInput[]): Promise<Response[]> {
  const rows = await insertRows<Record<string, any>>(
    db,
    'responses',
    list.map((a) => ({
      portal_id: a.portalId,
      contact_id: a.contactId,
      invitation_id: a.invitationId ?? undefined,
      score: a.score,
      category: a.category ?? categoryFor(a.score),
      comment: a.comment,
      follow_up_answer: a.followUpAnswer,
      channel: a.channel ?? 'manual',
      trigger: a.trigger ?? 'manual',
      source_object_type: a.source?.objectType ?? undefined,
      source_object_id: a.source?.objectId ?? undefined,
      source_pipeline: a.source?.pipeline ?? undefined,
      source_stage: a.source?.stage ?? undefined,
      owner_id: a.ownerId,
      company_id: a.companyId,
      language: a.language,
      answered_at: a.answeredAt ?? new Date(),
    })),
  );
  return rows.map((row) => ({
    id: row.id,
    portalId: Number(row.portal_id),
    contactId: String(row.contact_id),
    invitationId: row.invitation_id,
    score: Number(row.score),
    category: row.category,
    answeredAt: isoOrNull(row.answered_at)!,
  }));
}
