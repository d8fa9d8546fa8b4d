import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { saveSettings } from '../../src/core/settings-service';
import { lastWebSessionAt, signIdentity, webSurveyFeature } from '../../src/web-survey';
import { DAY_MS } from '../../src/shared/clock';
import { TEST_PORTAL_ID } from '../helpers/env';
import { startTestServer, type TestServer } from '../helpers/server';
import { aContact, anInvitation, aPortal } from '../factories';

// The widget API over real HTTP on the real app and database: CORS by the portal's origin list, identities
// signed with the portal's secret, what is due, answers through the survey page's recording path (outbox
// included), dismissals (skip + snooze) and the per-identity rate limit. Workers are off.

const ORIGIN = 'https://app.customer.test';
const ADMIN = { authorization: 'Bearer test-admin-token-0123456789', accept: 'application/json' };

describe('web survey widget API', () => {
  let s: TestServer;
  let secret: string;
  let offsetMs = 0;
  let frozen: Date | null = null;
  let nextContact = 91_000;
  const clock = { now: () => frozen ?? new Date(Date.now() + offsetMs) };

  beforeAll(async () => {
    s = await startTestServer({ RUN_WORKERS: 'false' }, { features: [webSurveyFeature], clock });
    const res = await fetch(`${s.url}/dashboard/settings/web-survey/secret`, { method: 'POST', headers: ADMIN });
    expect(res.status).toBe(200);
    secret = ((await res.json()) as { secret: string }).secret;
    await aPortal(s.deps.db, { portalId: 2002 });
  });
  afterAll(async () => {
    await s?.close();
  });
  beforeEach(async () => {
    offsetMs = 0;
    frozen = null;
    await saveSettings(s.deps.db, TEST_PORTAL_ID, {
      brand: { name: 'Acme', color: '#1f5fbf' },
      webSurvey: { enabled: true, allowedOrigins: [ORIGIN], snoozeDays: 14 },
    });
  });

  const call = (action: string, body: object, opts: { origin?: string | null; portal?: number } = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const origin = opts.origin === undefined ? ORIGIN : opts.origin;
    if (origin) headers.origin = origin;
    return fetch(`${s.url}/widget/v1/${opts.portal ?? TEST_PORTAL_ID}/${action}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
  };
  const asEmail = (email: string) => ({ email, userHash: signIdentity(secret, email) });
  const asId = (id: string | number) => ({ hubspotContactId: String(id), userHash: signIdentity(secret, String(id)) });

  async function contactWithWebInvitation(overrides: { language?: string } = {}) {
    const contactId = nextContact++;
    const email = `web${contactId}@customer.test`;
    await aContact(s.deps.db, TEST_PORTAL_ID, { contactId, email, language: overrides.language ?? 'en' });
    const now = clock.now();
    const inv = await anInvitation(s.deps.db, {
      portalId: TEST_PORTAL_ID,
      contactId,
      channel: 'web',
      status: 'sent',
      sentAt: now,
      expiresAt: new Date(now.getTime() + 30 * DAY_MS),
      followUpQuestion: 'What should we build next?',
    });
    return { contactId, email, invitationId: inv.id };
  }

  it('answers a due contact with the survey in its language and brand colour, to the listed origin only', async () => {
    const c = await contactWithWebInvitation({ language: 'da' });
    const res = await call('due', asEmail(c.email));
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as Record<string, any>;
    expect(body).toMatchObject({ due: true, invitationId: c.invitationId, lang: 'da', color: '#1f5fbf' });
    expect(body.texts.question).toContain('Acme');
    expect(body.texts.followUp).toBe('What should we build next?');
    expect(body.texts.dismiss).toBe('Ikke nu');
    // The visit is remembered (batched, within about a second), for channels that need a web session.
    await expect.poll(() => lastWebSessionAt(s.deps.db, TEST_PORTAL_ID, String(c.contactId))).toBeInstanceOf(Date);
    // The contact id works as the identity too.
    expect(await (await call('due', asId(c.contactId))).json()).toMatchObject({
      due: true,
      invitationId: c.invitationId,
    });
  });

  it('says nothing is due in the same words for a contact with nothing open, an unknown one and another portal’s', async () => {
    const contactId = nextContact++;
    await aContact(s.deps.db, TEST_PORTAL_ID, { contactId, email: `none${contactId}@customer.test` });
    const other = nextContact++;
    await aContact(s.deps.db, 2002, { contactId: other, email: `other${other}@customer.test` });
    await anInvitation(s.deps.db, {
      portalId: 2002,
      contactId: other,
      channel: 'web',
      status: 'sent',
      sentAt: new Date(),
    });
    const answers = await Promise.all([
      call('due', asEmail(`none${contactId}@customer.test`)),
      call('due', asEmail('nobody@customer.test')),
      call('due', asId(other)),
    ]);
    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('{"due":false}');
    }
  });

  it('refuses unknown origins, missing origins and other portals with a 403 that carries no CORS header or data', async () => {
    const c = await contactWithWebInvitation();
    const refused = [
      await call('due', asEmail(c.email), { origin: 'https://evil.test' }),
      await call('due', asEmail(c.email), { origin: null }),
      await call('due', asEmail(c.email), { portal: 2002 }),
      await call('due', asEmail(c.email), { portal: 999_999 }),
    ];
    for (const res of refused) {
      expect(res.status).toBe(403);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      const text = await res.text();
      expect(text).toContain('origin_not_allowed');
      expect(text).not.toContain(c.invitationId);
    }
    const preflight = (origin: string) =>
      fetch(`${s.url}/widget/v1/${TEST_PORTAL_ID}/due`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    const ok = await preflight(ORIGIN);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(ok.headers.get('access-control-allow-headers')).toBe('content-type');
    const bad = await preflight('https://evil.test');
    expect(bad.status).toBe(403);
    expect(bad.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('ignores forged, unsigned and malformed identities', async () => {
    const c = await contactWithWebInvitation();
    const forged = await call('due', { email: c.email, userHash: signIdentity('not-the-secret', c.email) });
    expect(forged.status).toBe(403);
    const body = await forged.text();
    expect(body).toContain('identity_not_verified');
    expect(body).not.toContain(c.invitationId);
    // Signed for someone else.
    expect((await call('due', { email: c.email, userHash: signIdentity(secret, 'someone@else.test') })).status).toBe(
      403,
    );
    expect((await call('due', { email: c.email })).status).toBe(400);
    expect((await call('due', { email: c.email, hubspotContactId: '1', userHash: 'ab'.repeat(32) })).status).toBe(400);
  });

  it('records an answer through the survey path: invitation answered, channel web, write-back and follow-up queued', async () => {
    const c = await contactWithWebInvitation();
    const res = await call('answer', {
      ...asEmail(c.email),
      invitationId: c.invitationId,
      score: 3,
      comment: 'Too slow',
      followUp: 'Speed',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ recorded: true });
    const stored = await s.deps.db.query<{ score: number; channel: string; comment: string; follow_up_answer: string }>(
      'SELECT score, channel, comment, follow_up_answer FROM responses WHERE invitation_id = $1',
      [c.invitationId],
    );
    expect(stored.rows).toEqual([{ score: 3, channel: 'web', comment: 'Too slow', follow_up_answer: 'Speed' }]);
    const outbox = await s.deps.db.query<{ kind: string }>(
      `SELECT kind FROM outbox WHERE portal_id = $1 AND (item_key = $2 OR kind <> 'contact-properties') ORDER BY kind`,
      [TEST_PORTAL_ID, String(c.contactId)],
    );
    expect(outbox.rows.map((r) => r.kind)).toContain('contact-properties');
    expect(outbox.rows.map((r) => r.kind)).toContain('follow-up');
    // Answered: no longer due.
    expect(await (await call('due', asEmail(c.email))).json()).toEqual({ due: false });
  });

  it('refuses an answer without a score, or for someone else’s invitation, with a 4xx and nothing stored', async () => {
    const c = await contactWithWebInvitation();
    const d = await contactWithWebInvitation();
    const noScore = await call('answer', { ...asEmail(c.email), invitationId: c.invitationId, comment: 'x' });
    expect(noScore.status).toBe(400);
    expect(await noScore.text()).toContain('score');
    const badScore = await call('answer', { ...asEmail(c.email), invitationId: c.invitationId, score: 11 });
    expect(badScore.status).toBe(400);
    const theirs = await call('answer', { ...asEmail(c.email), invitationId: d.invitationId, score: 9 });
    expect(theirs.status).toBe(404);
    const none = await s.deps.db.query('SELECT 1 FROM responses WHERE invitation_id IN ($1, $2)', [
      c.invitationId,
      d.invitationId,
    ]);
    expect(none.rows).toEqual([]);
  });

  it('a dismissal skips the invitation as dismissed and snoozes the widget, without restarting the quiet period', async () => {
    await saveSettings(s.deps.db, TEST_PORTAL_ID, {
      webSurvey: { enabled: true, allowedOrigins: [ORIGIN], snoozeDays: 7, askOnVisit: true },
      quietPeriodDays: 90,
    });
    const c = await contactWithWebInvitation();
    const res = await call('dismiss', { ...asEmail(c.email), invitationId: c.invitationId });
    expect(res.status).toBe(200);
    const inv = await s.deps.db.query('SELECT status, skip_reason FROM invitations WHERE id = $1', [c.invitationId]);
    expect(inv.rows).toEqual([{ status: 'skipped', skip_reason: 'dismissed' }]);
    // A second dismissal finds nothing open.
    expect((await call('dismiss', { ...asEmail(c.email), invitationId: c.invitationId })).status).toBe(404);
    // Snoozed: a new web invitation waits, and so does "ask on visit".
    const again = await anInvitation(s.deps.db, {
      portalId: TEST_PORTAL_ID,
      contactId: c.contactId,
      channel: 'web',
      status: 'sent',
      sentAt: clock.now(),
    });
    expect(await (await call('due', asEmail(c.email))).json()).toEqual({ due: false });
    offsetMs = 8 * DAY_MS;
    expect(await (await call('due', asEmail(c.email))).json()).toMatchObject({ due: true, invitationId: again.id });
  });

  it('asks on visit once the quiet period has passed (the dismissed survey not counting), one invitation per day', async () => {
    await saveSettings(s.deps.db, TEST_PORTAL_ID, {
      webSurvey: { enabled: true, allowedOrigins: [ORIGIN], askOnVisit: true },
      quietPeriodDays: 90,
    });
    const recent = nextContact++;
    await aContact(s.deps.db, TEST_PORTAL_ID, { contactId: recent, email: `recent${recent}@customer.test` });
    await anInvitation(s.deps.db, {
      portalId: TEST_PORTAL_ID,
      contactId: recent,
      status: 'answered',
      sentAt: new Date(Date.now() - 10 * DAY_MS),
    });
    expect(await (await call('due', asId(recent))).json()).toEqual({ due: false });

    const fresh = nextContact++;
    await aContact(s.deps.db, TEST_PORTAL_ID, { contactId: fresh, email: `fresh${fresh}@customer.test` });
    await anInvitation(s.deps.db, {
      portalId: TEST_PORTAL_ID,
      contactId: fresh,
      channel: 'web',
      status: 'skipped',
      skipReason: 'dismissed',
      sentAt: new Date(Date.now() - 20 * DAY_MS),
    });
    const first = (await (await call('due', asId(fresh))).json()) as { due: boolean; invitationId: string };
    expect(first.due).toBe(true);
    const second = (await (await call('due', asId(fresh))).json()) as { invitationId: string };
    expect(second.invitationId).toBe(first.invitationId);
    const rows = await s.deps.db.query('SELECT channel, status FROM invitations WHERE id = $1', [first.invitationId]);
    expect(rows.rows).toEqual([{ channel: 'web', status: 'sent' }]);
  });

  it('answers 429 once one identity makes too many requests, while others go on', async () => {
    frozen = new Date(Date.UTC(2031, 0, 1, 12, 0, 5));
    const c = await contactWithWebInvitation();
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await call('due', asEmail(c.email))).status);
    expect(statuses.slice(0, 30).every((x) => x === 200)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
    const limited = await call('due', asEmail(c.email));
    expect(limited.headers.get('retry-after')).toBe('55');
    expect((await call('due', asEmail('another@customer.test'))).status).toBe(200);
  });

  it('serves the loader with short caching and the build at a content-hashed, immutable address', async () => {
    const loader = await fetch(`${s.url}/widget/v1/loader.js`);
    expect(loader.status).toBe(200);
    expect(loader.headers.get('cache-control')).toBe('public, max-age=300');
    const text = await loader.text();
    const path = /\/widget\/v1\/nps-loop\.[0-9a-f]{16}\.js/.exec(text)?.[0];
    expect(path).toBeDefined();
    const build = await fetch(`${s.url}${path}`);
    expect(build.status).toBe(200);
    expect(build.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(build.headers.get('content-type')).toContain('text/javascript');
    const etag = build.headers.get('etag')!;
    expect((await fetch(`${s.url}${path}`, { headers: { 'if-none-match': etag } })).status).toBe(304);
  });
});
