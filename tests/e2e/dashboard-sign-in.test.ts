import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardLinkSchema } from '../../extensions/app/cards/contract';
import { freePort } from '../../src/cli/demo/environment';
import { getPortal } from '../../src/core/portals.repo';
import { OPTIONAL_SCOPES, REQUIRED_SCOPES } from '../../src/portals/scopes';
import { createSandbox, type Sandbox } from '../../src/sandbox';
import { TEST_CLIENT_SECRET } from '../helpers/env';
import { startTestServer, type TestServer } from '../helpers/server';
import { Browser } from '../integration/dashboard-http';

// Dashboard sign-in end to end, with the sandbox as the only stand-in for HubSpot: a HubSpot-started OAuth install
// on an account without the tier-gated `automation` scope, the NPS card's request for a link through the
// pessimistic hubspot.fetch proxy (appends only appId, signs the raw URI), the browser opening the link once, and
// the signed-in dashboard. Runs on PGlite, and on Postgres when DATABASE_URL is set.

const PORTAL = 1001;
const OTHER = 2002;
const APP_ID = 4242;
const USER = { userId: 11, userEmail: 'ada@example.com' };
let sandbox: Sandbox;
let sandboxUrl: string;
let server: TestServer;
let publicUrl: string;

/** A call to the sandbox's control API, as a test harness or the sandbox control page makes it. */
async function control(method: 'POST' | 'PUT', path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${sandboxUrl}/_sandbox${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status, path).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

/** HubSpot sends the installer to our redirect URL with a code and no state; the browser follows it. */
async function hubspotStartedInstall(portalId: number): Promise<Response> {
  const { location } = await control('POST', '/oauth/hubspot-install', {
    portalId,
    scope: REQUIRED_SCOPES.join(' '),
    optionalScope: OPTIONAL_SCOPES.join(' '),
  });
  return fetch(String(location), { redirect: 'manual' });
}

/** The card's "Open NPS dashboard": the same URL extensions/app/cards/api.ts builds, through hubspot.fetch. */
function cardAsksForLink(portalId: number): Promise<Response> {
  const query = new URLSearchParams({
    portalId: String(portalId),
    userId: String(USER.userId),
    userEmail: USER.userEmail,
  }).toString();
  return sandbox.cardProxy.fetch(`${publicUrl}/api/card/dashboard-link?${query}`, {
    method: 'POST',
    body: {},
    context: { portalId, ...USER },
  });
}

async function linkFor(portalId: number): Promise<{ url: string; path: string }> {
  const res = await cardAsksForLink(portalId);
  expect(res.status).toBe(200);
  const link = dashboardLinkSchema.parse(await res.json());
  return { url: link.url, path: new URL(link.url).pathname };
}

const healthz = async () =>
  (await (await fetch(`${server.url}/healthz`)).json()) as {
    problems: Array<{ key: string; message: string }>;
    lastCardRequest?: Record<string, unknown>;
  };

beforeAll(async () => {
  const port = await freePort(0);
  publicUrl = `http://127.0.0.1:${port}`;
  const redirectUri = `${publicUrl}/oauth/callback`;
  sandbox = createSandbox({
    portals: [{ portalId: PORTAL }, { portalId: OTHER }],
    seed: { contacts: 5, seed: 3 },
    app: { appId: APP_ID, clientSecret: TEST_CLIENT_SECRET, redirectUris: [redirectUri] },
  });
  ({ url: sandboxUrl } = await sandbox.listen());
  sandbox.cardProxy.configure({ forward: {}, signs: 'requested', append: [] });
  server = await startTestServer({
    PORT: String(port),
    PUBLIC_BASE_URL: publicUrl,
    HUBSPOT_API_BASE_URL: sandboxUrl,
    HUBSPOT_AUTHORIZE_URL: `${sandboxUrl}/oauth/authorize`,
    HUBSPOT_ACCESS_TOKEN: undefined,
    HUBSPOT_PORTAL_ID: undefined,
    HUBSPOT_CLIENT_ID: sandbox.credentials.clientId,
    HUBSPOT_REDIRECT_URI: redirectUri,
    HUBSPOT_APP_ID: String(APP_ID),
    RUN_WORKERS: 'false',
  });

  // The account of PORTAL has no workflows (its tier lacks `automation`); OTHER's has everything.
  const lacking = await control('PUT', '/oauth/lacking-scopes', { portalId: PORTAL, scopes: ['automation'] });
  expect(lacking).toEqual({ portalId: PORTAL, lacking: ['automation'] });
  for (const portalId of [PORTAL, OTHER]) {
    const installed = await hubspotStartedInstall(portalId);
    expect(installed.status).toBe(302);
    expect(installed.headers.get('location')).toBe(`/oauth/installed?portalId=${portalId}&setup=complete`);
  }
}, 60_000);

afterAll(async () => {
  await server?.close();
  await sandbox?.close();
});

describe('dashboard sign-in through the pessimistic HubSpot, on an install without automation', () => {
  it('the install stored the granted scopes, without automation', async () => {
    const row = await getPortal(server.deps.db, PORTAL);
    expect(row).toMatchObject({ authMode: 'oauth', status: 'active' });
    expect([...row!.scopes].sort()).toEqual([...REQUIRED_SCOPES].sort());
    expect((await getPortal(server.deps.db, OTHER))!.scopes).toContain('automation');
  });

  it('the card gets a link through hubspot.fetch; opening it signs in once; the dashboard says automation is missing', async () => {
    const link = await linkFor(PORTAL);
    expect(link.url.startsWith(`${publicUrl}/dashboard/sign-in/link/`)).toBe(true);
    // The proxy appended only appId and signed the raw URI; the app accepted the card's own portal and user.
    expect((await healthz()).lastCardRequest).toMatchObject({
      route: '/api/card/dashboard-link',
      params: { portalId: 1, userId: 1, userEmail: 1, appId: 1 },
      signature: { version: 'v3', uriForm: 'raw' },
      result: 'accepted',
    });

    const browser = new Browser(server.url);
    const opened = await browser.fetch(link.path);
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe('/dashboard');
    expect(browser.cookieNamed('nps_session')).toBeDefined();

    const again = new Browser(server.url);
    const replay = await again.fetch(link.path, { headers: { accept: 'text/html' } });
    expect(replay.status).toBe(410);
    expect(await replay.text()).toContain('already used');
    expect(again.cookieNamed('nps_session')).toBeUndefined();
    expect((await again.fetch('/api/insights/headline')).status).toBe(401);

    const page = await browser.fetch('/dashboard');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(USER.userEmail);
    expect(html).toContain('id="workflow-action-unavailable"');
    expect(html).toContain('workflow action is unavailable');
    expect(html).toContain('did not grant the <code>automation</code> scope');

    const problems = (await healthz()).problems;
    const workflow = problems.find((p) => p.key === `workflow-action:${PORTAL}`);
    expect(workflow?.message).toContain('automation');
    expect(problems.map((p) => p.key)).not.toContain(`workflow-action:${OTHER}`);
  });

  it("the session sees its own portal's data and never another installed portal's", async () => {
    const browser = new Browser(server.url);
    expect((await browser.fetch((await linkFor(PORTAL)).path)).status).toBe(303);

    expect((await browser.fetch('/api/insights/headline')).status).toBe(200);
    const asked = await browser.fetch(`/api/insights/headline?portalId=${OTHER}`);
    expect(asked.status).toBe(404);
    expect(await asked.json()).toEqual({ error: { code: 'portal_not_found', message: 'no insights for that portal' } });
  });
});
