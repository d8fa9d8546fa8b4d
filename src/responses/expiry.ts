import type { AppDeps } from '../core';
import { getSettings } from '../core';
import { markOutbox } from '../outbox';
import { expiryCutoff } from './contact-properties';
import { COMPANY_ROLLUP_KIND } from './company-rollup';
import { CONTACT_PROPERTIES_KIND } from './writeback';
import { contactsWhoseLatestAnswerCrossed, lastSweptUntil, saveSweptUntil } from './expiry.repo';

// Answers expire with time, not with an event: nothing marks the contact when its score stops counting. This
// sweep finds the contacts whose latest answer crossed the expiry line since the previous sweep and marks them
// (and their companies) for write-back, so HubSpot's nps_score and the company NPS drop the expired answer.

export async function sweepExpiredScores(deps: Pick<AppDeps, 'db'>, portalId: number, now: Date): Promise<number> {
  const { answerExpiryMonths } = await getSettings(deps.db, portalId);
  return deps.db.transaction(async (tx) => {
    const prev = await lastSweptUntil(tx, portalId);
    const from = prev ? expiryCutoff(prev, answerExpiryMonths) : new Date(0);
    const to = expiryCutoff(now, answerExpiryMonths);
    const crossed = await contactsWhoseLatestAnswerCrossed(tx, portalId, from, to);
    const companies = new Set<string>();
    for (const c of crossed) {
      await markOutbox(tx, portalId, CONTACT_PROPERTIES_KIND, c.contactId);
      if (c.companyId !== null) companies.add(c.companyId);
    }
    for (const companyId of companies) await markOutbox(tx, portalId, COMPANY_ROLLUP_KIND, companyId);
    await saveSweptUntil(tx, portalId, now);
    return crossed.length;
  });
}
