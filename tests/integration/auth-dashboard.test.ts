import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock';
import { Browser, hiddenCsrf } from './dashboard-http';
import { PORTAL, useInsightsServer } from './insights-fixture';

// Who may see the dashboard: single-portal mode with ADMIN_TOKEN, sessions in signed cookies, CSRF on every
// POST, and read-only TV links that can be revoked.

const ADMIN = 'test-admin-token-0123456789';
const clock = fixedClock('2026-07-01T12:00:00Z');
const s = useInsightsServer(clock);

describe('without a sign-in', () => {
  it('the dashboard and the TV view redirect to the sign-in page and the API answers 401', async () => {
    const b = new Browser(s().url);
    for (const path of ['/dashboard', '/dashboard/tv']) {
      const res = await b.fetch(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get('location')).toBe('/dashboard/sign-in');
    }
    for (const path of [
      '/api/insights/headline',
      '/api/insights/trend',
      '/api/insights/segments',
      '/api/insights/heroes',
      '/api/insights/comments',
      '/api/insights/distribution',
      '/api/insights/export.csv',
      '/api/insights/tv',
    ]) {
      const res = await b.fetch(path);
      expect(res.status, path).toBe(401);
      expect(await res.json()).toEqual({ error: { code: 'sign_in_required', message: expect.any(String) } });
    }
  });

  it('the sign-in page offers the admin-token form under a strict content security policy', async () => {
    const res = await new Browser(s().url).fetch('/dashboard/sign-in');
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const html = await res.text();
    expect(html).toContain('name="token"');
    expect(html).not.toContain('Sign in with HubSpot');
  });
});

describe('signing in with the admin token', () => {
  it('a wrong token is refused with a message and no session', async () => {
    const b = new Browser(s().url);
    const token = hiddenCsrf(await (await b.fetch('/dashboard/sign-in')).text());
    const res = await b.form('/dashboard/sign-in', { token: 'not-the-admin-token-at-all', _csrf: token });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('That admin token is not right.');
    expect(b.cookieNamed('nps_session')).toBeUndefined();
  });

  it('a sign-in form posted without its CSRF token (or from another browser) is refused with 403', async () => {
    const b = new Browser(s().url);
    await b.fetch('/dashboard/sign-in');
    expect((await b.form('/dashboard/sign-in', { token: ADMIN })).status).toBe(403);
    const other = new Browser(s().url);
    const token = hiddenCsrf(await (await other.fetch('/dashboard/sign-in')).text());
    expect((await b.form('/dashboard/sign-in', { token: ADMIN, _csrf: token })).status).toBe(403);
  });

  it('the right token starts a session in an httpOnly, SameSite, Secure, expiring cookie', async () => {
    const b = new Browser(s().url);
    const token = hiddenCsrf(await (await b.fetch('/dashboard/sign-in')).text());
    const res = await b.form('/dashboard/sign-in', { token: ADMIN, _csrf: token });
    expect(res.status).toBe(303);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-nps_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/Max-Age=43200/);
    expect(cookie).toMatch(/Path=\//);
    const page = await b.fetch('/dashboard');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('NPS,');
  });

  it('the session opens the insights API and the settings API; writes need its CSRF token', async () => {
    const b = new Browser(s().url);
    const csrf = await b.signIn(ADMIN);
    expect((await b.fetch('/api/insights/headline?from=2026-06-01&to=2026-06-30')).status).toBe(200);
    const settings = await b.fetch('/api/settings');
    expect(settings.status).toBe(200);
    const body = JSON.stringify((await settings.json()).settings);
    const put = (headers: Record<string, string>) =>
      b.fetch('/api/settings', { method: 'PUT', headers: { 'content-type': 'application/json', ...headers }, body });
    const refused = await put({});
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe('csrf_failed');
    expect((await put({ 'x-csrf-token': 'wrong' })).status).toBe(403);
    expect((await put({ 'x-csrf-token': csrf })).status).toBe(200);
  });

  it('Authorization: Bearer ADMIN_TOKEN keeps working for the APIs without a session', async () => {
    const headers = { authorization: `Bearer ${ADMIN}` };
    expect((await fetch(`${s().url}/api/insights/headline`, { headers })).status).toBe(200);
    expect((await fetch(`${s().url}/api/settings`, { headers })).status).toBe(200);
    expect(
      (await fetch(`${s().url}/api/insights/headline`, { headers: { authorization: 'Bearer wrong-token-0123456789' } }))
        .status,
    ).toBe(401);
  });

  it('a tampered session cookie is refused', async () => {
    const b = new Browser(s().url);
    await b.signIn(ADMIN);
    const [name, value] = b.cookieNamed('nps_session')!;
    const [id, expiry, signature] = decodeURIComponent(value).split('.');
    const tampered = [
      `${id}.${expiry}.${signature!.slice(0, -2)}AA`,
      `${id!.slice(0, -2)}AA.${expiry}.${signature}`,
      `${id}.${Number(expiry) + 86_400 * 30}.${signature}`,
    ];
    for (const forged of tampered) {
      b.setCookie(name, encodeURIComponent(forged));
      expect((await b.fetch('/api/insights/headline')).status, forged).toBe(401);
    }
  });

  it('an expired session is refused: the API answers 401 and the dashboard sends the user to sign in', async () => {
    const b = new Browser(s().url);
    await b.signIn(ADMIN);
    expect((await b.fetch('/api/insights/headline')).status).toBe(200);
    clock.advance(12 * 60 * 60 * 1000 + 1000);
    try {
      expect((await b.fetch('/api/insights/headline')).status).toBe(401);
      const page = await b.fetch('/dashboard');
      expect(page.status).toBe(303);
      expect(page.headers.get('location')).toBe('/dashboard/sign-in');
    } finally {
      clock.set('2026-07-01T12:00:00Z');
    }
  });

  it('signing out is a POST with the CSRF token, and it ends the session for good', async () => {
    const b = new Browser(s().url);
    const csrf = await b.signIn(ADMIN);
    const stolen = b.cookie();
    expect((await b.form('/dashboard/sign-out', {})).status).toBe(403);
    const out = await b.form('/dashboard/sign-out', { _csrf: csrf });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/dashboard/sign-in?signedOut=1');
    expect((await fetch(`${s().url}/api/insights/headline`, { headers: { cookie: stolen } })).status).toBe(401);
  });

  it('a session ends when its portal is uninstalled', async () => {
    const b = new Browser(s().url);
    await b.signIn(ADMIN);
    await s().deps.db.query(`UPDATE portals SET status = 'uninstalled' WHERE portal_id = $1`, [PORTAL]);
    try {
      expect((await b.fetch('/api/insights/headline')).status).toBe(401);
    } finally {
      await s().deps.db.query(`UPDATE portals SET status = 'active' WHERE portal_id = $1`, [PORTAL]);
    }
  });
});

describe("another portal's data", () => {
  it('is a 404 with no data, whichever endpoint asks for it', async () => {
    const b = new Browser(s().url);
    await b.signIn(ADMIN);
    for (const path of ['headline', 'trend', 'distribution', 'segments', 'heroes', 'comments', 'export.csv', 'tv']) {
      const res = await b.fetch(`/api/insights/${path}?portalId=2002`);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toEqual({ error: { code: 'portal_not_found', message: 'no insights for that portal' } });
    }
    const page = await b.fetch('/dashboard?portalId=2002', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(404);
    expect(await page.text()).not.toContain('NPS,');
    expect((await b.fetch(`/api/insights/headline?portalId=${PORTAL}`)).status).toBe(200);
  });
});

describe('TV links', () => {
  it('a TV link opens the TV view and its data without a sign-in, and nothing else', async () => {
    const admin = new Browser(s().url);
    const csrf = await admin.signIn(ADMIN);
    expect((await admin.form('/dashboard/tv-links', { label: 'Lobby' })).status).toBe(403);
    const created = await admin.form(
      '/dashboard/tv-links',
      { label: 'Lobby', _csrf: csrf },
      { accept: 'application/json' },
    );
    expect(created.status).toBe(201);
    const { id, url } = (await created.json()) as { id: string; url: string };
    expect(url).toMatch(/^https:\/\/nps\.test\/dashboard\/tv\?key=[\w-]{43}$/);
    const key = new URL(url).searchParams.get('key')!;

    const tv = new Browser(s().url);
    const page = await tv.fetch(`/dashboard/tv?key=${key}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await page.text()).toContain('id="tv-data"');
    const data = await tv.fetch('/api/insights/tv', { headers: { 'x-tv-key': key } });
    expect(data.status).toBe(200);
    expect(await data.json()).toMatchObject({
      headline: { n: expect.any(Number) },
      answers: { today: expect.any(Number), thisWeek: expect.any(Number) },
    });
    for (const path of ['/api/insights/headline', '/api/insights/export.csv', '/api/settings']) {
      expect((await tv.fetch(path, { headers: { 'x-tv-key': key } })).status, path).toBe(401);
    }
    expect((await tv.fetch(`/dashboard?key=${key}`)).status).toBe(303);
    const list = await (await admin.fetch('/api/insights/tv-links')).json();
    expect(list.links.find((l: { id: string }) => l.id === id)).toMatchObject({
      label: 'Lobby',
      revokedAt: null,
      lastUsedAt: expect.any(String),
    });
    expect(JSON.stringify(list)).not.toContain(key);
  });

  it('a revoked TV link stops working at once', async () => {
    const admin = new Browser(s().url);
    const csrf = await admin.signIn(ADMIN);
    const { id, url } = await (
      await admin.form('/dashboard/tv-links', { _csrf: csrf }, { accept: 'application/json' })
    ).json();
    const key = new URL(url).searchParams.get('key')!;
    expect((await fetch(`${s().url}/api/insights/tv`, { headers: { 'x-tv-key': key } })).status).toBe(200);
    expect((await admin.form(`/dashboard/tv-links/${id}/revoke`, {})).status).toBe(403);
    const revoked = await admin.form(`/dashboard/tv-links/${id}/revoke`, { _csrf: csrf });
    expect(revoked.status).toBe(303);
    expect((await fetch(`${s().url}/api/insights/tv`, { headers: { 'x-tv-key': key } })).status).toBe(401);
    expect((await fetch(`${s().url}/dashboard/tv?key=${key}`, { redirect: 'manual' })).status).toBe(401);
    expect((await admin.form(`/dashboard/tv-links/${id}/revoke`, { _csrf: csrf })).status).toBe(404);
  });

  it('an invented key is refused', async () => {
    expect((await fetch(`${s().url}/api/insights/tv`, { headers: { 'x-tv-key': 'A'.repeat(43) } })).status).toBe(401);
    expect((await fetch(`${s().url}/dashboard/tv?key=nonsense`, { redirect: 'manual' })).status).toBe(401);
  });
});
