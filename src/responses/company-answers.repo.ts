import type { Queryable } from '../storage';
import type { CompanyAnswer } from './company-nps';

// The answers a company's NPS is computed from (company-rollup.ts, the company card).

/** Every answer of every current (not deleted) contact whose primary company is one of `companyIds`. */
export async function loadCompanyAnswers(
  db: Queryable,
  portalId: number,
  companyIds: number[],
): Promise<CompanyAnswer[]> {
  const r = await db.query<{
    company_id: string;
    contact_id: string;
    score: number;
    answered_at: Date | string;
    updated_at: Date | string;
  }>(
    `SELECT c.company_id, r.contact_id, r.score, r.answered_at, r.updated_at
     FROM contacts c JOIN responses r ON r.portal_id = c.portal_id AND r.contact_id = c.contact_id
     WHERE c.portal_id = $1 AND c.company_id = ANY($2::bigint[]) AND c.deleted_at IS NULL AND c.merged_into IS NULL`,
    [portalId, companyIds],
  );
  return r.rows.map((x) => ({
    companyId: Number(x.company_id),
    contactId: Number(x.contact_id),
    score: Number(x.score),
    answeredAt: new Date(x.answered_at),
    updatedAt: new Date(x.updated_at),
  }));
}
