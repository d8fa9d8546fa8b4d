import { currentAnswer } from './contact-properties';
import { categoryOf, summarize, type CategoryCounts, type NpsSummary } from '../core';

// Company NPS: one vote per contact (their current answer: latest, unexpired), contacts grouped by primary company.

export interface CompanyAnswer {
  companyId: number;
  contactId: number;
  score: number;
  answeredAt: Date;
  updatedAt: Date;
}

export function companyCounts(
  rows: readonly CompanyAnswer[],
  now: Date,
  answerExpiryMonths: number,
): Map<number, CategoryCounts> {
  const byContact = new Map<number, CompanyAnswer[]>();
  for (const r of rows) {
    const list = byContact.get(r.contactId);
    if (list) list.push(r);
    else byContact.set(r.contactId, [r]);
  }
  const counts = new Map<number, CategoryCounts>();
  for (const answers of byContact.values()) {
    const current = currentAnswer(answers, now, answerExpiryMonths);
    if (!current) continue;
    const c = counts.get(current.companyId) ?? { promoters: 0, passives: 0, detractors: 0 };
    const category = categoryOf(current.score);
    if (category === 'promoter') c.promoters++;
    else if (category === 'passive') c.passives++;
    else c.detractors++;
    counts.set(current.companyId, c);
  }
  return counts;
}

export type CompanyProperties = Record<
  | 'nps_company_score'
  | 'nps_company_margin'
  | 'nps_company_respondents'
  | 'nps_company_promoters'
  | 'nps_company_passives'
  | 'nps_company_detractors',
  string
>;

/** A company nobody (still) answers for gets its score and margin cleared and zero counts. */
export function companyProperties(s: NpsSummary): CompanyProperties {
  return {
    nps_company_score: s.nps === null ? '' : String(s.nps),
    nps_company_margin: s.marginOfError === null ? '' : String(s.marginOfError),
    nps_company_respondents: String(s.n),
    nps_company_promoters: String(s.promoters),
    nps_company_passives: String(s.passives),
    nps_company_detractors: String(s.detractors),
  };
}

export function companySummary(counts: CategoryCounts | undefined): NpsSummary {
  return summarize(counts ?? { promoters: 0, passives: 0, detractors: 0 });
}
