import { COMPANY_CONTACT_LIMIT, CONTACT_NAME_LIMIT, type CompanyCard } from '../../extensions/app/cards/contract';
import type { Db } from '../storage';
import { getSettings } from '../core';
import { companyCounts, companySummary } from '../responses';
import { currentAnswer } from '../responses';
import { categoryOf } from '../core';
import { NotFoundError } from '../shared';
import type { FollowUpReader } from './follow-ups';
import { companyAnswers, companyFollowUps, type CompanyAnswerRow } from './card.repo';

// GET /api/card/companies/:id — company NPS (one vote per contact: their current answer), computed with the
// same functions as the company properties written to HubSpot, so card and record never disagree.

export async function buildCompanyCard(
  deps: { db: Db; followUps: FollowUpReader },
  portalId: number,
  companyId: string,
  now: Date,
): Promise<CompanyCard> {
  const [settings, company, followUpRows] = await Promise.all([
    getSettings(deps.db, portalId),
    companyAnswers(deps.db, portalId, companyId),
    companyFollowUps(deps.db, portalId, companyId),
  ]);
  if (!company.known) throw new NotFoundError(`company ${companyId} not found`, 'company_not_found');
  const id = Number(companyId);
  const summary = companySummary(
    companyCounts(
      company.answers.map((a) => ({ ...a, companyId: id })),
      now,
      settings.answerExpiryMonths,
    ).get(id),
  );

  const byContact = new Map<number, CompanyAnswerRow[]>();
  for (const a of company.answers) byContact.set(a.contactId, [...(byContact.get(a.contactId) ?? []), a]);
  const current = [...byContact.values()]
    .map((answers) => currentAnswer(answers, now, settings.answerExpiryMonths))
    .filter((a): a is CompanyAnswerRow => a !== null)
    .sort((a, b) => b.answeredAt.getTime() - a.answeredAt.getTime());
  // hubspot.fetch answers at most 1 MB: the card lists the newest answers and says how many there are.
  const contacts = current.slice(0, COMPANY_CONTACT_LIMIT).map((a) => ({
    contactId: String(a.contactId),
    name: a.name.length > CONTACT_NAME_LIMIT ? `${a.name.slice(0, CONTACT_NAME_LIMIT - 1)}…` : a.name,
    score: a.score,
    category: categoryOf(a.score),
    answeredAt: a.answeredAt.toISOString(),
  }));

  return {
    companyId,
    name: company.name,
    nps: summary.nps,
    marginOfError: summary.marginOfError,
    n: summary.n,
    tooFew: summary.tooFew,
    counts: { promoters: summary.promoters, passives: summary.passives, detractors: summary.detractors },
    contacts,
    contactsTotal: current.length,
    openFollowUps: await deps.followUps.open(portalId, followUpRows),
  };
}
