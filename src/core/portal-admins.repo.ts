import type { Queryable } from '../storage';

// portal_admins: who may change a portal's settings, export its answers and manage its TV links.

export interface PortalAdmin {
  hubspotUserId: number | null;
  email: string | null;
}

export interface AdminCandidate {
  hubspotUserId?: number | null;
  email?: string | null;
}

export async function listPortalAdmins(db: Queryable, portalId: number): Promise<PortalAdmin[]> {
  const r = await db.query<{ hubspot_user_id: string | null; email: string | null }>(
    'SELECT hubspot_user_id, email FROM portal_admins WHERE portal_id = $1 ORDER BY added_at, id',
    [portalId],
  );
  return r.rows.map((row) => ({
    hubspotUserId: row.hubspot_user_id === null ? null : Number(row.hubspot_user_id),
    email: row.email,
  }));
}

/** True when the user (by HubSpot user id or email, case-insensitively) is on the portal's admin list. */
export async function isPortalAdmin(db: Queryable, portalId: number, who: AdminCandidate): Promise<boolean> {
  if (who.hubspotUserId == null && !who.email) return false;
  const r = await db.query(
    `SELECT 1 FROM portal_admins WHERE portal_id = $1
        AND (hubspot_user_id = $2 OR ($3::text IS NOT NULL AND lower(email) = lower($3::text))) LIMIT 1`,
    [portalId, who.hubspotUserId ?? null, who.email ?? null],
  );
  return r.rows.length > 0;
}

/** The installer becomes the first admin: added only while the portal has none. */
export async function addFirstPortalAdmin(
  db: Queryable,
  portalId: number,
  who: AdminCandidate,
  at: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO portal_admins (portal_id, hubspot_user_id, email, added_by, added_at)
     SELECT $1, $2, $3, 'install', $4 WHERE NOT EXISTS (SELECT 1 FROM portal_admins WHERE portal_id = $1)`,
    [portalId, who.hubspotUserId ?? null, who.email ?? null, at],
  );
}

/** Replaces the portal's admin list (in the caller's transaction). */
export async function replacePortalAdmins(
  db: Queryable,
  portalId: number,
  admins: AdminCandidate[],
  addedBy: string,
  at: Date,
): Promise<void> {
  await db.query('DELETE FROM portal_admins WHERE portal_id = $1', [portalId]);
  for (const a of admins)
    await db.query(
      `INSERT INTO portal_admins (portal_id, hubspot_user_id, email, added_by, added_at) VALUES ($1, $2, $3, $4, $5)`,
      [portalId, a.hubspotUserId ?? null, a.email ?? null, addedBy, at],
    );
}

/** Adds one admin (an operator's `npm run admins -- --add`); an address already on the list is left alone. */
export async function addPortalAdmin(
  db: Queryable,
  portalId: number,
  who: AdminCandidate,
  addedBy: string,
  at: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO portal_admins (portal_id, hubspot_user_id, email, added_by, added_at)
     SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS (
       SELECT 1 FROM portal_admins WHERE portal_id = $1
          AND (hubspot_user_id = $2 OR ($3::text IS NOT NULL AND lower(email) = lower($3::text))))`,
    [portalId, who.hubspotUserId ?? null, who.email ?? null, addedBy, at],
  );
}
