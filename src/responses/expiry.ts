import type { AppDeps } from '../core';
import { getSettings } from '../core';
import { markOutbox } from '../outbox';
import { expiryCutoff } from './contact-properties';
import { COMPANY_ROLLUP_KIND } from './company-rollup';
import { CONTACT_PROPERTIES_KIND } from './writeback';

// Answers expire with time, not with an event: nothing marks the contact when its score stops counting. This
// sweep finds the contacts whose latest answer crossed the expiry line since the previous sweep and marks them
// (and their companies) for write-back, so HubSpot's nps_score and the company NPS drop the expired answer.

export async function sweepExpiredScores(deps: Pick<AppDeps, 'db'>, portalId: number, now: Date): Promise<number> {
  const { answerExpiryMonths } = await getSettings(deps.db, portalId);
  return deps.db.transaction(async (tx) => {
    const prev = await tx.query<{ swept_until: Date | string }>('SELECT swept_until FROM score_expiry_sweeps WHERE portal_id = $1 FOR UPDATE', [portalId]);
    const from = prev.rows[0] ? expiryCutoff(new Date(prev.rows[0].swept_until), answerExpiryMonths) : new Date(0);
    const to = expiryCutoff(now, answerExpiryMonths);
    const r = await tx.query<{ contact_id: string; company_id: string | null }>(
      `SELECT DISTINCT r.contact_id, c.company_id FROM responses r
       LEFT JOIN contacts c ON c.portal_id = r.portal_id AND c.contact_id = r.contact_id
       WHERE r.portal_id = $1 AND r.answered_at >= $2 AND r.answered_at < $3
         AND NOT EXISTS (SELECT 1 FROM responses n WHERE n.portal_id = r.portal_id AND n.contact_id = r.contact_id AND n.answered_at > r.answered_at)`,
      [portalId, from, to],
    );
    const companies = new Set<string>();
    for (const row of r.rows) {
      await markOutbox(tx, portalId, CONTACT_PROPERTIES_KIND, String(row.contact_id));
      if (row.company_id !== null) companies.add(String(row.company_id));
    }
    for (const companyId of companies) await markOutbox(tx, portalId, COMPANY_ROLLUP_KIND, companyId);
    await tx.query(
      `INSERT INTO score_expiry_sweeps (portal_id, swept_until) VALUES ($1, $2)
       ON CONFLICT (portal_id) DO UPDATE SET swept_until = EXCLUDED.swept_until`,
      [portalId, now],
    );
    return r.rows.length;
  });
}
