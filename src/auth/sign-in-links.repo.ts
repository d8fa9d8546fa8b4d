import type { Queryable } from '../storage';

// One-time dashboard sign-in links, keyed by the sha256 of the link's token (the token itself is only in the URL
// handed to the card).

export interface SignInLinkOwner {
  portalId: number;
  hubspotUserId: number | null;
  userEmail: string | null;
}

/** Why a link did not sign anyone in. */
export type SignInLinkRefusal = 'unknown' | 'used' | 'expired' | 'portal_inactive';

/** Records a link for an active portal; false (nothing stored) when the portal is not installed and active. */
export async function insertSignInLink(
  db: Queryable,
  link: SignInLinkOwner & { tokenHash: string; createdAt: Date; expiresAt: Date },
): Promise<boolean> {
  const r = await db.query(
    `INSERT INTO dashboard_sign_in_links (token_hash, portal_id, hubspot_user_id, user_email, created_at, expires_at)
     SELECT $1, p.portal_id, $3, $4, $5, $6 FROM portals p WHERE p.portal_id = $2 AND p.status = 'active'`,
    [link.tokenHash, link.portalId, link.hubspotUserId, link.userEmail, link.createdAt, link.expiresAt],
  );
  return r.rowCount > 0;
}

/** Forgets links that expired before `before` (used or not): by then a replay is just "unknown". */
export async function deleteStaleSignInLinks(db: Queryable, before: Date): Promise<void> {
  await db.query('DELETE FROM dashboard_sign_in_links WHERE expires_at < $1', [before]);
}

/**
 * Marks the link used and returns who it was issued to — in one statement, so of two requests racing with the
 * same link exactly one gets a row (the other waits for the row lock, then finds used_at set). Nothing is
 * returned for an unknown, used or expired link, or one whose portal is no longer active.
 */
export async function consumeSignInLink(db: Queryable, tokenHash: string, now: Date): Promise<SignInLinkOwner | null> {
  const r = await db.query<{ portal_id: string; hubspot_user_id: string | null; user_email: string | null }>(
    `UPDATE dashboard_sign_in_links l SET used_at = $2 FROM portals p
      WHERE l.token_hash = $1 AND l.used_at IS NULL AND l.expires_at > $2
        AND p.portal_id = l.portal_id AND p.status = 'active'
      RETURNING l.portal_id, l.hubspot_user_id, l.user_email`,
    [tokenHash, now],
  );
  const row = r.rows[0];
  if (!row) return null;
  return {
    portalId: Number(row.portal_id),
    hubspotUserId: row.hubspot_user_id === null ? null : Number(row.hubspot_user_id),
    userEmail: row.user_email,
  };
}

/** After consumeSignInLink returned nothing: the reason, for the message shown to the user. */
export async function signInLinkRefusal(db: Queryable, tokenHash: string, now: Date): Promise<SignInLinkRefusal> {
  const r = await db.query<{ used_at: Date | null; expires_at: Date | string; status: string }>(
    `SELECT l.used_at, l.expires_at, p.status FROM dashboard_sign_in_links l JOIN portals p ON p.portal_id = l.portal_id
      WHERE l.token_hash = $1`,
    [tokenHash],
  );
  const row = r.rows[0];
  if (!row) return 'unknown';
  if (row.used_at !== null) return 'used';
  if (new Date(row.expires_at).getTime() <= now.getTime()) return 'expired';
  return row.status === 'active' ? 'unknown' : 'portal_inactive';
}
