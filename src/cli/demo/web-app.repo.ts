import type { Queryable } from '../../storage';

// The demo's sample web app signs in as a contact the widget would ask now: one with an open web survey first,
// else one whose quiet period has passed (not opted out, not snoozed).

export async function demoWebAppContact(
  db: Queryable,
  portalId: number,
  quietPeriodDays: number,
  contactId?: string,
): Promise<{ contactId: string; email: string } | null> {
  const r = await db.query<{ contact_id: string; email: string }>(
    `SELECT c.contact_id::text, c.email FROM contacts c
      WHERE c.portal_id = $1 AND c.email IS NOT NULL AND c.deleted_at IS NULL AND c.erased_at IS NULL AND NOT c.opted_out
        AND ($3::bigint IS NULL OR c.contact_id = $3::bigint)
        AND NOT EXISTS (SELECT 1 FROM survey_opt_outs o WHERE o.portal_id = c.portal_id AND o.contact_id = c.contact_id)
        AND NOT EXISTS (SELECT 1 FROM web_survey_contacts w WHERE w.portal_id = c.portal_id AND w.contact_id = c.contact_id AND w.snoozed_until > now())
        AND ($3::bigint IS NOT NULL OR NOT EXISTS (
              SELECT 1 FROM invitations i WHERE i.portal_id = c.portal_id AND i.contact_id = c.contact_id AND i.status <> 'skipped'
                 AND NOT (i.channel = 'web' AND i.status IN ('sent', 'reminded'))
                 AND coalesce(i.sent_at, i.scheduled_for) > now() - make_interval(days => $2)))
      ORDER BY EXISTS (SELECT 1 FROM invitations i WHERE i.portal_id = c.portal_id AND i.contact_id = c.contact_id
                        AND i.channel = 'web' AND i.status IN ('sent', 'reminded')) DESC, c.contact_id
      LIMIT 1`,
    [portalId, quietPeriodDays, contactId ?? null],
  );
  const row = r.rows[0];
  return row ? { contactId: row.contact_id, email: row.email } : null;
}
