import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { TEST_PORTAL_ID } from '../helpers/env';
import { DAY_MS, fixedClock } from '../../src/shared/clock';
import { createSurveyToken } from '../../src/core/survey-links';
import { aContact, anInvitation, type InvitationStatus } from '../factories';

// The survey page over HTTP against the real app: what a GET shows, what a POST records, and every way a
// request can be wrong.

const NOW = new Date('2026-03-02T09:00:00Z');
const clock = fixedClock(NOW);
let server: TestServer;
let nextContact = 1;

beforeAll(async () => {
  server = await startTestServer(
    { RUN_WORKERS: 'false', DATA_DIR: mkdtempSync(join(tmpdir(), 'nps-page-')) },
    { clock },
  );
});
afterAll(async () => server?.close());

interface InvitationOpts {
  language?: string;
  channel?: 'email' | 'hubspot';
  question?: string;
  followUp?: string;
  status?: InvitationStatus;
  expiresAt?: Date;
}

/** A sent invitation and its signed token. */
async function sentInvitation(opts: InvitationOpts = {}): Promise<{ id: string; contactId: number; token: string }> {
  const db = server.deps.db;
  const contactId = nextContact++;
  await aContact(db, TEST_PORTAL_ID, {
    contactId,
    email: `p${contactId}@example.com`,
    language: opts.language ?? null,
  });
  const expiresAt = opts.expiresAt ?? new Date(NOW.getTime() + 30 * DAY_MS);
  const { id } = await anInvitation(db, {
    portalId: TEST_PORTAL_ID,
    contactId,
    trigger: 'deal',
    milestoneKey: `m:${contactId}`,
    channel: opts.channel ?? 'email',
    question: opts.question ?? null,
    followUpQuestion: opts.followUp ?? null,
    status: opts.status ?? 'sent',
    scheduledFor: NOW,
    sentAt: NOW,
    expiresAt,
  });
  return {
    id,
    contactId,
    token: createSurveyToken(server.config.surveySigningKey, { portalId: TEST_PORTAL_ID, invitationId: id, expiresAt }),
  };
}

const page = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, { redirect: 'manual', ...init });
const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
  page(path, {
    method: 'POST',
    body: new URLSearchParams(form),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });

async function responses(invitationId: string) {
  const r = await server.deps.db.query<{
    score: number;
    comment: string | null;
    follow_up_answer: string | null;
    channel: string;
  }>('SELECT score, comment, follow_up_answer, channel FROM responses WHERE invitation_id = $1', [invitationId]);
  return r.rows;
}

async function status(invitationId: string): Promise<string> {
  const r = await server.deps.db.query<{ status: string }>('SELECT status FROM invitations WHERE id = $1', [
    invitationId,
  ]);
  return r.rows[0]!.status;
}

describe('GET /s/:token', () => {
  it('shows the question, an eleven-point scale, the reason box, and records nothing', async () => {
    const inv = await sentInvitation();
    const res = await page(`/s/${inv.token}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('How likely are you to recommend NPS Loop to a friend or colleague?');
    expect(html.match(/type="radio" name="score"/g)).toHaveLength(11);
    expect(html).not.toMatch(/required checked/);
    expect(html).toContain('What is the main reason for your score?');
    expect(html).toMatch(/<textarea id="comment" name="comment"[^>]*maxlength="5000"/);
    expect(await responses(inv.id)).toEqual([]);
    expect(await status(inv.id)).toBe('sent');
  });

  it('sends a strict Content-Security-Policy, no caching and no referrer, and loads nothing external', async () => {
    const inv = await sentInvitation();
    const res = await page(`/s/${inv.token}`);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('script-src');
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await res.text();
    expect(html).not.toMatch(/<script|https?:\/\/(?!nps\.test)/);
  });

  it('preselects the score clicked in the email, and ignores a score that is not 0–10', async () => {
    const inv = await sentInvitation();
    expect(await (await page(`/s/${inv.token}?score=7`)).text()).toMatch(/id="score-7" value="7" required checked/);
    const odd = await page(`/s/${inv.token}?score=<b>11</b>`);
    expect(odd.status).toBe(200);
    expect(await odd.text()).not.toMatch(/required checked/);
  });

  it('speaks the contact’s language and shows the rule’s own question and follow-up question, escaped', async () => {
    const inv = await sentInvitation({
      language: 'sv-se',
      question: 'Would you <b>recommend</b> us?',
      followUp: 'What should we do "next"?',
    });
    const html = await (await page(`/s/${inv.token}`)).text();
    expect(html).toContain('<html lang="sv">');
    expect(html).toContain('Would you &lt;b&gt;recommend&lt;/b&gt; us?');
    expect(html).toContain('What should we do &quot;next&quot;?');
    expect(html).toContain('Vad är den främsta anledningen till ditt betyg?');
    expect(html).toMatch(/<textarea id="followUp" name="followUp"/);
  });
});

describe('POST /s/:token', () => {
  it('records the answer, sends the respondent to a thank-you page, and lets them change it until the link expires', async () => {
    const inv = await sentInvitation({ followUp: 'Anything else?' });
    const res = await post(`/s/${inv.token}`, { score: '8', comment: 'Fast support', followUp: 'No' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/s/${inv.token}/thanks`);
    expect(await responses(inv.id)).toEqual([
      { score: 8, comment: 'Fast support', follow_up_answer: 'No', channel: 'email' },
    ]);
    expect(await status(inv.id)).toBe('answered');

    const thanks = await page(`/s/${inv.token}/thanks`);
    expect(thanks.status).toBe(200);
    expect(await thanks.text()).toContain('Thank you!');

    const again = await (await page(`/s/${inv.token}`)).text();
    expect(again).toMatch(/id="score-8" value="8" required checked/);
    expect(again).toContain('>Fast support</textarea>');
    expect(again).toContain('Update my answer');

    await post(`/s/${inv.token}`, { score: '4', comment: 'Changed my mind' });
    expect(await responses(inv.id)).toEqual([
      { score: 4, comment: 'Changed my mind', follow_up_answer: null, channel: 'email' },
    ]);
  });

  it('keeps a follow-up answer only when the survey asked a follow-up question', async () => {
    const inv = await sentInvitation();
    expect((await post(`/s/${inv.token}`, { score: '7', followUp: 'not asked for' })).status).toBe(303);
    expect(await responses(inv.id)).toEqual([{ score: 7, comment: null, follow_up_answer: null, channel: 'email' }]);
  });

  it('records an answer to a HubSpot-sent link as a page answer', async () => {
    const inv = await sentInvitation({ channel: 'hubspot' });
    await post(`/s/${inv.token}`, { score: '10' });
    expect((await responses(inv.id))[0]).toMatchObject({ score: 10, channel: 'page' });
  });

  it.each([
    ['a score above 10', { score: '11' }, 'The score must be a whole number from 0 to 10.'],
    ['a negative score', { score: '-1' }, 'The score must be a whole number from 0 to 10.'],
    ['a fractional score', { score: '7.5' }, 'The score must be a whole number from 0 to 10.'],
    ['a score that is not a number', { score: 'ten' }, 'The score must be a whole number from 0 to 10.'],
    ['no score', { comment: 'forgot the score' }, 'Choose a score from 0 to 10.'],
    [
      'a reason over 5,000 characters',
      { score: '5', comment: 'x'.repeat(5001) },
      'The reason can be at most 5,000 characters; yours has 5,001.',
    ],
  ])(
    'answers %s with a 400 that says what is wrong, shows the form again, and records nothing',
    async (_what, form, message) => {
      const inv = await sentInvitation();
      const res = await post(`/s/${inv.token}`, form);
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain(message);
      expect(html).toContain(`<form method="post" action="/s/${inv.token}">`);
      if ('comment' in form) expect(html).toContain(form.comment);
      expect(await responses(inv.id)).toEqual([]);
      expect(await status(inv.id)).toBe('sent');
    },
  );

  it('answers a POST without a token with a 400 page', async () => {
    const res = await post('/s/', { score: '5' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('This link does not work');
  });

  it('shows script typed into a comment as text, never as markup', async () => {
    const inv = await sentInvitation();
    const comment = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    await post(`/s/${inv.token}`, { score: '2', comment });
    expect((await responses(inv.id))[0]!.comment).toBe(comment);
    const html = await (await page(`/s/${inv.token}`)).text();
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('links that no longer work', () => {
  it('answers an expired link with a friendly 410 in the contact’s language, and records nothing', async () => {
    const inv = await sentInvitation({ language: 'da', expiresAt: new Date(NOW.getTime() - 1000) });
    const get = await page(`/s/${inv.token}`);
    expect(get.status).toBe(410);
    const html = await get.text();
    expect(html).toContain('<html lang="da">');
    expect(html).toContain('Denne undersøgelse er lukket');
    expect((await post(`/s/${inv.token}`, { score: '9' })).status).toBe(410);
    expect(await responses(inv.id)).toEqual([]);
  });

  it('closes the survey once the expiry job has expired the invitation', async () => {
    const inv = await sentInvitation({ status: 'expired' });
    expect((await page(`/s/${inv.token}`)).status).toBe(410);
    expect((await post(`/s/${inv.token}`, { score: '9' })).status).toBe(410);
    expect(await responses(inv.id)).toEqual([]);
  });

  it.each([
    ['a tampered token', (t: string) => `${t.slice(0, 30)}${t[30] === 'A' ? 'B' : 'A'}${t.slice(31)}`],
    ['a truncated token', (t: string) => t.slice(0, 40)],
    ['garbage', () => 'not-a-token'],
  ])('answers %s with a 404 page in the browser’s language, and records nothing', async (_what, mangle) => {
    const inv = await sentInvitation();
    const token = mangle(inv.token);
    const get = await page(`/s/${token}`, { headers: { 'accept-language': 'de-DE,de;q=0.9' } });
    expect(get.status).toBe(404);
    expect(await get.text()).toContain('Dieser Link funktioniert nicht');
    expect((await post(`/s/${token}`, { score: '9' })).status).toBe(404);
    expect(await responses(inv.id)).toEqual([]);
  });

  it.each(['scheduled', 'skipped'] as const)(
    'treats a link to a %s invitation as broken, and records nothing',
    async (state) => {
      const inv = await sentInvitation({ status: state });
      expect((await post(`/s/${inv.token}`, { score: '9' })).status).toBe(404);
      expect(await responses(inv.id)).toEqual([]);
      expect(await status(inv.id)).toBe(state);
    },
  );

  it('treats a well-signed link to an invitation that does not exist as broken', async () => {
    const token = createSurveyToken(server.config.surveySigningKey, {
      portalId: TEST_PORTAL_ID,
      invitationId: '00000000-0000-4000-8000-000000000000',
      expiresAt: new Date(NOW.getTime() + DAY_MS),
    });
    expect((await page(`/s/${token}`)).status).toBe(404);
  });
});

describe('unsubscribe', () => {
  async function optedOut(contactId: number) {
    const r = await server.deps.db.query<{ opted_out: boolean; listed: boolean }>(
      `SELECT c.opted_out, EXISTS (SELECT 1 FROM survey_opt_outs o WHERE o.portal_id = c.portal_id AND o.contact_id = c.contact_id) AS listed
       FROM contacts c WHERE c.portal_id = $1 AND c.contact_id = $2`,
      [TEST_PORTAL_ID, contactId],
    );
    return r.rows[0];
  }

  it('asks for confirmation on GET, changes nothing until the POST, then skips the contact’s waiting surveys', async () => {
    const inv = await sentInvitation();
    const waiting = await anInvitation(server.deps.db, {
      portalId: TEST_PORTAL_ID,
      contactId: inv.contactId,
      trigger: 'ticket',
      milestoneKey: 'later',
      status: 'scheduled',
      scheduledFor: new Date(NOW.getTime() + DAY_MS),
    });
    const confirm = await page(`/s/${inv.token}/unsubscribe`);
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain(`<form method="post" action="/s/${inv.token}/unsubscribe">`);
    expect(await optedOut(inv.contactId)).toEqual({ opted_out: false, listed: false });

    const done = await post(`/s/${inv.token}/unsubscribe`, {});
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('You are unsubscribed');
    expect(await optedOut(inv.contactId)).toEqual({ opted_out: true, listed: true });
    const skipped = await server.deps.db.query('SELECT status, skip_reason FROM invitations WHERE id = $1', [
      waiting.id,
    ]);
    expect(skipped.rows[0]).toEqual({ status: 'skipped', skip_reason: 'opted_out' });
  });

  it('accepts a mail client’s one-click unsubscribe, also from an expired link, and repeats harmlessly', async () => {
    const inv = await sentInvitation({ expiresAt: new Date(NOW.getTime() - DAY_MS) });
    for (let i = 0; i < 2; i++)
      expect((await post(`/s/${inv.token}/unsubscribe`, { 'List-Unsubscribe': 'One-Click' })).status).toBe(200);
    expect(await optedOut(inv.contactId)).toEqual({ opted_out: true, listed: true });
  });

  it('refuses a tampered unsubscribe link', async () => {
    const inv = await sentInvitation();
    const token = `${inv.token.slice(0, -2)}${inv.token.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await post(`/s/${token}/unsubscribe`, {})).status).toBe(404);
    expect(await optedOut(inv.contactId)).toEqual({ opted_out: false, listed: false });
  });
});
