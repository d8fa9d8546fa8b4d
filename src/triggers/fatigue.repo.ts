import type { Queryable } from '../storage';
import { normalisePhone } from '../shared';
import type { FatigueContact } from './fatigue';

// What the fatigue rules (fatigue.ts) need to know about one contact, read from the mirror and its invitations.

/**
 * Reads what evaluateFatigue needs about one contact. The last survey is the latest invitation that was sent
 * (whatever happened after: reminded, answered, expired) or is still scheduled (at its scheduled time), on any
 * channel. Skipped invitations never count. `excludeInvitationId` lets the sender evaluate an invitation without
 * it counting against itself. `defaultCountry` reads phone numbers written without a country code.
 */
export async function loadFatigueInput(
  db: Queryable,
  portalId: number,
  contactId: number | string,
  opts: { excludeInvitationId?: string; defaultCountry?: string } = {},
): Promise<{ contact: FatigueContact | null; lastSurveyAt: Date | null }> {
  const c = await db.query<{
    email: string | null;
    email_opted_out: boolean;
    survey_opted_out: boolean;
    email_bounced: boolean;
    deleted: boolean;
    mobilephone: string | null;
    phone: string | null;
    country: string | null;
  }>(
    // An unsubscribe given on our survey page counts even if HubSpot's opt-out flag says otherwise (a sync may
    // have mirrored hs_email_optout = false after it).
    `SELECT email, (email_bounced OR coalesce(email_rejected = email, false)) AS email_bounced, (deleted_at IS NOT NULL OR erased_at IS NOT NULL) AS deleted,
            opted_out AS email_opted_out, mobilephone, phone, country,
            EXISTS (SELECT 1 FROM survey_opt_outs o WHERE o.portal_id = c.portal_id AND o.contact_id = c.contact_id) AS survey_opted_out
       FROM contacts c WHERE portal_id = $1 AND contact_id = $2`,
    [portalId, String(contactId)],
  );
  const last = await db.query<{ at: Date | string | null }>(
    `SELECT max(COALESCE(sent_at, CASE WHEN status = 'scheduled' THEN scheduled_for END)) AS at
       FROM invitations WHERE portal_id = $1 AND contact_id = $2 AND status <> 'skipped' AND ($3::uuid IS NULL OR id <> $3::uuid)`,
    [portalId, String(contactId), opts.excludeInvitationId ?? null],
  );
  const row = c.rows[0];
  const at = last.rows[0]?.at;
  if (!row) return { contact: null, lastSurveyAt: at ? new Date(at) : null };
  const phone = normalisePhone([row.mobilephone, row.phone], {
    contactCountry: row.country,
    defaultCountry: opts.defaultCountry,
  });
  return {
    contact: {
      email: row.email,
      optedOut: row.email_opted_out || row.survey_opted_out,
      surveyOptedOut: row.survey_opted_out,
      bounced: row.email_bounced,
      deleted: row.deleted,
      phone,
      smsOptedOut: phone.ok ? await isSmsOptedOut(db, phone.e164) : false,
    },
    lastSurveyAt: at ? new Date(at) : null,
  };
}

/** The number replied STOP to our sender (and not START since). */
export async function isSmsOptedOut(db: Queryable, e164: string): Promise<boolean> {
  const r = await db.query('SELECT 1 FROM sms_opt_outs WHERE phone = $1', [e164]);
  return r.rows.length > 0;
}
