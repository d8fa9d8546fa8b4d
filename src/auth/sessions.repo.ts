import type { Queryable } from '../storage';

// Dashboard sessions on record, keyed by the sha256 of the session id (the id itself is only in the cookie).

/** A session on record for an active portal. */
export interface StoredSession {
  portalId: number;
  userLabel: string;
  expiresAt: Date;
  hubspotUserId: number | null;
  userEmail: string | null;
  /** Started with ADMIN_TOKEN (single-portal mode): an admin. */
  adminToken: boolean;
}

export async function deleteExpiredSessions(db: Queryable, now: Date): Promise<void> {
  await db.query('DELETE FROM dashboard_sessions WHERE expires_at < $1', [now]);
}

export async function insertSession(
  db: Queryable,
  s: {
    idHash: string;
    portalId: number;
    userLabel: string;
    hubspotUserId: number | null;
    userEmail: string | null;
    adminToken: boolean;
    createdAt: Date;
    expiresAt: Date;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO dashboard_sessions (id_hash, portal_id, user_label, hubspot_user_id, user_email, admin_token, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [s.idHash, s.portalId, s.userLabel, s.hubspotUserId, s.userEmail, s.adminToken, s.createdAt, s.expiresAt],
  );
}

/** The session with this id hash if it is unexpired at `now` and its portal is still active; null otherwise. */
export async function findLiveSession(db: Queryable, idHash: string, now: Date): Promise<StoredSession | null> {
  const r = await db.query<{
    portal_id: string;
    user_label: string;
    expires_at: Date | string;
    hubspot_user_id: string | null;
    user_email: string | null;
    admin_token: boolean;
  }>(
    `SELECT s.portal_id, s.user_label, s.expires_at, s.hubspot_user_id, s.user_email, s.admin_token FROM dashboard_sessions s JOIN portals p ON p.portal_id = s.portal_id
      WHERE s.id_hash = $1 AND s.expires_at > $2 AND p.status = 'active'`,
    [idHash, now],
  );
  const row = r.rows[0];
  return row
    ? {
        portalId: Number(row.portal_id),
        userLabel: row.user_label,
        expiresAt: new Date(row.expires_at),
        hubspotUserId: row.hubspot_user_id === null ? null : Number(row.hubspot_user_id),
        userEmail: row.user_email,
        adminToken: row.admin_token,
      }
    : null;
}

export async function deleteSession(db: Queryable, idHash: string): Promise<void> {
  await db.query('DELETE FROM dashboard_sessions WHERE id_hash = $1', [idHash]);
}
