import type { Db, Queryable } from '../storage';
import { contactPropertiesOutbox } from '../responses';
import { defaultSettings, settingsSchema, type Settings } from '../core';

// Review clicks: the answer a tracked review link belongs to, recording a click, and the dashboard's counts.

export interface ReviewLinkContext {
  portalId: number;
  invitationId: string;
  contactId: number;
  ownerId: string | null;
  settings: Settings;
}

/** The answered invitation a review link was made for, with the portal's settings; null when there is none. */
export async function loadReviewLinkContext(
  db: Queryable,
  portalId: number,
  invitationId: string,
): Promise<ReviewLinkContext | null> {
  const r = await db.query<{ contact_id: string; owner_id: string | null; settings: unknown }>(
    `SELECT i.contact_id, r.owner_id, p.settings
       FROM invitations i
       JOIN portals p ON p.portal_id = i.portal_id
       JOIN responses r ON r.invitation_id = i.id
      WHERE i.portal_id = $1 AND i.id = $2`,
    [portalId, invitationId],
  );
  const row = r.rows[0];
  if (!row) return null;
  const parsed = settingsSchema.safeParse(row.settings);
  return {
    portalId,
    invitationId,
    contactId: Number(row.contact_id),
    ownerId: row.owner_id,
    settings: parsed.success ? parsed.data : defaultSettings(),
  };
}

/** Stores the click and marks the contact's properties for write-back (nps_review_link_clicked_at), together. */
export async function recordReviewClick(
  db: Db,
  ctx: ReviewLinkContext,
  site: { name: string; url: string },
  at: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO review_clicks (portal_id, contact_id, invitation_id, owner_id, site_name, site_url, clicked_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [ctx.portalId, ctx.contactId, ctx.invitationId, ctx.ownerId, site.name, site.url, at],
    );
    await contactPropertiesOutbox.mark(tx, ctx.portalId, String(ctx.contactId));
  });
}

export interface ReviewClickCounts {
  total: number;
  contacts: number;
  bySite: Array<{ site: string; clicks: number }>;
  byOwner: Array<{ ownerId: string | null; clicks: number; contacts: number }>;
}

/** Clicks in [from, to) (UTC instants): in all, per site and per owner of the answer. */
export async function reviewClickCounts(
  db: Queryable,
  portalId: number,
  from: Date,
  to: Date,
): Promise<ReviewClickCounts> {
  const params = [portalId, from, to];
  const where = 'portal_id = $1 AND clicked_at >= $2 AND clicked_at < $3';
  const [total, bySite, byOwner] = await Promise.all([
    db.query<{ clicks: string; contacts: string }>(
      `SELECT count(*) AS clicks, count(DISTINCT contact_id) AS contacts FROM review_clicks WHERE ${where}`,
      params,
    ),
    db.query<{ site: string; clicks: string }>(
      `SELECT site_name AS site, count(*) AS clicks FROM review_clicks WHERE ${where} GROUP BY site_name ORDER BY 2 DESC, 1`,
      params,
    ),
    db.query<{ owner_id: string | null; clicks: string; contacts: string }>(
      `SELECT owner_id, count(*) AS clicks, count(DISTINCT contact_id) AS contacts FROM review_clicks WHERE ${where}
        GROUP BY owner_id ORDER BY 2 DESC, 1 NULLS LAST`,
      params,
    ),
  ]);
  return {
    total: Number(total.rows[0]?.clicks ?? 0),
    contacts: Number(total.rows[0]?.contacts ?? 0),
    bySite: bySite.rows.map((x) => ({ site: x.site, clicks: Number(x.clicks) })),
    byOwner: byOwner.rows.map((x) => ({ ownerId: x.owner_id, clicks: Number(x.clicks), contacts: Number(x.contacts) })),
  };
}
