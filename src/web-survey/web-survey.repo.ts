import type { Queryable } from '../storage';
import { VISIT_RULE_ID, type DueContact } from './due.rules';
import type { WidgetIdentity } from './identity';

// Every query of the web survey: the portal's identity secret (encrypted), the contact a widget identity names
// with what the due rules need, opening a web invitation when the widget shows it, and dismissals.

export async function getSecretRow(
  db: Queryable,
  portalId: number,
): Promise<{ secretEnc: string; createdAt: Date } | null> {
  const r = await db.query<{ secret_enc: string; created_at: Date | string }>(
    'SELECT secret_enc, created_at FROM web_survey_secrets WHERE portal_id = $1',
    [portalId],
  );
  const row = r.rows[0];
  return row ? { secretEnc: row.secret_enc, createdAt: new Date(row.created_at) } : null;
}

export interface PortalWidgetRow {
  /** md5 of the stored settings JSON: the parsed settings are cached under it. */
  version: string;
  /** The stored settings, or null when they still match `knownVersion`. */
  settings: unknown;
  secretEnc: string | null;
}

/** The portal's settings (only when changed since `knownVersion`) and sealed secret, in one round trip. */
export async function readPortalWidgetRow(
  db: Queryable,
  portalId: number,
  knownVersion: string | null,
): Promise<PortalWidgetRow | null> {
  const r = await db.query<{ version: string; settings: unknown; secret_enc: string | null }>(
    `SELECT md5(p.settings::text) AS version, CASE WHEN md5(p.settings::text) = $2 THEN NULL ELSE p.settings END AS settings,
            s.secret_enc
       FROM portals p LEFT JOIN web_survey_secrets s ON s.portal_id = p.portal_id
      WHERE p.portal_id = $1`,
    [portalId, knownVersion],
    { prepareAs: 'web-survey-portal' },
  );
  const row = r.rows[0];
  return row ? { version: row.version, settings: row.settings, secretEnc: row.secret_enc } : null;
}

/** Stores a new secret, replacing any earlier one (identities signed with the old one stop working at once). */
export async function saveSecret(db: Queryable, portalId: number, secretEnc: string, now: Date): Promise<void> {
  await db.query(
    `INSERT INTO web_survey_secrets (portal_id, secret_enc, created_at) VALUES ($1, $2, $3)
     ON CONFLICT (portal_id) DO UPDATE SET secret_enc = EXCLUDED.secret_enc, created_at = EXCLUDED.created_at`,
    [portalId, secretEnc, now],
  );
}

export interface WidgetContact extends DueContact {
  language: string | null;
  /** When the widget last recorded this contact's visit. */
  lastSeenAt: Date | null;
  /** The open web invitation's wording and state, when there is one. */
  invitation: {
    status: string;
    ruleId: string | null;
    language: string | null;
    question: string | null;
    followUpQuestion: string | null;
  } | null;
}

/**
 * The contact an identity names in this portal (an email may belong to several mirrored contacts: a live one
 * first), its opt-out and snooze, its open web invitation (sent or reminded and not expired, or scheduled and
 * due) and its latest survey on any channel. One round trip: this is the widget's hot path.
 */
export async function loadWidgetContact(
  db: Queryable,
  portalId: number,
  who: WidgetIdentity,
  now: Date,
): Promise<WidgetContact | null> {
  const r = await db.query<{
    contact_id: string;
    language: string | null;
    deleted: boolean;
    opted_out: boolean;
    snoozed_until: Date | string | null;
    last_seen_at: Date | string | null;
    open_id: string | null;
    open_status: string | null;
    rule_id: string | null;
    inv_language: string | null;
    question: string | null;
    follow_up_question: string | null;
    last_at: Date | string | null;
  }>(
    `WITH c AS (
       SELECT contact_id, language, (deleted_at IS NOT NULL OR erased_at IS NOT NULL OR merged_into IS NOT NULL) AS deleted,
              opted_out OR EXISTS (SELECT 1 FROM survey_opt_outs o WHERE o.portal_id = c.portal_id AND o.contact_id = c.contact_id) AS opted_out
         FROM contacts c
        WHERE portal_id = $1 AND (contact_id = $2::bigint OR lower(email) = lower($3::text))
        ORDER BY (deleted_at IS NOT NULL OR erased_at IS NOT NULL OR merged_into IS NOT NULL), contact_id
        LIMIT 1
     )
     SELECT c.contact_id::text, c.language, c.deleted, c.opted_out, w.snoozed_until, w.last_seen_at,
            i.id AS open_id, i.status AS open_status, i.rule_id, i.language AS inv_language, i.question, i.follow_up_question,
            (SELECT max(COALESCE(sent_at, CASE WHEN status = 'scheduled' THEN scheduled_for END)) FROM invitations l
              WHERE l.portal_id = $1 AND l.contact_id = c.contact_id AND l.status <> 'skipped') AS last_at
       FROM c
       LEFT JOIN web_survey_contacts w ON w.portal_id = $1 AND w.contact_id = c.contact_id
       LEFT JOIN LATERAL (
         SELECT id, status, rule_id, language, question, follow_up_question FROM invitations v
          WHERE v.portal_id = $1 AND v.contact_id = c.contact_id AND v.channel = 'web'
            AND ((v.status IN ('sent', 'reminded') AND (v.expires_at IS NULL OR v.expires_at > $4))
                 OR (v.status = 'scheduled' AND v.scheduled_for <= $4))
          ORDER BY coalesce(v.sent_at, v.scheduled_for) DESC LIMIT 1
       ) i ON true`,
    [portalId, who.kind === 'contactId' ? who.contactId : null, who.kind === 'email' ? who.email : null, now],
    { prepareAs: 'web-survey-contact' },
  );
  const row = r.rows[0];
  if (!row) return null;
  return {
    contactId: row.contact_id,
    language: row.language,
    deleted: row.deleted,
    optedOut: row.opted_out,
    snoozedUntil: row.snoozed_until ? new Date(row.snoozed_until) : null,
    lastSeenAt: row.last_seen_at ? new Date(row.last_seen_at) : null,
    openInvitationId: row.open_id,
    lastSurveyAt: row.last_at ? new Date(row.last_at) : null,
    invitation: row.open_id
      ? {
          status: row.open_status ?? 'sent',
          ruleId: row.rule_id,
          language: row.inv_language,
          question: row.question,
          followUpQuestion: row.follow_up_question,
        }
      : null,
  };
}

/** A scheduled web invitation becomes sent when the widget shows it: the quiet period runs from now. */
export async function markShown(
  db: Queryable,
  portalId: number,
  invitationId: string,
  now: Date,
  expiresAt: Date,
): Promise<void> {
  await db.query(
    `UPDATE invitations SET status = 'sent', sent_at = $3, expires_at = coalesce(expires_at, $4), updated_at = now()
      WHERE portal_id = $1 AND id = $2::uuid AND channel = 'web' AND status = 'scheduled'`,
    [portalId, invitationId, now, expiresAt],
  );
}

/**
 * The "ask on visit" rule's invitation, sent now. One per contact and day (the milestone key), so two tabs
 * opening at once share it; null when that day's invitation already exists (it was answered or dismissed).
 */
export async function openVisitInvitation(
  db: Queryable,
  i: { portalId: number; contactId: string; language: string; now: Date; expiresAt: Date },
): Promise<string | null> {
  const day = i.now.toISOString().slice(0, 10);
  const r = await db.query<{ id: string }>(
    `INSERT INTO invitations (portal_id, contact_id, trigger, rule_id, milestone_key, channel, language, status, scheduled_for, sent_at, expires_at)
     VALUES ($1, $2::bigint, 'relationship', $7, $3, 'web', $4, 'sent', $5, $5, $6)
     ON CONFLICT (portal_id, milestone_key) DO NOTHING RETURNING id`,
    [i.portalId, i.contactId, `web-visit:${i.contactId}:${day}`, i.language, i.now, i.expiresAt, VISIT_RULE_ID],
  );
  return r.rows[0]?.id ?? null;
}

/** Remembers visits (portal, contact, when) in one statement; a newer visit replaces an older one. */
export async function saveWebVisits(
  db: Queryable,
  visits: Array<{ portalId: number; contactId: string; at: Date }>,
): Promise<void> {
  if (visits.length === 0) return;
  await db.query(
    `INSERT INTO web_survey_contacts AS w (portal_id, contact_id, last_seen_at)
     SELECT p, c, max(t) FROM unnest($1::bigint[], $2::bigint[], $3::timestamptz[]) AS v(p, c, t) GROUP BY p, c
     ORDER BY p, c
     ON CONFLICT (portal_id, contact_id) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at
      WHERE w.last_seen_at IS NULL OR w.last_seen_at < EXCLUDED.last_seen_at`,
    [visits.map((v) => v.portalId), visits.map((v) => v.contactId), visits.map((v) => v.at)],
  );
}

/** When the widget last saw the contact signed in; null when never. For channel choice (no_web_session). */
export async function lastWebSessionAt(db: Queryable, portalId: number, contactId: string): Promise<Date | null> {
  const r = await db.query<{ last_seen_at: Date | string | null }>(
    'SELECT last_seen_at FROM web_survey_contacts WHERE portal_id = $1 AND contact_id = $2::bigint',
    [portalId, contactId],
  );
  const at = r.rows[0]?.last_seen_at;
  return at ? new Date(at) : null;
}

/** Whether the invitation is this contact's open web survey (what an answer or a dismissal may name). */
export async function isOpenWebInvitation(
  db: Queryable,
  portalId: number,
  contactId: string,
  invitationId: string,
  now: Date,
): Promise<boolean> {
  const r = await db.query(
    `SELECT 1 FROM invitations WHERE portal_id = $1 AND contact_id = $2::bigint AND id = $3::uuid AND channel = 'web'
        AND status IN ('sent', 'reminded', 'answered') AND (expires_at IS NULL OR expires_at > $4)`,
    [portalId, contactId, invitationId, now],
  );
  return r.rows.length > 0;
}

/** The trigger and rule behind this contact's web invitation that a dismissal may still skip; null when none. */
export async function dismissableWebInvitation(
  db: Queryable,
  portalId: number,
  contactId: string,
  invitationId: string,
): Promise<{ trigger: string; ruleId: string | null } | null> {
  const r = await db.query<{ trigger: string; rule_id: string | null }>(
    `SELECT trigger, rule_id FROM invitations WHERE portal_id = $1 AND contact_id = $2::bigint AND id = $3::uuid
        AND channel = 'web' AND status IN ('scheduled', 'sent', 'reminded')`,
    [portalId, contactId, invitationId],
  );
  const row = r.rows[0];
  return row ? { trigger: row.trigger, ruleId: row.rule_id } : null;
}

/**
 * A dismissal, in one statement: the open web invitation is skipped with reason 'dismissed' (a skipped
 * invitation does not count towards the quiet period) and the widget is snoozed. False when nothing was open.
 */
export async function dismissInvitation(
  db: Queryable,
  d: { portalId: number; contactId: string; invitationId: string; snoozedUntil: Date },
): Promise<boolean> {
  const r = await db.query<{ id: string }>(
    `WITH skipped AS (
       UPDATE invitations SET status = 'skipped', skip_reason = 'dismissed', updated_at = now()
        WHERE portal_id = $1 AND contact_id = $2::bigint AND id = $3::uuid AND channel = 'web'
          AND status IN ('scheduled', 'sent', 'reminded')
       RETURNING id
     ), snoozed AS (
       INSERT INTO web_survey_contacts AS w (portal_id, contact_id, snoozed_until)
       SELECT $1, $2::bigint, $4 FROM skipped
       ON CONFLICT (portal_id, contact_id) DO UPDATE SET snoozed_until = GREATEST(coalesce(w.snoozed_until, EXCLUDED.snoozed_until), EXCLUDED.snoozed_until)
     )
     SELECT id FROM skipped`,
    [d.portalId, d.contactId, d.invitationId, d.snoozedUntil],
  );
  return r.rows.length > 0;
}
