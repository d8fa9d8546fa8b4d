import type { Queryable } from '../storage';

// Answers to the referral question ("Who else should know about us?") on the promoter thank-you page.

/** Stores the referral for an answered invitation (a second one replaces the first); false when it has no answer. */
export async function saveReferral(
  db: Queryable,
  portalId: number,
  invitationId: string,
  referral: string,
  now: Date,
): Promise<boolean> {
  const r = await db.query(
    `INSERT INTO thank_you_referrals (invitation_id, portal_id, contact_id, owner_id, referral, created_at, updated_at)
     SELECT i.id, i.portal_id, i.contact_id, r.owner_id, $3, $4, $4
       FROM invitations i JOIN responses r ON r.invitation_id = i.id
      WHERE i.portal_id = $1 AND i.id = $2
     ON CONFLICT (invitation_id) DO UPDATE SET referral = EXCLUDED.referral, updated_at = EXCLUDED.updated_at`,
    [portalId, invitationId, referral, now],
  );
  return (r.rowCount ?? 0) > 0;
}

/** The referral already given for an invitation, to show it again on the thank-you page. */
export async function referralFor(db: Queryable, portalId: number, invitationId: string): Promise<string | null> {
  const r = await db.query<{ referral: string }>(
    'SELECT referral FROM thank_you_referrals WHERE portal_id = $1 AND invitation_id = $2',
    [portalId, invitationId],
  );
  return r.rows[0]?.referral ?? null;
}

export interface ReferralRow {
  referral: string;
  contactId: string;
  contactName: string | null;
  contactEmail: string | null;
  ownerId: string | null;
  at: Date;
}

/** The newest referrals given in [from, to), with who gave them. Text is raw: escape on output. */
export async function latestReferrals(
  db: Queryable,
  portalId: number,
  from: Date,
  to: Date,
  limit: number,
): Promise<ReferralRow[]> {
  const r = await db.query<{
    referral: string;
    contact_id: string;
    firstname: string | null;
    lastname: string | null;
    email: string | null;
    owner_id: string | null;
    updated_at: Date | string;
  }>(
    `SELECT t.referral, t.contact_id, c.firstname, c.lastname, c.email, t.owner_id, t.updated_at
       FROM thank_you_referrals t
       LEFT JOIN contacts c ON c.portal_id = t.portal_id AND c.contact_id = t.contact_id
      WHERE t.portal_id = $1 AND t.updated_at >= $2 AND t.updated_at < $3
      ORDER BY t.updated_at DESC LIMIT ${Number(limit)}`,
    [portalId, from, to],
  );
  return r.rows.map((x) => ({
    referral: x.referral,
    contactId: x.contact_id,
    contactName: [x.firstname, x.lastname].filter(Boolean).join(' ') || null,
    contactEmail: x.email,
    ownerId: x.owner_id,
    at: new Date(x.updated_at),
  }));
}
