import type { Db } from '../storage';
import { contactPropertiesOutbox } from '../responses';
import { workflowCallbackOutbox } from '../workflow-action';
import { defaultSettings, settingsSchema, type Settings } from '../core';

// What the survey page reads (one query per request: the page is the hot path) and what unsubscribing writes.

export interface SurveyView {
  id: string;
  portalId: number;
  contactId: number;
  status: 'scheduled' | 'sent' | 'reminded' | 'answered' | 'expired' | 'skipped';
  channel: 'email' | 'hubspot' | 'sms' | 'web';
  language: string | null;
  contactLanguage: string | null;
  question: string | null;
  followUpQuestion: string | null;
  ruleId: string | null;
  expiresAt: Date | null;
  settings: Settings;
  current: { score: number; comment: string | null; followUp: string | null } | null;
}

export async function loadSurveyView(db: Db, portalId: number, invitationId: string): Promise<SurveyView | null> {
  const r = await db.query<{
    id: string;
    contact_id: string;
    status: SurveyView['status'];
    channel: SurveyView['channel'];
    language: string | null;
    contact_language: string | null;
    question: string | null;
    follow_up_question: string | null;
    rule_id: string | null;
    expires_at: Date | string | null;
    settings: unknown;
    score: number | null;
    comment: string | null;
    follow_up_answer: string | null;
  }>(
    `SELECT i.id, i.contact_id, i.status, i.channel, i.language, i.question, i.follow_up_question, i.rule_id, i.expires_at,
            c.language AS contact_language, p.settings, r.score, r.comment, r.follow_up_answer
     FROM invitations i
     JOIN portals p ON p.portal_id = i.portal_id
     LEFT JOIN contacts c ON c.portal_id = i.portal_id AND c.contact_id = i.contact_id
     LEFT JOIN responses r ON r.invitation_id = i.id
     WHERE i.portal_id = $1 AND i.id = $2`,
    [portalId, invitationId],
    { prepareAs: 'survey-view' },
  );
  const row = r.rows[0];
  if (!row) return null;
  const parsed = settingsSchema.safeParse(row.settings);
  return {
    id: row.id,
    portalId,
    contactId: Number(row.contact_id),
    status: row.status,
    channel: row.channel,
    language: row.language,
    contactLanguage: row.contact_language,
    question: row.question,
    followUpQuestion: row.follow_up_question,
    ruleId: row.rule_id,
    expiresAt: row.expires_at ? new Date(row.expires_at) : null,
    settings: parsed.success ? parsed.data : defaultSettings(),
    current:
      row.score === null ? null : { score: Number(row.score), comment: row.comment, followUp: row.follow_up_answer },
  };
}

/**
 * Records "no more surveys" for the contact: a durable opt-out of our own, the mirrored flag, and every survey
 * still waiting to go out skipped with reason 'opted_out'. Idempotent (a mail client's one-click POST may repeat).
 */
export async function optOutContact(
  db: Db,
  portalId: number,
  contactId: number,
  invitationId: string,
  now: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO survey_opt_outs (portal_id, contact_id, invitation_id, opted_out_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [portalId, contactId, invitationId, now],
    );
    await tx.query('UPDATE contacts SET opted_out = true WHERE portal_id = $1 AND contact_id = $2', [
      portalId,
      contactId,
    ]);
    const skipped = await tx.query<{ id: string; workflow_callback_id: string | null }>(
      `UPDATE invitations SET status = 'skipped', skip_reason = 'opted_out', send_claimed_at = NULL, updated_at = now()
       WHERE portal_id = $1 AND contact_id = $2 AND status = 'scheduled'
       RETURNING id, workflow_callback_id`,
      [portalId, contactId],
    );
    for (const row of skipped.rows)
      if (row.workflow_callback_id) await workflowCallbackOutbox.mark(tx, portalId, row.id);
    await contactPropertiesOutbox.mark(tx, portalId, String(contactId));
  });
}
