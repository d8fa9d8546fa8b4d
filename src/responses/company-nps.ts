import { currentAnswer } from './contact-properties';
import { categoryOf, summarize, type CategoryCounts, type NpsSummary } from '../core';
import { companyTrend, previousAnswer, scoreChange, type CompanyTrend, type ScoreChange } from './score-change.rules';

// Company NPS: one vote per contact (their current answer: latest, unexpired), contacts grouped by primary company.

export interface CompanyAnswer {
  companyId: number;
  contactId: number;
  score: number;
  answeredAt: Date;
  updatedAt: Date;
}

function byContact(rows: readonly CompanyAnswer[]): Map<number, CompanyAnswer[]> {
  const map = new Map<number, CompanyAnswer[]>();
  for (const r of rows) {
    const list = map.get(r.contactId);
    if (list) list.push(r);
    else map.set(r.contactId, [r]);
  }
  return map;
}

export function companyCounts(
  rows: readonly CompanyAnswer[],
  now: Date,
  answerExpiryMonths: number,
): Map<number, CategoryCounts> {
  const counts = new Map<number, CategoryCounts>();
  for (const answers of byContact(rows).values()) {
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

/** Per company: the trend and at-risk count over its respondents' current answers (score-change.rules.ts). */
export function companyTrends(
  rows: readonly CompanyAnswer[],
  now: Date,
  answerExpiryMonths: number,
): Map<number, CompanyTrend> {
  const changes = new Map<number, ScoreChange[]>();
  for (const answers of byContact(rows).values()) {
    const current = currentAnswer(answers, now, answerExpiryMonths);
    if (!current) continue;
    const change = scoreChange(current.score, previousAnswer(answers, current)?.score ?? null);
    changes.set(current.companyId, [...(changes.get(current.companyId) ?? []), change]);
  }
  return new Map([...changes].map(([companyId, list]) => [companyId, companyTrend(list)]));
}

export type CompanyProperties = Record<
  | 'nps_company_score'
  | 'nps_company_margin'
  | 'nps_company_respondents'
  | 'nps_company_promoters'
  | 'nps_company_passives'
  | 'nps_company_detractors'
  | 'nps_company_trend'
  | 'nps_company_at_risk_contacts',
  string
>;

/** A company nobody (still) answers for gets its score, margin and trend cleared and zero counts. */
export function companyProperties(s: NpsSummary, trend?: CompanyTrend): CompanyProperties {
  return {
    nps_company_score: s.nps === null ? '' : String(s.nps),
    nps_company_margin: s.marginOfError === null ? '' : String(s.marginOfError),
    nps_company_respondents: String(s.n),
    nps_company_promoters: String(s.promoters),
    nps_company_passives: String(s.passives),
    nps_company_detractors: String(s.detractors),
    nps_company_trend: trend?.trend ?? '',
    nps_company_at_risk_contacts: String(trend?.atRiskContacts ?? 0),
  };
}

export function companySummary(counts: CategoryCounts | undefined): NpsSummary {
  return summarize(counts ?? { promoters: 0, passives: 0, detractors: 0 });
}
