import type { Queryable } from '../storage';
import { loadCompanyAnswers } from './company-answers.repo';
import { getSettings } from '../core';
import { companyCounts, companyProperties, companySummary, companyTrends } from './company-nps';
import type { NpsSummary } from '../core';
import { defineWriteBackKind } from './writeback';

// Company NPS write-back. Marked 'company-rollup' <companyId> when a contact of the company answers, and by the
// contact sync when a contact's primary company changes (for the old and the new company).

/** The company's NPS now, as the company properties and the CRM card show it. */
export async function companyNps(db: Queryable, portalId: number, companyId: number, now: Date): Promise<NpsSummary> {
  const settings = await getSettings(db, portalId);
  const counts = companyCounts(await loadCompanyAnswers(db, portalId, [companyId]), now, settings.answerExpiryMonths);
  return companySummary(counts.get(companyId));
}

export const companyRollupOutbox = defineWriteBackKind({
  kind: 'company-rollup',
  queue: 'responses.flush-companies',
  objectType: 'companies',
  async build(deps, portalId, items, now) {
    const settings = await getSettings(deps.db, portalId);
    const valid = items.filter((i) => /^\d+$/.test(i.key));
    const answers = await loadCompanyAnswers(
      deps.db,
      portalId,
      valid.map((i) => Number(i.key)),
    );
    const counts = companyCounts(answers, now, settings.answerExpiryMonths);
    const trends = companyTrends(answers, now, settings.answerExpiryMonths);
    return {
      writes: valid.map((item) => ({
        item,
        input: {
          id: item.key,
          properties: companyProperties(companySummary(counts.get(Number(item.key))), trends.get(Number(item.key))),
        },
      })),
      done: items
        .filter((i) => !/^\d+$/.test(i.key))
        .map((item) => ({ item, reason: `"${item.key}" is not a company id` })),
    };
  },
});

export const COMPANY_ROLLUP_KIND = companyRollupOutbox.kind;
