import type { Queryable } from '../storage';

// score_expiry_sweeps (how far the expiry sweep has got per portal) and the answers that crossed the expiry line.

/** Where the previous sweep stopped, locked until the transaction ends (one sweep per portal at a time). */
export async function lastSweptUntil(tx: Queryable, portalId: number): Promise<Date | null> {
  const prev = await tx.query<{ swept_until: Date | string }>(
    'SELECT swept_until FROM score_expiry_sweeps WHERE portal_id = $1 FOR UPDATE',
    [portalId],
  );
  return prev.rows[0] ? new Date(prev.rows[0].swept_until) : null;
}

export async function saveSweptUntil(tx: Queryable, portalId: number, at: Date): Promise<void> {
  await tx.query(
    `INSERT INTO score_expiry_sweeps (portal_id, swept_until) VALUES ($1, $2)
     ON CONFLICT (portal_id) DO UPDATE SET swept_until = EXCLUDED.swept_until`,
    [portalId, at],
  );
}

/** Contacts (with their current company) whose latest answer was given in [from, to). */
export async function contactsWhoseLatestAnswerCrossed(
  tx: Queryable,
  portalId: number,
  from: Date,
  to: Date,
): Promise<Array<{ contactId: string; companyId: string | null }>> {
  const r = await tx.query<{ contact_id: string; company_id: string | null }>(
    `SELECT DISTINCT r.contact_id, c.company_id FROM responses r
     LEFT JOIN contacts c ON c.portal_id = r.portal_id AND c.contact_id = r.contact_id
     WHERE r.portal_id = $1 AND r.answered_at >= $2 AND r.answered_at < $3
       AND NOT EXISTS (SELECT 1 FROM responses n WHERE n.portal_id = r.portal_id AND n.contact_id = r.contact_id AND n.answered_at > r.answered_at)`,
    [portalId, from, to],
  );
  return r.rows.map((row) => ({
    contactId: String(row.contact_id),
    companyId: row.company_id === null ? null : String(row.company_id),
  }));
}
