import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/core/deps';
import { createPortalsFeature } from '../../src/portals';
import { getPortal } from '../../src/core/portals.repo';
import { listPortalAdmins } from '../../src/core/portal-admins.repo';
import { OPTIONAL_SCOPES, REQUIRED_SCOPES } from '../../src/portals/scopes';
import { fixedClock } from '../../src/shared/clock';
import { ROOT } from '../helpers/child';
import { TEST_CLIENT_SECRET } from '../helpers/env';
import { startTestServer, type TestServer } from '../helpers/server';

// The install flow through HTTP: our routes for real, HubSpot's OAuth endpoints with nock.

const HUBSPOT = 'https://api.hubapi.com';
const REDIRECT = 'https://nps.test/oauth/callback';
// No job workers: the install flow needs none.
const oauthEnv = {
  HUBSPOT_ACCESS_TOKEN: undefined,
  HUBSPOT_PORTAL_ID: undefined,
  HUBSPOT_CLIENT_ID: 'client-123',
  HUBSPOT_REDIRECT_URI: REDIRECT,
  RUN_WORKERS: 'false',
};

const clock = fixedClock('2026-03-02T10:00:00Z');
const hookCalls: number[] = [];
async function recordInstall(_deps: AppDeps, portalId: number) {
  hookCalls.push(portalId);
}
async function createDetractorsList() {
  throw new Error('HubSpot answered 403 MISSING_SCOPES');
}
let server: TestServer;

const get = (path: string, cookie?: string) =>
  fetch(`${server.url}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });

/** Starts an install: returns the state HubSpot would echo back and the cookie our browser would hold. */
async function startInstall(): Promise<{ state: string; cookie: string; location: URL; setCookie: string }> {
  const res = await get('/oauth/install');
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location')!);
  const setCookie = res.headers.get('set-cookie')!;
  return { location, setCookie, state: location.searchParams.get('state')!, cookie: setCookie.split(';')[0]! };
}

/** The install-failed page: an HTML page naming the error code, what went wrong and what to do. */
async function errorOf(res: Response): Promise<{ code: string; message: string; html: string }> {
  expect(res.headers.get('content-type')).toMatch(/text\/html/);
  const html = await res.text();
  expect(html).toContain('NPS Loop was not installed');
  const code = /data-error-code="([^"]+)"/.exec(html)?.[1] ?? '';
  const message = /<p class="warn">([^<]*)<\/p>/.exec(html)?.[1] ?? '';
  return { code, message, html };
}

const portalCount = async () => (await server.deps.db.query('SELECT 1 FROM portals')).rowCount;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  server = await startTestServer(oauthEnv, {
    clock,
    features: [createPortalsFeature([recordInstall, createDetractorsList])],
  });
});

afterAll(async () => {
  await server?.close();
});

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe('GET /oauth/install', () => {
  it('redirects to HubSpot with the app, the required scopes and a state bound to an httpOnly cookie', async () => {
    const { location, setCookie, state } = await startInstall();

    expect(`${location.origin}${location.pathname}`).toBe('https://app.hubspot.com/oauth/authorize');
    expect(location.searchParams.get('client_id')).toBe('client-123');
    expect(location.searchParams.get('redirect_uri')).toBe(REDIRECT);
    expect(location.searchParams.get('scope')?.split(' ')).toEqual([...REQUIRED_SCOPES]);
    expect(location.searchParams.get('optional_scope')).toBe('automation');
    expect(state).toMatch(/^[\w-]+\.[a-z0-9]+\.[\w-]+$/);
    expect(setCookie).toMatch(/^nps_oauth_state=[\w-]+;/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Secure/i);
    expect(setCookie).toMatch(/Path=\/oauth/i);
  });

  it('asks for exactly the scopes the app declares in app-hsmeta.json', () => {
    const meta = JSON.parse(readFileSync(join(ROOT, 'extensions/app/app-hsmeta.json'), 'utf8')) as {
      config: { auth: { requiredScopes: string[]; optionalScopes: string[] } };
    };
    expect([...REQUIRED_SCOPES].sort()).toEqual([...meta.config.auth.requiredScopes].sort());
    expect([...OPTIONAL_SCOPES].sort()).toEqual([...meta.config.auth.optionalScopes].sort());
  });
});

describe('GET /oauth/callback refuses a bad state without calling HubSpot', () => {
  it.each([
    {
      case: 'a forged state',
      query: (s: string) => `code=abc&state=${s.slice(0, -4)}AAAA`,
      withCookie: true,
      code: 'invalid_state',
    },
    { case: 'a garbled state', query: () => 'code=abc&state=not-a-state', withCookie: true, code: 'invalid_state' },
    {
      case: 'no install cookie',
      query: (s: string) => `code=abc&state=${s}`,
      withCookie: false,
      code: 'state_mismatch',
    },
  ])('$case → 400 $code', async ({ query, withCookie, code }) => {
    const { state, cookie } = await startInstall();

    const res = await get(`/oauth/callback?${query(state)}`, withCookie ? cookie : undefined);

    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(/state|cookie/);
  });

  it('refuses a state older than ten minutes', async () => {
    const { state, cookie } = await startInstall();
    clock.advance(11 * 60_000);

    const res = await get(`/oauth/callback?code=abc&state=${state}`, cookie);

    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe('expired_state');
  });

  it('reports that the admin declined the install', async () => {
    const res = await get('/oauth/callback?error=access_denied&error_description=The+user+denied+access');
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({
      code: 'oauth_denied',
      message: 'HubSpot did not authorize the install: The user denied access',
    });
  });
});

describe('GET /oauth/callback exchanges the code', () => {
  it.each([
    {
      case: 'v1 wording',
      body: { status: 'BAD_AUTH_CODE', message: 'missing or invalid auth code', correlationId: 'c-1' },
    },
    {
      case: 'dated wording',
      body: {
        status: 'error',
        message: 'missing or invalid auth code',
        category: 'VALIDATION_ERROR',
        subCategory: 'BAD_AUTH_CODE',
      },
    },
    { case: 'OAuth 2 wording', body: { error: 'invalid_grant', error_description: 'missing or invalid auth code' } },
  ])('a bad or used code ($case) gets a 400 page saying what to do, and no portal row', async ({ body }) => {
    const { state, cookie } = await startInstall();
    nock(HUBSPOT).post('/oauth/2026-03/token').reply(400, body);

    const res = await get(`/oauth/callback?code=used-code&state=${state}`, cookie);

    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe('oauth_code_rejected');
    expect(error.message).toMatch(/BAD_AUTH_CODE|invalid_grant/);
    expect(error.message).toContain('missing or invalid auth code');
    expect(error.html).toContain('Start the install again');
    expect(await portalCount()).toBe(0);
  });

  it('our client id refused by HubSpot is an operator problem, not the installer’s (502 page, no row)', async () => {
    nock(HUBSPOT)
      .post('/oauth/2026-03/token')
      .reply(401, { status: 'BAD_CLIENT_ID', message: 'missing or invalid client id' });

    const res = await get('/oauth/callback?code=some-code');

    expect(res.status).toBe(502);
    const error = await errorOf(res);
    expect(error.code).toBe('oauth_client_misconfigured');
    expect(error.html).toContain('HUBSPOT_CLIENT_ID');
    expect(await portalCount()).toBe(0);
  });

  it('an install HubSpot started (code, no state) installs; the portal comes from HubSpot’s hub_id', async () => {
    nock(HUBSPOT)
      .post('/oauth/2026-03/token')
      .reply(200, {
        token_type: 'bearer',
        access_token: 'access-6001',
        refresh_token: 'refresh-6001',
        expires_in: 1800,
        hub_id: 6001,
        user_id: 6100,
        scopes: [...REQUIRED_SCOPES],
      });

    const res = await get('/oauth/callback?code=hubspot-started&portalId=999');

    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/^\/oauth\/installed\?portalId=6001&/);
    expect(await getPortal(server.deps.db, 999)).toBeNull();
    expect(await getPortal(server.deps.db, 6001)).toMatchObject({ status: 'active', scopes: [...REQUIRED_SCOPES] });
    // Granted without `automation`: the workflow action is reported unavailable, the rest is installed.
    expect(server.deps.health.list()).toContainEqual(
      expect.objectContaining({ key: 'workflow-action:6001', portalId: 6001 }),
    );
    await server.deps.db.query('DELETE FROM settings WHERE portal_id = 6001').catch(() => undefined);
    await server.deps.db.query('DELETE FROM portals WHERE portal_id = 6001');
  });

  it('the user who completed the install (user_id) becomes the first admin; a later install keeps the list', async () => {
    const tokenReply = (userId: number) => ({
      token_type: 'bearer',
      access_token: `access-${userId}`,
      refresh_token: `refresh-${userId}`,
      expires_in: 1800,
      hub_id: 6002,
      user_id: userId,
      scopes: [...REQUIRED_SCOPES],
    });
    nock(HUBSPOT).post('/oauth/2026-03/token').reply(200, tokenReply(777));
    expect((await get('/oauth/callback?code=first-install')).status).toBe(302);
    expect(await listPortalAdmins(server.deps.db, 6002)).toEqual([{ hubspotUserId: 777, email: null }]);
    nock(HUBSPOT).post('/oauth/2026-03/token').reply(200, tokenReply(888));
    expect((await get('/oauth/callback?code=reinstall')).status).toBe(302);
    expect(await listPortalAdmins(server.deps.db, 6002)).toEqual([{ hubspotUserId: 777, email: null }]);
    await server.deps.db.query('DELETE FROM settings WHERE portal_id = 6002').catch(() => undefined);
    await server.deps.db.query('DELETE FROM portals WHERE portal_id = 6002');
  });

  it('takes the installing user from introspection when the token answer lacks user_id; with neither, /healthz says the portal has no admin', async () => {
    const tokenReply = (n: number) => ({
      token_type: 'bearer',
      access_token: `access-${n}`,
      refresh_token: `refresh-${n}`,
      expires_in: 1800,
      hub_id: n,
      scopes: [...REQUIRED_SCOPES],
    });
    nock(HUBSPOT).post('/oauth/2026-03/token').reply(200, tokenReply(6003));
    nock(HUBSPOT)
      .post('/oauth/2026-03/token/introspect')
      .reply(200, { active: true, hub_id: 6003, scopes: [...REQUIRED_SCOPES], user_id: 4242 });
    expect((await get('/oauth/callback?code=introspected-user')).status).toBe(302);
    expect(await listPortalAdmins(server.deps.db, 6003)).toEqual([{ hubspotUserId: 4242, email: null }]);
    expect(server.deps.health.list().some((p) => p.key === 'portal-admin:6003')).toBe(false);

    nock(HUBSPOT).post('/oauth/2026-03/token').reply(200, tokenReply(6004));
    nock(HUBSPOT)
      .post('/oauth/2026-03/token/introspect')
      .reply(200, { active: true, hub_id: 6004, scopes: [...REQUIRED_SCOPES] });
    expect((await get('/oauth/callback?code=nobody-named')).status).toBe(302);
    expect(await listPortalAdmins(server.deps.db, 6004)).toEqual([]);
    expect(server.deps.health.list()).toContainEqual(
      expect.objectContaining({
        key: 'portal-admin:6004',
        portalId: 6004,
        message: expect.stringContaining('npm run admins -- --portal 6004 --add'),
      }),
    );
    for (const id of [6003, 6004]) {
      await server.deps.db.query('DELETE FROM settings WHERE portal_id = $1', [id]).catch(() => undefined);
      await server.deps.db.query('DELETE FROM portals WHERE portal_id = $1', [id]);
    }
  });

  it('stores the portal’s tokens sealed, marks it active, runs the install hooks and shows the installed page', async () => {
    const { state, cookie } = await startInstall();
    let form: URLSearchParams | undefined;
    nock(HUBSPOT)
      .post('/oauth/2026-03/token', (body) => ((form = new URLSearchParams(body as string)), true))
      .matchHeader('content-type', /application\/x-www-form-urlencoded/)
      .reply(200, {
        token_type: 'bearer',
        access_token: 'access-5150',
        refresh_token: 'refresh-5150',
        expires_in: 1800,
      });
    // This token answer has no hub_id or scopes (an older reading of HubSpot's docs): introspection supplies them.
    let introspected: URLSearchParams | undefined;
    nock(HUBSPOT)
      .post('/oauth/2026-03/token/introspect', (body) => ((introspected = new URLSearchParams(body as string)), true))
      .matchHeader('content-type', /application\/x-www-form-urlencoded/)
      .reply(200, { active: true, hub_id: 5150, scopes: ['oauth', 'crm.objects.contacts.read'], app_id: 77 });

    const res = await get(`/oauth/callback?code=good-code&state=${state}`, cookie);

    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/oauth/installed?portalId=5150&setup=incomplete');
    expect(res.headers.get('set-cookie')).toMatch(/nps_oauth_state=;/);
    expect(Object.fromEntries(form!)).toEqual({
      grant_type: 'authorization_code',
      redirect_uri: REDIRECT,
      code: 'good-code',
      client_id: 'client-123',
      client_secret: TEST_CLIENT_SECRET,
    });
    expect(Object.fromEntries(introspected!)).toEqual({
      token: 'access-5150',
      client_id: 'client-123',
      client_secret: TEST_CLIENT_SECRET,
    });
    const row = await getPortal(server.deps.db, 5150);
    expect(row).toMatchObject({ authMode: 'oauth', status: 'active', scopes: ['oauth', 'crm.objects.contacts.read'] });
    expect(row!.accessTokenEnc).not.toContain('access-5150');
    expect(row!.refreshTokenEnc).not.toContain('refresh-5150');
    expect(server.deps.cipher.decrypt(row!.accessTokenEnc!)).toBe('access-5150');
    expect(row!.tokenExpiresAt!.getTime()).toBe(clock.now().getTime() + 1_800_000);
    expect(hookCalls.at(-1)).toBe(5150);
    expect(server.deps.health.list().filter((p) => p.portalId === 5150)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'install:5150:createDetractorsList', portalId: 5150 }),
        expect.objectContaining({ key: 'scopes:5150', portalId: 5150 }),
        expect.objectContaining({ key: 'workflow-action:5150', portalId: 5150 }),
      ]),
    );

    const page = await get('/oauth/installed?portalId=5150&setup=incomplete');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('NPS Loop is installed');
    expect(html).toContain('5150');
    expect(html).toContain('some setup steps failed');
  });
});

describe('single-portal mode', () => {
  it('has no install flow', async () => {
    const single = await startTestServer({ RUN_WORKERS: 'false' }, { features: [createPortalsFeature([])] });
    try {
      const res = await fetch(`${single.url}/oauth/install`, { redirect: 'manual' });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('oauth_not_configured');
    } finally {
      await single.close();
    }
  });
});
