import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock';
import { createLogger } from '../../src/shared/logger';
import { markUninstalled } from '../../src/core/portals.repo';
import { SIGN_IN_LINK_TTL_MS } from '../../src/auth/sign-in-links';
import { aPortal } from '../factories';
import { useNockedServer } from '../helpers/nocked-server';
import { signedFetch } from '../helpers/signed';
import { Browser } from './dashboard-http';
import { PERIOD, PORTAL, nockOwners, seedFixture } from './insights-fixture';

// Dashboard sign-in for HubSpot users: the NPS card asks the card API (a request HubSpot signs, naming the portal
// and the user) for a one-time link; opening the link starts a dashboard session for that portal, once, within
// two minutes.

const OTHER = 2002;
const LEAVING = 3003;
const START = '2026-07-01T12:00:00Z';
const clock = fixedClock(START);
const logLines: string[] = [];
const logger = createLogger(
  'info',
  new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk));
      done();
    },
  }),
);

const s = useNockedServer({
  env: { RUN_WORKERS: 'false' },
  start: { clock, logger },
  before: () => nockOwners(),
  seed: async (server) => {
    await seedFixture(server.deps.db);
    await aPortal(server.deps.db, { portalId: OTHER, authMode: 'oauth' });
    await aPortal(server.deps.db, { portalId: LEAVING, authMode: 'oauth' });
  },
});

const who = (portalId: number, userId = 11, email = 'ada@example.com') =>
  `portalId=${portalId}&userId=${userId}&userEmail=${encodeURIComponent(email)}&appId=77`;

function askForLink(query: string) {
  return signedFetch(s().url, `/api/card/dashboard-link?${query}`, { body: {}, timestamp: clock.now().getTime() });
}

async function linkFor(portalId: number, email?: string): Promise<{ url: string; expiresAt: string; path: string }> {
  const res = await askForLink(who(portalId, 11, email));
  expect(res.status).toBe(200);
  expect(res.headers.get('cache-control')).toBe('no-store');
  const body = (await res.json()) as { url: string; expiresAt: string };
  return { ...body, path: new URL(body.url).pathname };
}

const headline = (b: Browser, extra = '') =>
  b.fetch(`/api/insights/headline?from=${PERIOD.from}&to=${PERIOD.to}${extra}`);

describe('the card API issues a dashboard link', () => {
  it('for the signed portal and user: an https link on the public URL that expires two minutes later', async () => {
    const link = await linkFor(PORTAL);
    expect(link.url).toMatch(/^https:\/\/nps\.test\/dashboard\/sign-in\/link\/[\w-]{43}$/);
    expect(link.expiresAt).toBe(new Date(clock.now().getTime() + SIGN_IN_LINK_TTL_MS).toISOString());
    expect(SIGN_IN_LINK_TTL_MS).toBe(120_000);
    const token = link.path.split('/').pop()!;
    const stored = await s().deps.db.query<{ token_hash: string; portal_id: string; hubspot_user_id: string }>(
      'SELECT token_hash, portal_id, hubspot_user_id FROM dashboard_sign_in_links',
    );
    expect(stored.rows.some((r) => r.token_hash.includes(token))).toBe(false);
    expect(stored.rows.map((r) => Number(r.portal_id))).toContain(PORTAL);
  });

  it('refuses an unsigned request, one without a user or with two users, and a portal that is not installed', async () => {
    const unsigned = await fetch(`${s().url}/api/card/dashboard-link?${who(PORTAL)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(unsigned.status).toBe(401);
    const noUser = await askForLink(`portalId=${PORTAL}&appId=77`);
    expect(noUser.status).toBe(400);
    expect((await noUser.json()).error.code).toBe('missing_user');
    // Copies of a signed parameter that disagree are refused like a bad signature (src/card-api/signed-context.ts).
    const twoUsers = await askForLink(`${who(PORTAL)}&userId=12`);
    expect(twoUsers.status).toBe(401);
    expect((await twoUsers.json()).error.code).toBe('conflicting_context');
    const notInstalled = await askForLink(who(4242));
    expect(notInstalled.status).toBe(403);
    expect((await notInstalled.json()).error.code).toBe('portal_not_installed');
  });

  it("accepts HubSpot's own copy of the user next to the card's when they agree", async () => {
    const res = await askForLink(`${who(PORTAL)}&userId=11`);
    expect(res.status).toBe(200);
  });
});

describe('opening the link', () => {
  it('signs the browser in to that portal once, as that user, and redirects to the dashboard', async () => {
    const link = await linkFor(PORTAL, 'grace@example.com');
    const b = new Browser(s().url);
    const res = await b.fetch(link.path);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-nps_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    const page = await b.fetch('/dashboard');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('grace@example.com');
    expect((await headline(b)).status).toBe(200);

    const again = new Browser(s().url);
    const replay = await again.fetch(link.path, { headers: { accept: 'text/html' } });
    expect(replay.status).toBe(410);
    const html = await replay.text();
    expect(html).toContain('already used');
    expect(html).toContain('Open NPS dashboard');
    expect(again.cookieNamed('nps_session')).toBeUndefined();
    expect((await headline(again)).status).toBe(401);
  });

  it('two browsers opening the same link at once: exactly one session', async () => {
    const link = await linkFor(PORTAL);
    const browsers = Array.from({ length: 4 }, () => new Browser(s().url));
    const answers = await Promise.all(browsers.map((b) => b.fetch(link.path)));
    expect(answers.map((r) => r.status).sort()).toEqual([303, 410, 410, 410]);
    expect(browsers.filter((b) => b.cookieNamed('nps_session')).length).toBe(1);
  });

  it('an expired link is refused with what to do, and starts no session', async () => {
    const link = await linkFor(PORTAL);
    clock.advance(SIGN_IN_LINK_TTL_MS + 1000);
    try {
      const b = new Browser(s().url);
      const res = await b.fetch(link.path);
      expect(res.status).toBe(410);
      const html = await res.text();
      expect(html).toContain('expired');
      expect(html).toContain('NPS card');
      expect(b.cookieNamed('nps_session')).toBeUndefined();
    } finally {
      clock.set(START);
    }
  });

  it('a tampered, unknown or malformed link is refused with 404 and starts no session', async () => {
    const link = await linkFor(PORTAL);
    const token = link.path.split('/').pop()!;
    const flipped = `${token.slice(0, 10)}${token[10] === 'A' ? 'B' : 'A'}${token.slice(11)}`;
    for (const bad of [flipped, 'A'.repeat(43), token.slice(0, 42), `${token}x`, '..%2F..%2Fdashboard']) {
      const b = new Browser(s().url);
      const res = await b.fetch(`/dashboard/sign-in/link/${bad}`);
      expect(res.status, bad).toBe(404);
      expect(await res.text()).toContain('not valid');
      expect(b.cookieNamed('nps_session')).toBeUndefined();
    }
    // The genuine link was not spent by the attempts.
    expect((await new Browser(s().url).fetch(link.path)).status).toBe(303);
  });

  it('a link for a portal that has since uninstalled NPS Loop is refused with no session', async () => {
    const link = await linkFor(LEAVING);
    await markUninstalled(s().deps.db, LEAVING);
    const b = new Browser(s().url);
    const res = await b.fetch(link.path);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('no longer installed');
    expect(b.cookieNamed('nps_session')).toBeUndefined();
    expect((await headline(b)).status).toBe(401);
  });

  it("a session from one portal never sees another portal's data", async () => {
    const a = new Browser(s().url);
    expect((await a.fetch((await linkFor(PORTAL)).path)).status).toBe(303);
    const b = new Browser(s().url);
    expect((await b.fetch((await linkFor(OTHER)).path)).status).toBe(303);

    const mine = (await (await headline(a)).json()) as { n: number };
    expect(mine.n).toBeGreaterThan(0);
    const theirs = (await (await headline(b)).json()) as { n: number };
    expect(theirs.n).toBe(0);
    const comments = (await (await b.fetch(`/api/insights/comments?from=${PERIOD.from}&to=${PERIOD.to}`)).json()) as {
      comments: unknown[];
    };
    expect(comments.comments).toEqual([]);
    const asked = await headline(b, `&portalId=${PORTAL}`);
    expect(asked.status).toBe(404);
    expect(await asked.json()).toEqual({ error: { code: 'portal_not_found', message: 'no insights for that portal' } });
  });

  it('a new link replaces the session the browser had, even for another portal', async () => {
    const b = new Browser(s().url);
    await b.fetch((await linkFor(PORTAL)).path);
    const [, first] = b.cookieNamed('nps_session')!;
    await b.fetch((await linkFor(OTHER)).path);
    expect((await (await headline(b)).json()).n).toBe(0);
    const stale = await fetch(`${s().url}/api/insights/headline`, {
      headers: { cookie: `__Host-nps_session=${first}` },
    });
    expect(stale.status).toBe(401);
  });

  it('no log line carries a link token', async () => {
    const link = await linkFor(PORTAL);
    await new Browser(s().url).fetch(link.path);
    await new Browser(s().url).fetch(link.path);
    const token = link.path.split('/').pop()!;
    const logs = logLines.join('');
    expect(logs).toContain('/dashboard/sign-in/link/:token');
    expect(logs).not.toContain(token);
  });
});

describe('the sign-in page', () => {
  it('tells users to open the dashboard from the NPS card, keeps the admin-token form, and offers no OAuth', async () => {
    const html = await (await new Browser(s().url).fetch('/dashboard/sign-in')).text();
    expect(html).toContain('Open NPS dashboard');
    expect(html).toContain('name="token"');
    expect(html).not.toContain('Sign in with HubSpot');
    expect(html).not.toContain('/dashboard/sign-in/hubspot');
    expect((await new Browser(s().url).fetch('/dashboard/oauth/callback?code=x&state=y')).status).toBe(404);
  });
});
