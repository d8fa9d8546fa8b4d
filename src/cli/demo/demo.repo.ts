import type { Queryable } from '../../storage';

// What the demo's check (check.ts) and start-up (../demo.ts) read from the database to follow the walk-through.

async function count(db: Queryable, sql: string, params: unknown[] = []): Promise<number> {
  return Number((await db.query<{ n: string }>(sql, params)).rows[0]?.n ?? 0);
}

export async function countAnswers(db: Queryable, portalId: number): Promise<number> {
  return count(db, 'SELECT count(*) AS n FROM responses WHERE portal_id = $1', [portalId]);
}

export async function countPendingWebhookEvents(db: Queryable): Promise<number> {
  return count(db, `SELECT count(*) AS n FROM webhook_events WHERE status = 'pending'`);
}

export async function countMilestoneInvitations(db: Queryable): Promise<number> {
  return count(db, `SELECT count(*) AS n FROM invitations WHERE trigger IN ('deal', 'ticket')`);
}

export async function countScheduledInvitations(db: Queryable): Promise<number> {
  return count(db, `SELECT count(*) AS n FROM invitations WHERE status = 'scheduled'`);
}

export async function countInvitationsForObject(db: Queryable, objectId: string | number): Promise<number> {
  return count(db, `SELECT count(*) AS n FROM invitations WHERE source_object_id = $1`, [objectId]);
}

export interface SentInvitation {
  id: string;
  contactId: string;
  expiresAt: Date;
}

/** Invitations sent and not answered yet, oldest first. */
export async function sentInvitations(db: Queryable): Promise<SentInvitation[]> {
  const r = await db.query<{ id: string; contact_id: string; expires_at: Date | string }>(
    `SELECT id, contact_id, expires_at FROM invitations WHERE status = 'sent' ORDER BY created_at, id`,
  );
  return r.rows.map((x) => ({ id: x.id, contactId: String(x.contact_id), expiresAt: new Date(x.expires_at) }));
}

/** How many invitations were skipped, per reason. */
export async function skipCounts(db: Queryable): Promise<Record<string, number>> {
  const r = await db.query<{ skip_reason: string; n: string }>(
    `SELECT skip_reason, count(*) AS n FROM invitations WHERE status = 'skipped' GROUP BY skip_reason ORDER BY skip_reason`,
  );
  return Object.fromEntries(r.rows.map((x) => [x.skip_reason, Number(x.n)]));
}

/** A mailable contact never invited yet, to enroll in the demo workflow. */
export async function contactNeverInvited(db: Queryable, portalId: number): Promise<string | null> {
  const r = await db.query<{ contact_id: string }>(
    `SELECT c.contact_id FROM contacts c WHERE c.portal_id = $1 AND c.email IS NOT NULL AND NOT c.opted_out AND c.deleted_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM invitations i WHERE i.portal_id = c.portal_id AND i.contact_id = c.contact_id) ORDER BY c.contact_id LIMIT 1`,
    [portalId],
  );
  return r.rows[0] ? String(r.rows[0].contact_id) : null;
}

/** The sent invitation a workflow callback scheduled. */
export async function sentInvitationOfCallback(
  db: Queryable,
  callbackId: string,
): Promise<{ id: string; expiresAt: Date } | null> {
  const r = await db.query<{ id: string; expires_at: Date | string }>(
    `SELECT id, expires_at FROM invitations WHERE workflow_callback_id = $1 AND status = 'sent'`,
    [callbackId],
  );
  return r.rows[0] ? { id: r.rows[0].id, expiresAt: new Date(r.rows[0].expires_at) } : null;
}

/** Companies that have answers recorded against them. */
export async function answeredCompanyIds(db: Queryable, portalId: number): Promise<string[]> {
  const r = await db.query<{ company_id: string }>(
    `SELECT DISTINCT company_id FROM responses WHERE portal_id = $1 AND company_id IS NOT NULL`,
    [portalId],
  );
  return r.rows.map((x) => String(x.company_id));
}

/** Detractor alerts to the contact owners: planned, and sent (alert_deliveries, src/alerts). */
export async function ownerAlertCounts(
  db: Queryable,
  portalId: number,
): Promise<{ planned: number; sent: number; pending: number }> {
  const r = await db.query<{ planned: string; sent: string; pending: string }>(
    `SELECT count(*) AS planned, count(sent_at) AS sent,
            (SELECT count(*) FROM outbox WHERE portal_id = $1 AND kind LIKE 'alert-%') AS pending
       FROM alert_deliveries WHERE portal_id = $1 AND destination = 'owner-email'`,
    [portalId],
  );
  const row = r.rows[0];
  return { planned: Number(row?.planned ?? 0), sent: Number(row?.sent ?? 0), pending: Number(row?.pending ?? 0) };
}

/** Review link clicks stored for an invitation (src/reviews). */
export async function countReviewClicks(db: Queryable, portalId: number, invitationId: string): Promise<number> {
  const r = await db.query<{ n: string }>(
    'SELECT count(*) AS n FROM review_clicks WHERE portal_id = $1 AND invitation_id = $2',
    [portalId, invitationId],
  );
  return Number(r.rows[0]?.n ?? 0);
}
