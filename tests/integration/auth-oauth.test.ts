import nock from 'nock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { TEST_CLIENT_SECRET, TEST_PORTAL_ID } from '../helpers/env';
import { Browser } from './dashboard-http';
import { nockOwners } from './insights-fixture';

// "Sign in with HubSpot": the authorization-code flow with the `oauth` scope only. HubSpot's token endpoints are
// answered by nock; the app's own callback is called as HubSpot's redirect would call it.

const CLIENT_ID = 'test-client-id';
let s: TestServer;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  s = await startTestServer({
    RUN_WORKERS: 'false',
    HUBSPOT_CLIENT_ID: CLIENT_ID,
    HUBSPOT_REDIRECT_URI: 'https://nps.test/oauth/callback',
    HUBSPOT_AUTHORIZE_URL: 'https://app.hubspot.test/oauth/authorize',
  });
});
beforeEach(() => {
  nock.cleanAll();
  nockOwners();
});
afterAll(async () => {
  await s?.close();
  nock.cleanAll();
  nock.enableNetConnect();
});

/** Starts the flow like a browser; returns the state HubSpot would hand back. */
async function startFlow(b: Browser): Promise<string> {
  const res = await b.fetch('/dashboard/sign-in/hubspot');
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location')!);
  expect(location.origin + location.pathname).toBe('https://app.hubspot.test/oauth/authorize');
  expect(location.searchParams.get('client_id')).toBe(CLIENT_ID);
  expect(location.searchParams.get('scope')).toBe('oauth');
  expect(location.searchParams.get('redirect_uri')).toBe('https://nps.test/dashboard/oauth/callback');
  return location.searchParams.get('state')!;
}

function hubspotKnows(hubId: number, user = 'ada@example.com') {
  let tokenBody = '';
  const scope = nock('https://api.hubapi.com')
    .post('/oauth/2026-03/token', (body) => {
      tokenBody = new URLSearchParams(body as Record<string, string>).toString();
      return true;
    })
    .matchHeader('content-type', 'application/x-www-form-urlencoded')
    .reply(200, { access_token: 'user-access-token', refresh_token: 'r', expires_in: 1800 })
    .post(
      '/oauth/2026-03/token/introspect',
      (body) => new URLSearchParams(body as string).get('token') === 'user-access-token',
    )
    .reply(200, {
      active: true,
      token: 'user-access-token',
      user,
      hub_id: hubId,
      user_id: 77,
      app_id: 1,
      scopes: ['oauth'],
      token_type: 'access',
    });
  return { scope, tokenBody: () => tokenBody };
}

describe('Sign in with HubSpot', () => {
  it('the sign-in page offers it next to the admin-token form', async () => {
    const html = await (await new Browser(s.url).fetch('/dashboard/sign-in')).text();
    expect(html).toContain('href="/dashboard/sign-in/hubspot"');
  });

  it('a user of an installed portal is signed in to that portal', async () => {
    const b = new Browser(s.url);
    const state = await startFlow(b);
    const hubspot = hubspotKnows(TEST_PORTAL_ID);
    const res = await b.fetch(`/dashboard/oauth/callback?code=the-code&state=${encodeURIComponent(state)}`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard');
    expect(hubspot.scope.isDone()).toBe(true);
    const sent = new URLSearchParams(hubspot.tokenBody());
    expect(Object.fromEntries(sent)).toEqual({
      grant_type: 'authorization_code',
      client_id: CLIENT_ID,
      client_secret: TEST_CLIENT_SECRET,
      redirect_uri: 'https://nps.test/dashboard/oauth/callback',
      code: 'the-code',
    });
    const page = await b.fetch('/dashboard');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('ada@example.com');
  });

  it('a user whose HubSpot account has not installed NPS Loop is refused', async () => {
    const b = new Browser(s.url);
    const state = await startFlow(b);
    hubspotKnows(4242);
    const res = await b.fetch(`/dashboard/oauth/callback?code=the-code&state=${encodeURIComponent(state)}`);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('not installed in HubSpot account 4242');
    expect(b.cookieNamed('nps_session')).toBeUndefined();
  });

  it('a callback whose state was not minted for this browser is refused before HubSpot is asked', async () => {
    const victim = new Browser(s.url);
    const state = await startFlow(new Browser(s.url));
    await victim.fetch('/dashboard/sign-in');
    const res = await victim.fetch(`/dashboard/oauth/callback?code=attacker-code&state=${encodeURIComponent(state)}`);
    expect(res.status).toBe(403);
    expect(nock.pendingMocks().filter((m) => m.includes('/oauth/'))).toEqual([]);
    const forged = await victim.fetch('/dashboard/oauth/callback?code=x&state=9999999999.forged');
    expect(forged.status).toBe(403);
  });

  it('a code HubSpot rejects, or a denied consent, ends on the sign-in page with the reason', async () => {
    const b = new Browser(s.url);
    const state = await startFlow(b);
    nock('https://api.hubapi.com')
      .post('/oauth/2026-03/token')
      .reply(400, { status: 'BAD_AUTH_CODE', message: 'missing or unknown auth code' });
    const res = await b.fetch(`/dashboard/oauth/callback?code=old&state=${encodeURIComponent(state)}`);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('BAD_AUTH_CODE');
    const denied = await b.fetch('/dashboard/oauth/callback?error=access_denied&error_description=User%20said%20no');
    expect(denied.status).toBe(401);
    expect(await denied.text()).toContain('User said no');
  });
});
