import { describe, expect, it } from 'vitest';
import { runFullSync } from '../../src/contacts';
import { opsFeature } from '../../src/ops';
import { responsesFeature } from '../../src/responses';
import { reviewsFeature } from '../../src/reviews';
import { exclusionsFeature } from '../../src/exclusions';
import { recordResponse } from '../../src/responses/record';
import { saveSettings } from '../../src/core/settings-service';
import { createSurveyToken } from '../../src/core/survey-links';
import { TEST_PORTAL_ID } from '../helpers/env';
import { useSandboxPortal } from '../helpers/sandbox-portal';
import { waitFor } from '../helpers/wait';
import { anInvitation } from '../factories';

// The real app against the local HubSpot sandbox: setup creates nps_review_link_clicked_at, a promoter's review
// click lands on the contact, and excluding the contact's latest answer brings their previous score back in HubSpot.

const PORTAL = TEST_PORTAL_ID;
const ADMIN = { authorization: 'Bearer test-admin-token-0123456789', 'content-type': 'application/json' };
const app = useSandboxPortal({
  seed: { seed: 7, contacts: 5, companies: 1, deals: 0, tickets: 0 },
  features: [opsFeature, responsesFeature, reviewsFeature, exclusionsFeature],
});
const { hubspot } = app;
const contactProps = (id: number | string) =>
  app.contactProps(id, 'nps_score,nps_category,nps_response_count,nps_review_link_clicked_at');

describe('review clicks and exclusions in the sandbox', () => {
  it('writes the review click time to the contact, and the previous score back when the latest answer is excluded', async () => {
    await app.setUp();
    expect((await hubspot<{ type: string }>('/crm/v3/properties/contacts/nps_review_link_clicked_at')).type).toBe(
      'datetime',
    );
    await saveSettings(app.s.deps.db, PORTAL, {
      thankYou: { reviewSites: [{ name: 'G2', url: 'https://www.g2.com/products/acme/reviews' }] },
    });
    await runFullSync(app.s.deps, PORTAL);
    const contact = (
      await app.s.deps.db.query<{ contact_id: string }>(
        'SELECT contact_id FROM contacts WHERE portal_id = $1 AND deleted_at IS NULL ORDER BY contact_id LIMIT 1',
        [PORTAL],
      )
    ).rows[0]!;
    const contactId = Number(contact.contact_id);
    const expiresAt = new Date(Date.now() + 30 * 24 * 3600 * 1000);
    await recordResponse(app.s.deps, {
      portalId: PORTAL,
      contactId,
      score: 7,
      channel: 'manual',
      trigger: 'manual',
      answeredAt: new Date(Date.now() - 3 * 24 * 3600 * 1000),
    });
    const invitation = await anInvitation(app.s.deps.db, {
      portalId: PORTAL,
      contactId,
      milestoneKey: 'sandbox:review',
      status: 'sent',
      sentAt: new Date(),
      scheduledFor: new Date(),
      expiresAt,
    });
    const latest = await recordResponse(app.s.deps, {
      portalId: PORTAL,
      contactId,
      score: 10,
      channel: 'email',
      invitationId: invitation.id,
    });
    const token = createSurveyToken(app.s.config.surveySigningKey, {
      portalId: PORTAL,
      invitationId: invitation.id,
      expiresAt,
    });

    const click = await fetch(`${app.s.url}/r/${token}/0`, { redirect: 'manual' });
    expect(click.status).toBe(302);
    expect(click.headers.get('location')).toBe('https://www.g2.com/products/acme/reviews');
    const clicked = await waitFor(
      async () => {
        const p = await contactProps(contactId);
        return p.nps_review_link_clicked_at ? p : undefined;
      },
      { what: 'nps_review_link_clicked_at in the sandbox' },
    );
    expect(clicked).toMatchObject({ nps_score: '10', nps_category: 'promoter', nps_response_count: '2' });
    expect(Date.parse(clicked.nps_review_link_clicked_at!)).toBeGreaterThan(Date.now() - 60_000);

    const excluded = await fetch(`${app.s.url}/dashboard/answers/${latest.responseId}/exclude`, {
      method: 'POST',
      headers: ADMIN,
      body: JSON.stringify({ reason: 'logged twice by mistake' }),
    });
    expect(excluded.status).toBe(200);
    const fellBack = await waitFor(
      async () => {
        const p = await contactProps(contactId);
        return p.nps_score === '7' ? p : undefined;
      },
      { what: 'the previous score in the sandbox' },
    );
    expect(fellBack).toMatchObject({ nps_category: 'passive', nps_response_count: '1' });
  });
});
