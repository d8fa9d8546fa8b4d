import type { Queryable } from '../../src/storage/db';
import { insertRow } from './sql';

// The widget saw this contact signed in to the customer's web app at `at` (a "web session", which a rule whose
// channel list includes `web` needs). The product writes these in batches from widget requests (src/web-survey).

export async function aWebSession(
  db: Queryable,
  portalId: number,
  contactId: string | number,
  at: Date = new Date(),
): Promise<void> {
  await insertRow(db, 'web_survey_contacts', { portal_id: portalId, contact_id: contactId, last_seen_at: at });
}
