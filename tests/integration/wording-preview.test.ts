import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { TEST_PORTAL_ID } from '../helpers/env';
import { DAY_MS, fixedClock } from '../../src/shared/clock';
import { createSurveyToken } from '../../src/core/survey-links';
import { aContact, anInvitation } from '../factories';
import { Browser } from './dashboard-http';
import { runDeliveryCycle } from '../../src/surveys/delivery';
import { createMailer } from '../../src/surveys/mailer';

// The settings preview (email and survey page rendered from a draft) and test surveys: a real email, a working
// link, and an answer that counts nowhere.

const NOW = new Date('2026-03-02T09:00:00Z');
const ADMIN_TOKEN = 'test-admin-token-0123456789';
let server: TestServer;
let admin: Browser;
let csrf: string;

beforeAll(async () => {
  server = await startTestServer(
    { RUN_WORKERS: 'false', DATA_DIR: mkdtempSync(join(tmpdir(), 'nps-preview-')) },
    { clock: fixedClock(NOW) },
  );
  admin = new Browser(server.url);
  csrf = await admin.signIn(ADMIN_TOKEN);
});
afterAll(async () => server?.close());

const bearer = { authorization: `Bearer ${ADMIN_TOKEN}` };
const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

async function errorOf(res: Response): Promise<string> {
  return ((await res.json()) as { error: { message: string } }).error.message;
}

/** Decodes a raw MIME message's quoted-printable soft breaks and escapes enough to read its links. */
function readable(raw: Buffer): string {
  const bytes = raw
    .toString('latin1')
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

async function count(table: string): Promise<number> {
  const r = await server.deps.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(r.rows[0]!.n);
}

async function headline(): Promise<unknown> {
  const res = await fetch(`${server.url}/api/insights/headline?from=2026-01-01&to=2026-03-31`, { headers: bearer });
  expect(res.status).toBe(200);
  return res.json();
}

describe('preview', () => {
  it('renders the draft wording, escaped, in the email (HTML and text part) and on the survey page', async () => {
    const draft = { lang: 'da', question: 'Hvad synes du om <b>os</b>?', emailSubject: 'Hej fra {brand} & co' };
    const email = await admin.fetch(`/dashboard/settings/preview/email?${q(draft)}`);
    expect(email.status).toBe(200);
    const csp = email.headers.get('content-security-policy')!;
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toContain('sandbox');
    expect(csp).not.toContain('script-src');
    const html = await email.text();
    expect(html).toContain('Hvad synes du om &lt;b&gt;os&lt;/b&gt;?');
    expect(html).not.toContain('<b>os</b>');
    expect(html).toContain('lang="da"');

    const json = (await (await admin.fetch(`/dashboard/settings/preview/email.json?${q(draft)}`)).json()) as {
      subject: string;
      text: string;
    };
    expect(json.subject).toBe('Hej fra NPS Loop & co');
    expect(json.text).toContain('Hvad synes du om <b>os</b>?');

    const survey = await admin.fetch(
      `/dashboard/settings/preview/survey?${q({ ...draft, reasonQuestion: 'Hvorfor?' })}`,
    );
    expect(survey.status).toBe(200);
    expect(survey.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
    const body = await survey.text();
    expect(body).toContain('Hvad synes du om &lt;b&gt;os&lt;/b&gt;?');
    expect(body).toContain('Hvorfor?');
  });

  it('the page works without JavaScript: a form POST re-renders it with the draft, and frames from self only', async () => {
    const page = await admin.form('/dashboard/settings/preview', {
      _csrf: csrf,
      lang: 'sv',
      rule: '',
      question: 'Vad tycker du, "kära" kund?',
    });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("frame-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('Vad tycker du, &quot;kära&quot; kund?');
    expect(html).toContain('src="/dashboard/settings/preview/email?lang=sv&amp;question=');
    expect(html).toContain('Send me a test survey');
  });

  it('refuses a bad draft with a 400 naming the field, and a POST without CSRF or sign-in', async () => {
    const unknown = await admin.fetch(`/dashboard/settings/preview/email?${q({ lang: 'fr' })}`);
    expect(unknown.status).toBe(400);
    expect(await errorOf(unknown)).toContain('lang:');
    const unsafe = await admin.fetch(`/dashboard/settings/preview/email.json?${q({ question: 'a\u0000b' })}`);
    expect(unsafe.status).toBe(400);
    expect(await errorOf(unsafe)).toContain('question');
    const rule = await admin.fetch(`/dashboard/settings/preview/survey?${q({ rule: 'no-such-rule' })}`);
    expect(rule.status).toBe(400);
    expect(await errorOf(rule)).toContain('rule:');
    const long = await admin.fetch(`/dashboard/settings/preview/email?${q({ emailSubject: 'x'.repeat(201) })}`);
    expect(long.status).toBe(400);
    expect(await errorOf(long)).toContain('emailSubject:');

    expect((await admin.form('/dashboard/settings/preview', { lang: 'en' })).status).toBe(403);
    expect((await admin.form('/dashboard/settings/preview/test', { to: 'a@example.com' })).status).toBe(403);
    const anonymous = new Browser(server.url);
    expect((await anonymous.fetch('/dashboard/settings/preview')).status).toBe(303);
    expect((await anonymous.fetch('/dashboard/settings/preview/email')).status).toBe(303);
    expect((await anonymous.form('/dashboard/settings/preview/test', { to: 'a@example.com' })).status).toBe(401);
  });
});

describe('test survey', () => {
  it('needs an address when the session has none, and a valid one', async () => {
    const none = await admin.form('/dashboard/settings/preview/test', { _csrf: csrf, lang: 'en' });
    expect(none.status).toBe(400);
    expect(await errorOf(none)).toContain('to:');
    const bad = await admin.form('/dashboard/settings/preview/test', { _csrf: csrf, to: 'not-an-address' });
    expect(bad.status).toBe(400);
    expect(await errorOf(bad)).toContain('to:');
  });

  it('sends a real, marked email whose link works end to end, and its answer counts nowhere', async () => {
    const db = server.deps.db;
    // A real answer first, so the insights below are shown to count answers at all.
    await aContact(db, TEST_PORTAL_ID, { contactId: 7, email: 'real@example.com' });
    const expiresAt = new Date(NOW.getTime() + 30 * DAY_MS);
    const inv = await anInvitation(db, {
      portalId: TEST_PORTAL_ID,
      contactId: 7,
      trigger: 'deal',
      milestoneKey: 'm:7',
      status: 'sent',
      scheduledFor: NOW,
      sentAt: NOW,
      expiresAt,
    });
    const realToken = createSurveyToken(server.config.surveySigningKey, {
      portalId: TEST_PORTAL_ID,
      invitationId: inv.id,
      expiresAt,
    });
    const real = await fetch(`${server.url}/s/${realToken}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: q({ score: '9' }),
    });
    expect(real.status).toBe(303);
    const before = await headline();
    expect((before as { n: number }).n).toBe(1);
    const counts = async () => ({
      responses: await count('responses'),
      invitations: await count('invitations'),
      outbox: await count('outbox'),
      followUps: await count('follow_ups'),
    });
    const countsBefore = await counts();

    const mailsBefore = server.sentMail.length;
    const sent = await admin.form('/dashboard/settings/preview/test', {
      _csrf: csrf,
      lang: 'de',
      to: 'me@example.com',
      question: 'Würden Sie uns <empfehlen>?',
      thankYou: 'Danke für den Test!',
    });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe('/dashboard/settings/preview?lang=de&sent=1');
    expect(server.sentMail.length).toBe(mailsBefore + 1);
    const mail = server.sentMail.at(-1)!;
    expect(mail.to).toBe('me@example.com');
    expect(mail.subject.startsWith('[TEST] ')).toBe(true);
    const raw = readable(mail.raw);
    expect(raw).toContain('TEST survey');
    expect(raw).toContain('Würden Sie uns &lt;empfehlen&gt;?');
    const link = /https:\/\/nps\.test(\/s-test\/[A-Za-z0-9_-]+)\?score=3/.exec(raw);
    expect(link).not.toBeNull();
    const path = link![1]!;

    const form = await fetch(`${server.url}${path}?score=3`);
    expect(form.status).toBe(200);
    const formHtml = await form.text();
    expect(formHtml).toContain('Würden Sie uns &lt;empfehlen&gt;?');
    expect(formHtml).toContain('TEST survey');
    expect(formHtml).toContain(`action="${path}"`);
    const answer = await fetch(`${server.url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: q({ score: '0', comment: 'Nur ein Test' }),
    });
    expect(answer.status).toBe(303);
    const thanks = await fetch(`${server.url}${answer.headers.get('location')}`);
    expect(thanks.status).toBe(200);
    expect(await thanks.text()).toContain('Danke für den Test!');

    // Kept apart: insights, answers, invitations (quiet period, reminders), outbox (write-back) and tasks unchanged.
    expect(await headline()).toEqual(before);
    expect(await counts()).toEqual(countsBefore);
    const stored = await db.query<{ score: number }>('SELECT score FROM test_surveys WHERE sent_to = $1', [
      'me@example.com',
    ]);
    expect(stored.rows.map((r) => Number(r.score))).toEqual([0]);
  });

  it('caps test sends per portal and hour', async () => {
    const send = () => admin.form('/dashboard/settings/preview/test', { _csrf: csrf, to: 'cap@example.com' });
    let last = await send();
    for (let i = 0; i < 25 && last.status === 303; i++) last = await send();
    expect(last.status).toBe(429);
    expect(await errorOf(last)).toContain('test surveys an hour');
    expect(await count('test_surveys')).toBe(20);
  });

  it('a test token is not a survey link, and a survey token is not a test link', async () => {
    const token = createSurveyToken(server.config.surveySigningKey, {
      portalId: TEST_PORTAL_ID,
      invitationId: '11111111-1111-4111-8111-111111111111',
      expiresAt: new Date(NOW.getTime() + DAY_MS),
    });
    expect((await fetch(`${server.url}/s-test/${token}`)).status).toBe(404);
    expect((await fetch(`${server.url}/s-test/not-a-token`)).status).toBe(404);
  });
});

describe('saved wording in real surveys', () => {
  it('the email and the survey page of a real invitation use the wording of its language and rule', async () => {
    const db = server.deps.db;
    const current = (await (await fetch(`${server.url}/api/settings`, { headers: bearer })).json()).settings;
    const saved = await fetch(`${server.url}/api/settings`, {
      method: 'PUT',
      headers: { ...bearer, 'content-type': 'application/json' },
      body: JSON.stringify({
        ...current,
        languages: ['en', 'da'],
        // Every offered language words what another customises (a missing translation is refused).
        wording: {
          en: { emailSubject: 'A question from {brand}', reasonQuestion: 'Why?', thankYou: 'Thank you!' },
          da: { emailSubject: 'Et spørgsmål fra {brand}', reasonQuestion: 'Hvorfor?', thankYou: 'Tusind tak!' },
        },
        triggers: current.triggers.map((r: { id: string }) =>
          r.id === 'deal-closed-won'
            ? { ...r, wording: { en: { question: 'How was buying?' }, da: { question: 'Hvordan var købet?' } } }
            : r,
        ),
      }),
    });
    expect(saved.status).toBe(200);
    await aContact(db, TEST_PORTAL_ID, { contactId: 8, email: 'dansk@example.com', language: 'da' });
    const inv = await anInvitation(db, {
      portalId: TEST_PORTAL_ID,
      contactId: 8,
      trigger: 'deal',
      ruleId: 'deal-closed-won',
      milestoneKey: 'm:8',
      status: 'scheduled',
      scheduledFor: new Date(NOW.getTime() - 60_000),
    });
    const mailer = createMailer(server.config, server.deps.mailTransport);
    expect((await runDeliveryCycle({ ...server.deps, mailer })).sent).toBe(1);
    const mail = server.sentMail.at(-1)!;
    expect(mail.subject).toBe('Et spørgsmål fra NPS Loop');
    expect(readable(mail.raw)).toContain('Hvordan var købet?');

    const row = await db.query<{ expires_at: Date }>('SELECT expires_at FROM invitations WHERE id = $1', [inv.id]);
    const token = createSurveyToken(server.config.surveySigningKey, {
      portalId: TEST_PORTAL_ID,
      invitationId: inv.id,
      expiresAt: new Date(row.rows[0]!.expires_at),
    });
    const html = await (await fetch(`${server.url}/s/${token}`)).text();
    expect(html).toContain('Hvordan var købet?');
    expect(html).toContain('Hvorfor?');
    const answer = await fetch(`${server.url}/s/${token}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: q({ score: '8' }),
    });
    expect(answer.status).toBe(303);
    expect(await (await fetch(`${server.url}${answer.headers.get('location')}`)).text()).toContain('Tusind tak!');
  });
});
