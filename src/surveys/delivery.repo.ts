import type { Queryable } from '../storage';
import { contactPropertiesOutbox } from '../responses';
import { workflowCallbackOutbox } from '../workflow-action';

// SQL of the delivery jobs. Every state change is a conditional UPDATE (… WHERE status = 'scheduled'), so two
// app copies acting on the same row cannot both win, and claims use FOR UPDATE SKIP LOCKED so they never wait
// for each other.

/**
 * How long a claim protects a send in progress: longer than the worst SMTP exchange (mailer.ts bounds it at about
 * 90 s), short enough that a send stranded by a crash goes out soon after a restart.
 */
const CLAIM_TIMEOUT_MS = 2 * 60_000;

/** An invitation claimed for sending or reminding, as the delivery cycle needs it. */
export interface Delivery {
  id: string;
  portalId: number;
  contactId: string;
  channel: 'email' | 'hubspot' | 'sms' | 'web';
  language: string | null;
  question: string | null;
  ruleId: string | null;
  expiresAt: Date | null;
  sentAt: Date | null;
  sendAttempts: number;
  reminderAttempts: number;
  workflowCallbackId: string | null;
  portalActive: boolean;
}

interface DeliveryRow {
  id: string;
  portal_id: string;
  contact_id: string;
  channel: 'email' | 'hubspot' | 'sms' | 'web';
  language: string | null;
  question: string | null;
  rule_id: string | null;
  expires_at: Date | null;
  sent_at: Date | null;
  send_attempts: number;
  reminder_attempts: number;
  workflow_callback_id: string | null;
  portal_active: boolean;
}

export interface Recipient {
  email: string | null;
  firstname: string | null;
  language: string | null;
  optedOut: boolean;
  bounced: boolean;
  deleted: boolean;
}

function toDelivery(r: DeliveryRow): Delivery {
  return {
    id: r.id,
    portalId: Number(r.portal_id),
    contactId: r.contact_id,
    channel: r.channel,
    language: r.language,
    question: r.question,
    ruleId: r.rule_id,
    expiresAt: r.expires_at ? new Date(r.expires_at) : null,
    sentAt: r.sent_at ? new Date(r.sent_at) : null,
    sendAttempts: r.send_attempts,
    reminderAttempts: r.reminder_attempts,
    workflowCallbackId: r.workflow_callback_id,
    portalActive: r.portal_active,
  };
}

const ROW = `i.id, i.portal_id, i.contact_id, i.channel, i.language, i.question, i.rule_id, i.expires_at, i.sent_at, i.send_attempts, i.reminder_attempts, i.workflow_callback_id,
  EXISTS (SELECT 1 FROM portals p WHERE p.portal_id = i.portal_id AND p.status = 'active') AS portal_active`;

/** Claims up to `limit` due scheduled invitations (unclaimed, or claimed by a sender that died). */
export async function claimDueInvitations(db: Queryable, now: Date, limit: number): Promise<Delivery[]> {
  const r = await db.query<DeliveryRow>(
    `UPDATE invitations i SET send_claimed_at = $1, send_attempts = i.send_attempts + 1, updated_at = now()
     FROM (SELECT id FROM invitations
           WHERE status = 'scheduled' AND scheduled_for <= $1 AND (send_claimed_at IS NULL OR send_claimed_at <= $2)
           ORDER BY scheduled_for LIMIT $3 FOR UPDATE SKIP LOCKED) due
     WHERE i.id = due.id
     RETURNING ${ROW}`,
    [now, new Date(now.getTime() - CLAIM_TIMEOUT_MS), limit],
  );
  return r.rows.map(toDelivery);
}

/** Claims up to `limit` invitations of one portal that were sent `remindAfter` ago, unanswered and still open. */
export async function claimDueReminders(
  db: Queryable,
  portalId: number,
  now: Date,
  sentBefore: Date,
  limit: number,
): Promise<Delivery[]> {
  const r = await db.query<DeliveryRow>(
    `UPDATE invitations i SET reminder_claimed_at = $2, reminder_attempts = i.reminder_attempts + 1, updated_at = now()
     FROM (SELECT id FROM invitations
           WHERE portal_id = $1 AND status = 'sent' AND channel IN ('email', 'sms') AND reminded_at IS NULL AND reminder_skip_reason IS NULL
             AND sent_at <= $3 AND expires_at > $2 AND (reminder_claimed_at IS NULL OR reminder_claimed_at <= $4)
           ORDER BY sent_at LIMIT $5 FOR UPDATE SKIP LOCKED) due
     WHERE i.id = due.id
     RETURNING ${ROW}`,
    [portalId, now, sentBefore, new Date(now.getTime() - CLAIM_TIMEOUT_MS), limit],
  );
  return r.rows.map(toDelivery);
}

/**
 * Re-confirms a claim right before its mail goes out and restarts its timeout. False when the claim timed out
 * meanwhile and another sender took the invitation over (its claim bumped the attempt count): then we must not send.
 */
export async function confirmClaim(
  db: Queryable,
  kind: 'invitation' | 'reminder',
  row: Delivery,
  now: Date,
): Promise<boolean> {
  const r =
    kind === 'invitation'
      ? await db.query(
          `UPDATE invitations SET send_claimed_at = $3 WHERE id = $1 AND status = 'scheduled' AND send_attempts = $2`,
          [row.id, row.sendAttempts, now],
        )
      : await db.query(
          `UPDATE invitations SET reminder_claimed_at = $3 WHERE id = $1 AND status = 'sent' AND reminder_attempts = $2`,
          [row.id, row.reminderAttempts, now],
        );
  return r.rowCount > 0;
}

/** The contact as the sender needs it, including an unsubscribe given through a survey link. */
export async function loadRecipient(db: Queryable, portalId: number, contactId: string): Promise<Recipient | null> {
  const r = await db.query<{
    email: string | null;
    firstname: string | null;
    language: string | null;
    opted_out: boolean;
    email_bounced: boolean;
    deleted: boolean;
  }>(
    `SELECT c.email, c.firstname, c.language, (c.email_bounced OR coalesce(c.email_rejected = c.email, false)) AS email_bounced, (c.deleted_at IS NOT NULL OR c.erased_at IS NOT NULL) AS deleted,
            (c.opted_out OR EXISTS (SELECT 1 FROM survey_opt_outs o WHERE o.portal_id = c.portal_id AND o.contact_id = c.contact_id)) AS opted_out
     FROM contacts c WHERE c.portal_id = $1 AND c.contact_id = $2`,
    [portalId, contactId],
  );
  const c = r.rows[0];
  return c
    ? {
        email: c.email,
        firstname: c.firstname,
        language: c.language,
        optedOut: c.opted_out,
        bounced: c.email_bounced,
        deleted: c.deleted,
      }
    : null;
}

/** Fixes the link expiry once, before the first send attempt, so a resend after a crash carries the same link. */
export async function fixExpiry(db: Queryable, id: string, expiresAt: Date): Promise<Date> {
  const r = await db.query<{ expires_at: Date | string }>(
    'UPDATE invitations SET expires_at = COALESCE(expires_at, $2) WHERE id = $1 RETURNING expires_at',
    [id, expiresAt],
  );
  return new Date(r.rows[0]!.expires_at);
}

/** scheduled → sent, and the contact's HubSpot properties (last survey sent, link, status) are queued for write-back. */
export async function markSent(
  db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  row: Delivery,
  now: Date,
  /** More work that must happen exactly when the invitation becomes sent (queueing its text), same transaction. */
  andThen?: (tx: Queryable) => Promise<void>,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const r = await tx.query(
      `UPDATE invitations SET status = 'sent', sent_at = $2, send_claimed_at = NULL, last_send_error = NULL, updated_at = now()
       WHERE id = $1 AND status = 'scheduled'`,
      [row.id, now],
    );
    if (r.rowCount > 0) await contactPropertiesOutbox.mark(tx, row.portalId, row.contactId);
    if (r.rowCount > 0) await andThen?.(tx);
    return r.rowCount > 0;
  });
}

/** scheduled → skipped with a reason; a waiting workflow learns of it through its callback. */
export async function markSkipped(
  db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  row: Delivery,
  reason: string,
  error?: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    const r = await tx.query(
      `UPDATE invitations SET status = 'skipped', skip_reason = $2, send_claimed_at = NULL, last_send_error = $3, updated_at = now()
       WHERE id = $1 AND status = 'scheduled'`,
      [row.id, reason, error ?? null],
    );
    if (r.rowCount === 0) return;
    await contactPropertiesOutbox.mark(tx, row.portalId, row.contactId);
    if (row.workflowCallbackId) await workflowCallbackOutbox.mark(tx, row.portalId, row.id);
  });
}

/** Keeps the claim (so the row is retried once the claim times out) and records why the send failed. */
export async function recordSendFailure(db: Queryable, id: string, error: string): Promise<void> {
  await db.query('UPDATE invitations SET last_send_error = $2, updated_at = now() WHERE id = $1', [
    id,
    error.slice(0, 500),
  ]);
}

/** sent → reminded. */
export async function markReminded(db: Queryable, id: string, now: Date): Promise<boolean> {
  const r = await db.query(
    `UPDATE invitations SET status = 'reminded', reminded_at = $2, reminder_claimed_at = NULL, updated_at = now() WHERE id = $1 AND status = 'sent'`,
    [id, now],
  );
  return r.rowCount > 0;
}

/** sent → reminded, and `andThen` (queueing the reminder text) in the same transaction when this call moved it. */
export async function markRemindedWith(
  db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  id: string,
  now: Date,
  andThen: (tx: Queryable) => Promise<void>,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const moved = await markReminded(tx, id, now);
    if (moved) await andThen(tx);
    return moved;
  });
}

/** Our SMTP server refused this address for good: no survey goes to it again unless the contact's email changes. */
export async function markEmailRejected(
  db: Queryable,
  portalId: number,
  contactId: string,
  email: string,
): Promise<void> {
  await db.query('UPDATE contacts SET email_rejected = $3 WHERE portal_id = $1 AND contact_id = $2', [
    portalId,
    contactId,
    email,
  ]);
}

/** No reminder for this invitation, ever (the contact opted out, bounced, was deleted meanwhile). */
export async function markReminderSkipped(db: Queryable, id: string, reason: string): Promise<void> {
  await db.query(
    'UPDATE invitations SET reminder_skip_reason = $2, reminder_claimed_at = NULL, updated_at = now() WHERE id = $1',
    [id, reason],
  );
}

/**
 * sent | reminded → expired for up to `limit` invitations past their expiry, with the write-back of the contact's
 * survey status and the completion of a waiting workflow queued in the same transaction. Returns how many expired.
 */
export async function expireDue(
  db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  now: Date,
  limit: number,
): Promise<number> {
  return db.transaction(async (tx) => {
    const r = await tx.query<{
      id: string;
      portal_id: string;
      contact_id: string;
      workflow_callback_id: string | null;
    }>(
      `UPDATE invitations i SET status = 'expired', updated_at = now()
       FROM (SELECT id FROM invitations WHERE status IN ('sent', 'reminded') AND expires_at <= $1
             ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED) due
       WHERE i.id = due.id
       RETURNING i.id, i.portal_id, i.contact_id, i.workflow_callback_id`,
      [now, limit],
    );
    for (const row of r.rows) {
      await contactPropertiesOutbox.mark(tx, Number(row.portal_id), row.contact_id);
      if (row.workflow_callback_id) await workflowCallbackOutbox.mark(tx, Number(row.portal_id), row.id);
    }
    return r.rows.length;
  });
}
