import type { Queryable } from '../storage';
import { defaultSettings, settingsSchema, type Settings } from '../core';

// What a thank-you email is written from: the answered invitation, its contact and the portal's settings.

export interface ThankYouEmailSource {
  invitationId: string;
  language: string | null;
  contactLanguage: string | null;
  email: string | null;
  firstname: string | null;
  /** Opted out of surveys or bounced: no more mail. */
  unreachable: boolean;
  score: number;
  expiresAt: Date | null;
  settings: Settings;
}

export async function loadThankYouEmailSources(
  db: Queryable,
  portalId: number,
  invitationIds: string[],
): Promise<Map<string, ThankYouEmailSource>> {
  const r = await db.query<{
    id: string;
    language: string | null;
    contact_language: string | null;
    email: string | null;
    firstname: string | null;
    unreachable: boolean | null;
    score: number;
    expires_at: Date | string | null;
    settings: unknown;
  }>(
    `SELECT i.id, i.language, c.language AS contact_language, c.email, c.firstname,
            (c.opted_out OR c.email_bounced OR c.deleted_at IS NOT NULL) AS unreachable, r.score, i.expires_at, p.settings
       FROM invitations i
       JOIN portals p ON p.portal_id = i.portal_id
       JOIN responses r ON r.invitation_id = i.id
       LEFT JOIN contacts c ON c.portal_id = i.portal_id AND c.contact_id = i.contact_id
      WHERE i.portal_id = $1 AND i.id::text = ANY($2::text[])`,
    [portalId, invitationIds],
  );
  const out = new Map<string, ThankYouEmailSource>();
  for (const row of r.rows) {
    const parsed = settingsSchema.safeParse(row.settings);
    out.set(row.id, {
      invitationId: row.id,
      language: row.language,
      contactLanguage: row.contact_language,
      email: row.email,
      firstname: row.firstname,
      unreachable: Boolean(row.unreachable),
      score: Number(row.score),
      expiresAt: row.expires_at ? new Date(row.expires_at) : null,
      settings: parsed.success ? parsed.data : defaultSettings(),
    });
  }
  return out;
}

/**
 * Marks the thank-you email of an invitation for the outbox, only when the portal has the email on: one
 * statement on the survey page's hot path, and no outbox work at all for portals that leave it off (the default).
 * The same upsert as the outbox's own mark (src/outbox/outbox.repo.ts).
 */
export async function markThankYouEmailIfOn(
  db: Queryable,
  kind: string,
  portalId: number,
  invitationId: string,
): Promise<void> {
  await db.query(
    `INSERT INTO outbox (portal_id, kind, item_key, due_at)
     SELECT p.portal_id, $2, $3, now() FROM portals p
      WHERE p.portal_id = $1 AND coalesce(p.settings -> 'thankYou' ->> 'email', 'false') = 'true'
     ON CONFLICT (portal_id, kind, item_key) DO UPDATE SET version = outbox.version + 1, due_at = LEAST(outbox.due_at, EXCLUDED.due_at)`,
    [portalId, kind, invitationId],
  );
}
