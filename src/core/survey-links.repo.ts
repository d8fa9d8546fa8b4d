import type { Queryable } from '../storage';

// The invitation a HubSpot-sent survey link points to.

/**
 * The contact's latest invitation on the 'hubspot' channel that is sent or reminded and not yet expired at `now`
 * (without `now`, any expiry), or null.
 */
export async function openHubSpotInvitation(
  db: Queryable,
  portalId: number,
  contactId: number,
  now?: Date,
): Promise<{ id: string; expiresAt: Date } | null> {
  const r = await db.query<{ id: string; expires_at: Date | string }>(
    `SELECT id, expires_at FROM invitations
     WHERE portal_id = $1 AND contact_id = $2 AND channel = 'hubspot' AND status IN ('sent', 'reminded')
       AND expires_at IS NOT NULL AND ($3::timestamptz IS NULL OR expires_at > $3)
     ORDER BY sent_at DESC NULLS LAST, created_at DESC LIMIT 1`,
    [portalId, contactId, now ?? null],
  );
  const row = r.rows[0];
  return row ? { id: row.id, expiresAt: new Date(row.expires_at) } : null;
}
