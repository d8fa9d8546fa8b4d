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
