import type { Queryable } from '../storage';

// SQL of the SMS channel: the texts handed to Twilio (sms_messages), their delivery status, STOP opt-outs, and
// what an inbound reply or a short link leads to.

/** What sending one text needs about its invitation and contact. */
export interface SmsJob {
  portalId: number;
  contactId: string;
  status: string;
  channel: string;
  language: string | null;
  contactLanguage: string | null;
  ruleId: string | null;
  trigger: string;
  expiresAt: Date | null;
  mobilephone: string | null;
  phone: string | null;
  country: string | null;
  deleted: boolean;
  surveyOptedOut: boolean;
}

export async function loadSmsJob(db: Queryable, invitationId: string): Promise<SmsJob | null> {
  const r = await db.query<{
    portal_id: string;
    contact_id: string;
    status: string;
    channel: string;
    language: string | null;
    contact_language: string | null;
    rule_id: string | null;
    trigger: string;
    expires_at: Date | string | null;
    mobilephone: string | null;
    phone: string | null;
    country: string | null;
    deleted: boolean | null;
    survey_opted_out: boolean;
  }>(
    `SELECT i.portal_id, i.contact_id, i.status, i.channel, i.language, c.language AS contact_language, i.rule_id, i.trigger,
            i.expires_at, c.mobilephone, c.phone, c.country, (c.deleted_at IS NOT NULL OR c.erased_at IS NOT NULL) AS deleted,
            EXISTS (SELECT 1 FROM survey_opt_outs o WHERE o.portal_id = i.portal_id AND o.contact_id = i.contact_id) AS survey_opted_out
       FROM invitations i LEFT JOIN contacts c ON c.portal_id = i.portal_id AND c.contact_id = i.contact_id
      WHERE i.id = $1`,
    [invitationId],
  );
  const row = r.rows[0];
  if (!row) return null;
  return {
    portalId: Number(row.portal_id),
    contactId: String(row.contact_id),
    status: row.status,
    channel: row.channel,
    language: row.language,
    contactLanguage: row.contact_language,
    ruleId: row.rule_id,
    trigger: row.trigger,
    expiresAt: row.expires_at ? new Date(row.expires_at) : null,
    mobilephone: row.mobilephone,
    phone: row.phone,
    country: row.country,
    deleted: row.deleted ?? true,
    surveyOptedOut: row.survey_opted_out,
  };
}

/** The Message SID of a text already handed to Twilio under this key, if any. */
export async function sentMessageSid(db: Queryable, sendKey: string): Promise<string | null> {
  const r = await db.query<{ message_sid: string | null }>('SELECT message_sid FROM sms_messages WHERE send_key = $1', [
    sendKey,
  ]);
  return r.rows[0]?.message_sid ?? null;
}

export interface RecordedSms {
  sendKey: string;
  portalId: number;
  invitationId: string;
  kind: 'invitation' | 'reminder';
  toPhone: string;
  shortCode: string;
  messageSid: string;
  status: string;
  sentAt: Date;
}

/** Records a text Twilio accepted (and the invitation's delivery status, for the invitation's own text). */
export async function recordSentSms(db: Queryable, m: RecordedSms): Promise<void> {
  await db.query(
    `INSERT INTO sms_messages (send_key, portal_id, invitation_id, kind, to_phone, short_code, message_sid, status, status_rank, sent_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (send_key) DO NOTHING`,
    [
      m.sendKey,
      m.portalId,
      m.invitationId,
      m.kind,
      m.toPhone,
      m.shortCode,
      m.messageSid,
      m.status,
      statusRank(m.status),
      m.sentAt,
    ],
  );
  if (m.kind === 'invitation')
    await db.query(`UPDATE invitations SET delivery_status = $2, updated_at = now() WHERE id = $1`, [
      m.invitationId,
      m.status,
    ]);
}

/** An SMS invitation that could not be texted after all (opted out meanwhile, Twilio refused the number). */
export async function recordNotTexted(
  db: Queryable,
  invitationId: string,
  reason: string,
  error?: string,
): Promise<void> {
  await db.query(
    `UPDATE invitations SET delivery_status = $2, last_send_error = coalesce($3, last_send_error), updated_at = now() WHERE id = $1`,
    [invitationId, reason, error?.slice(0, 500) ?? null],
  );
}

const RANKS: Record<string, number> = {
  accepted: 0,
  scheduled: 0,
  queued: 0,
  sending: 1,
  sent: 2,
  delivered: 3,
  undelivered: 3,
  failed: 3,
  canceled: 3,
  read: 4,
};

function statusRank(status: string): number {
  return RANKS[status] ?? 0;
}

/**
 * Applies a delivery callback. Only moves forward (a late "sent" after "delivered" changes nothing, a repeated
 * "delivered" neither). 'unknown' when no text of ours has this SID.
 */
export async function applyDeliveryStatus(
  db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  messageSid: string,
  status: string,
  errorCode: string | null,
): Promise<'unknown' | 'changed' | 'unchanged'> {
  return db.transaction(async (tx) => {
    const known = await tx.query<{ invitation_id: string; kind: string }>(
      'SELECT invitation_id, kind FROM sms_messages WHERE message_sid = $1 FOR UPDATE',
      [messageSid],
    );
    const row = known.rows[0];
    if (!row) return 'unknown';
    const r = await tx.query(
      `UPDATE sms_messages SET status = $2, status_rank = $3, error_code = $4, updated_at = now()
        WHERE message_sid = $1 AND status_rank < $3`,
      [messageSid, status, statusRank(status), errorCode],
    );
    if (r.rowCount === 0) return 'unchanged';
    if (row.kind === 'invitation')
      await tx.query(`UPDATE invitations SET delivery_status = $2, updated_at = now() WHERE id = $1`, [
        row.invitation_id,
        status,
      ]);
    return 'changed';
  });
}

/** The number replied STOP: no more survey texts to it. */
export async function optOutPhone(db: Queryable, phone: string, at: Date): Promise<void> {
  await db.query('INSERT INTO sms_opt_outs (phone, opted_out_at) VALUES ($1, $2) ON CONFLICT (phone) DO NOTHING', [
    phone,
    at,
  ]);
}

/** The number replied START: texts may go to it again. */
export async function optInPhone(db: Queryable, phone: string): Promise<void> {
  await db.query('DELETE FROM sms_opt_outs WHERE phone = $1', [phone]);
}

/** Whether this number has received a text of ours (an inbound message from a stranger is ignored). */
export async function knownPhone(db: Queryable, phone: string): Promise<boolean> {
  const r = await db.query('SELECT 1 FROM sms_messages WHERE to_phone = $1 LIMIT 1', [phone]);
  return r.rows.length > 0;
}

export interface OpenTextedSurvey {
  portalId: number;
  invitationId: string;
  ruleId: string | null;
  trigger: string;
  language: string | null;
}

/** The newest still-open survey texted to this number, if any. */
export async function openSurveyTextedTo(db: Queryable, phone: string, now: Date): Promise<OpenTextedSurvey | null> {
  const r = await db.query<{
    portal_id: string;
    invitation_id: string;
    rule_id: string | null;
    trigger: string;
    language: string | null;
  }>(
    `SELECT m.portal_id, m.invitation_id, i.rule_id, i.trigger, coalesce(i.language, c.language) AS language
       FROM sms_messages m JOIN invitations i ON i.id = m.invitation_id
       LEFT JOIN contacts c ON c.portal_id = i.portal_id AND c.contact_id = i.contact_id
      WHERE m.to_phone = $1 AND i.status IN ('sent', 'reminded') AND (i.expires_at IS NULL OR i.expires_at > $2)
      ORDER BY m.sent_at DESC LIMIT 1`,
    [phone, now],
  );
  const row = r.rows[0];
  return row
    ? {
        portalId: Number(row.portal_id),
        invitationId: row.invitation_id,
        ruleId: row.rule_id,
        trigger: row.trigger,
        language: row.language,
      }
    : null;
}

/** The invitation behind a short link code. */
export async function invitationForShortCode(
  db: Queryable,
  code: string,
): Promise<{ portalId: number; invitationId: string; expiresAt: Date | null } | null> {
  const r = await db.query<{ portal_id: string; invitation_id: string; expires_at: Date | string | null }>(
    `SELECT m.portal_id, m.invitation_id, i.expires_at FROM sms_messages m JOIN invitations i ON i.id = m.invitation_id
      WHERE m.short_code = $1 LIMIT 1`,
    [code],
  );
  const row = r.rows[0];
  return row
    ? {
        portalId: Number(row.portal_id),
        invitationId: row.invitation_id,
        expiresAt: row.expires_at ? new Date(row.expires_at) : null,
      }
    : null;
}
