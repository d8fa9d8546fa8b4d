import { describe, expect, it } from 'vitest';
import nock from 'nock';
import { TEST_PORTAL_ID } from '../helpers/env';
import { HUBSPOT, hubspotAlreadySetUp, useNockedServer } from '../helpers/nocked-server';
import { waitFor } from '../helpers/wait';
import { createSurveyToken } from '../../src/core/survey-links';
import { aContact, anInvitation } from '../factories';
import { Browser } from './dashboard-http';

// The thank-you page per category and language, the promoter's review ask through the tracked redirect (counted,
// written back to the contact as nps_review_link_clicked_at, shown on the dashboard), the referral question, and
// the settings rules for review sites — against the real app, HubSpot faked at its HTTP boundary.

const ADMIN_TOKEN = 'test-admin-token-0123456789';
const DAY = 24 * 60 * 60 * 1000;
const SITES = [
  { name: 'G2', url: 'https://www.g2.com/products/acme/reviews' },
  { name: 'Trustpilot', url: 'https://www.trustpilot.com/review/acme.example?utm=nps&x=1' },
];

describe('thank-you page and review asks', () => {
  const contactWrites: Array<{ id: string; properties: Record<string, string> }> = [];
  let nextContact = 1;
  const server = useNockedServer({
    before: () => {
      hubspotAlreadySetUp();
      nock(HUBSPOT)
        .persist()
        .post('/crm/v3/objects/contacts/batch/update')
        .reply((_uri, body: any) => {
          contactWrites.push(...body.inputs);
          return [200, { status: 'COMPLETE', results: body.inputs }];
        })
        .post(/\/crm\/v3\/objects\/(companies|tasks)\/batch\/.*/)
        .reply((_uri, body: any) => [200, { status: 'COMPLETE', results: body.inputs ?? [] }]);
    },
  });

  const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
  const putSettings = (settings: unknown) =>
    fetch(`${server().url}/api/settings`, { method: 'PUT', headers: admin, body: JSON.stringify(settings) });
  const page = (path: string, init: RequestInit = {}) =>
    fetch(`${server().url}${path}`, { redirect: 'manual', ...init });
  const form = (path: string, fields: Record<string, string>) =>
    page(path, {
      method: 'POST',
      body: new URLSearchParams(fields),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });

  /** A contact in `language` answers a sent survey with `score`; returns the token and the thank-you page. */
  async function answer(score: number, language: string) {
    const db = server().deps.db;
    const contactId = nextContact++;
    await aContact(db, TEST_PORTAL_ID, { contactId, email: `c${contactId}@example.com`, language, ownerId: '55' });
    const expiresAt = new Date(Date.now() + 30 * DAY);
    const { id } = await anInvitation(db, {
      portalId: TEST_PORTAL_ID,
      contactId,
      milestoneKey: `m:${contactId}`,
      status: 'sent',
      sentAt: new Date(),
      scheduledFor: new Date(),
      expiresAt,
    });
    const token = createSurveyToken(server().config.surveySigningKey, {
      portalId: TEST_PORTAL_ID,
      invitationId: id,
      expiresAt,
    });
    const posted = await form(`/s/${token}`, { score: String(score), comment: '' });
    expect(posted.status).toBe(303);
    const thanks = await page(posted.headers.get('location')!);
    expect(thanks.status).toBe(200);
    return { contactId, invitationId: id, token, html: await thanks.text() };
  }

  it('refuses review sites that are not https, or more than three, naming the field', async () => {
    const http = await putSettings({ thankYou: { reviewSites: [{ name: 'G2', url: 'http://www.g2.com/x' }] } });
    expect(http.status).toBe(400);
    expect(((await http.json()) as any).error.message).toContain('thankYou.reviewSites.0.url');
    const four = await putSettings({
      thankYou: { reviewSites: ['a', 'b', 'c', 'd'].map((n) => ({ name: n, url: `https://${n}.example/r` })) },
    });
    expect(four.status).toBe(400);
    expect(((await four.json()) as any).error.message).toMatch(/thankYou\.reviewSites: .*at most three/);
    const script = await putSettings({ thankYou: { reviewSites: [{ name: 'x', url: 'javascript:alert(1)' }] } });
    expect(script.status).toBe(400);
  });

  it('tells each category what happens next, in the respondent’s language; only promoters get the review ask', async () => {
    expect((await putSettings({ thankYou: { reviewSites: SITES } })).status).toBe(200);
    const detractor = await answer(2, 'de');
    expect(detractor.html).toContain('<html lang="de">');
    expect(detractor.html).toContain('meldet sich innerhalb eines Tages bei Ihnen');
    expect(detractor.html).not.toContain('/r/');
    const passive = await answer(8, 'sv');
    expect(passive.html).toContain('Tack för din ärlighet');
    expect(passive.html).not.toContain('/r/');
    const promoter = await answer(10, 'da');
    expect(promoter.html).toContain('Hvor er vi glade for at høre det!');
    expect(promoter.html).toContain('Vil du dele din oplevelse?');
    expect(promoter.html).toContain(`href="/r/${promoter.token}/0">Anmeld os på G2</a>`);
    expect(promoter.html).toContain(`href="/r/${promoter.token}/1">Anmeld os på Trustpilot</a>`);
    // The configured addresses never appear on the page: every link goes through the counted redirect.
    expect(promoter.html).not.toContain('g2.com');
    const english = await answer(9, 'en');
    expect(english.html).toContain('We are delighted to hear it!');
    expect(english.html).toContain('Review us on G2');
  });

  it('counts a review click durably, redirects only to the configured address and writes the click time back', async () => {
    expect((await putSettings({ thankYou: { reviewSites: SITES } })).status).toBe(200);
    const promoter = await answer(10, 'en');
    const before = Date.now();
    const res = await page(`/r/${promoter.token}/1`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(SITES[1]!.url);
    const clicks = await server().deps.db.query<{ site_name: string; owner_id: string; clicked_at: Date }>(
      'SELECT site_name, owner_id, clicked_at FROM review_clicks WHERE contact_id = $1',
      [promoter.contactId],
    );
    expect(clicks.rows.map((c) => [c.site_name, c.owner_id])).toEqual([['Trustpilot', '55']]);
    const written = await waitFor(
      () =>
        [...contactWrites]
          .reverse()
          .find((w) => w.id === String(promoter.contactId) && w.properties.nps_review_link_clicked_at)?.properties,
      { what: 'nps_review_link_clicked_at written back' },
    );
    expect(Number(written.nps_review_link_clicked_at)).toBeGreaterThanOrEqual(before - 1000);
    expect(written.nps_score).toBe('10');

    // Nothing but a configured position of a genuine link redirects.
    const tampered = `${promoter.token.slice(0, -2)}${promoter.token.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const path of [
      `/r/${promoter.token}/2`,
      `/r/${promoter.token}/9`,
      `/r/${promoter.token}/https%3A%2F%2Fevil.example`,
      `/r/${promoter.token}/01`,
      `/r/${tampered}/0`,
      '/r/nonsense/0',
    ]) {
      const r = await page(path);
      expect(r.status, path).toBe(404);
      expect(r.headers.get('location')).toBeNull();
    }
    const count = await server().deps.db.query('SELECT 1 FROM review_clicks WHERE contact_id = $1', [
      promoter.contactId,
    ]);
    expect(count.rows).toHaveLength(1);
  });

  it('keeps the single review URL of earlier settings working', async () => {
    expect((await putSettings({ followUps: { reviewUrl: 'https://www.capterra.com/p/1/acme' } })).status).toBe(200);
    const promoter = await answer(9, 'en');
    expect(promoter.html).toContain('Review us on capterra.com');
    const res = await page(`/r/${promoter.token}/0`);
    expect(res.headers.get('location')).toBe('https://www.capterra.com/p/1/acme');
  });

  it('asks promoters who else should know about us, and shows the answer escaped with the clicks on the dashboard', async () => {
    expect((await putSettings({ thankYou: { reviewSites: SITES, referralQuestion: true } })).status).toBe(200);
    const detractor = await answer(4, 'en');
    expect(detractor.html).not.toContain('Who else should know about us?');
    // A crafted post from a respondent who was not asked stores nothing.
    const unasked = await form(`/s/${detractor.token}/referral`, { referral: 'not asked' });
    expect(unasked.headers.get('location')).toBe(`/s/${detractor.token}/thanks`);
    const stored = await server().deps.db.query('SELECT 1 FROM thank_you_referrals WHERE invitation_id = $1', [
      detractor.invitationId,
    ]);
    expect(stored.rows).toHaveLength(0);
    const promoter = await answer(10, 'en');
    expect(promoter.html).toContain('Who else should know about us?');
    const saved = await form(`/s/${promoter.token}/referral`, { referral: 'Bo <bo@example.com> at "Acme"' });
    expect(saved.status).toBe(303);
    const again = await (await page(saved.headers.get('location')!)).text();
    expect(again).toContain('Thank you for the recommendation!');
    expect(again).toContain('Bo &lt;bo@example.com&gt; at &quot;Acme&quot;');
    const tooLong = await form(`/s/${promoter.token}/referral`, { referral: 'x'.repeat(1001) });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.text()).toContain('at most 1,000 characters; yours has 1,001');
    await page(`/r/${promoter.token}/0`);

    const browser = new Browser(server().url);
    await browser.signIn(ADMIN_TOKEN);
    const dashboard = await (await browser.fetch('/dashboard')).text();
    expect(dashboard).toContain('Review clicks and referrals');
    expect(dashboard).toContain('Bo &lt;bo@example.com&gt; at &quot;Acme&quot;');
    expect(dashboard).not.toContain('Bo <bo@example.com>');
    const total = /<span class="review-clicks-total">(\d+)<\/span>/.exec(dashboard);
    expect(Number(total?.[1])).toBeGreaterThanOrEqual(3);
    expect(dashboard).toMatch(/<th scope="row">Owner 55<\/th><td>\d+<\/td>/);
  });

  it('sends the optional thank-you email once, in the respondent’s language, with the review links for promoters', async () => {
    const drained = async () =>
      (await server().deps.db.query(`SELECT 1 FROM outbox WHERE kind = 'thank-you-email'`)).rows.length === 0;
    const mail = () => server().sentMail.filter((m) => /feedback/i.test(m.subject));
    const readable = (raw: Buffer) =>
      Buffer.from(
        raw
          .toString('latin1')
          .replace(/=\r?\n/g, '')
          .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        'latin1',
      ).toString('utf8');
    expect((await putSettings({ thankYou: { reviewSites: SITES, email: false } })).status).toBe(200);
    const quiet = await answer(10, 'en');
    await waitFor(drained, { what: 'the thank-you email outbox drained' });
    expect((await putSettings({ thankYou: { reviewSites: SITES, email: true } })).status).toBe(200);
    const promoter = await answer(10, 'da');
    const detractor = await answer(1, 'de');
    const both = await waitFor(() => (mail().length >= 2 ? mail() : undefined), { what: 'two thank-you emails' });
    const toPromoter = both.find((m) => m.to === `c${promoter.contactId}@example.com`)!;
    expect(toPromoter.subject).toBe('Tak for din feedback – NPS Loop');
    const promoterBody = readable(toPromoter.raw);
    expect(promoterBody).toContain('Du gav os 10 ud af 10.');
    expect(promoterBody).toContain(`/r/${promoter.token}/0`);
    expect(promoterBody).toContain('Anmeld os på Trustpilot');
    const toDetractor = both.find((m) => m.to === `c${detractor.contactId}@example.com`)!;
    expect(toDetractor.subject).toBe('Danke für Ihr Feedback – NPS Loop');
    const detractorBody = readable(toDetractor.raw);
    expect(detractorBody).toContain('innerhalb eines Tages');
    expect(detractorBody).not.toContain('/r/');
    // A changed answer sends nothing more; the answer given while the email was off never gets one.
    const changed = await form(`/s/${promoter.token}`, { score: '9', comment: 'changed' });
    expect(changed.status).toBe(303);
    await waitFor(drained, { what: 'the thank-you email outbox drained' });
    expect(mail()).toHaveLength(2);
    expect(mail().some((m) => m.to === `c${quiet.contactId}@example.com`)).toBe(false);
  });
});
