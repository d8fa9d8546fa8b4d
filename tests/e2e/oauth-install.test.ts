import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/cli/demo/environment';
import { getPortal } from '../../src/core/portals.repo';
import { OPTIONAL_SCOPES, REQUIRED_SCOPES } from '../../src/portals/scopes';
import { createSandbox, type Sandbox } from '../../src/sandbox';
import { fixedClock } from '../../src/shared/clock';
import { flushWorkflowCallbacks, workflowCallbackOutbox } from '../../src/workflow-action';
import { TEST_CLIENT_SECRET } from '../helpers/env';
import { startTestServer, type TestServer } from '../helpers/server';

// Real-portal readiness against the local HubSpot sandbox: installs HubSpot starts (no state of ours), an account
// without the tier-gated `automation` scope, and token refreshes that fail without meaning "uninstalled".
// Runs on PGlite, and on Postgres when DATABASE_URL is set.

const PORTAL = 1001;
const clock = fixedClock('2026-03-02T10:00:00Z');
let sandbox: Sandbox;
let server: TestServer;
let redirectUri: string;

beforeAll(async () => {
  const port = await freePort(0);
  redirectUri = `http://127.0.0.1:${port}/oauth/callback`;
  sandbox = createSandbox({
    portals: [{ portalId: PORTAL }],
    seed: { contacts: 5, seed: 1 },
    app: { clientSecret: TEST_CLIENT_SECRET, redirectUris: [redirectUri] },
  });
  const { url } = await sandbox.listen();
  server = await startTestServer(
    {
      PORT: String(port),
      PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
      HUBSPOT_API_BASE_URL: url,
      HUBSPOT_AUTHORIZE_URL: `${url}/oauth/authorize`,
      HUBSPOT_ACCESS_TOKEN: undefined,
      HUBSPOT_PORTAL_ID: undefined,
      HUBSPOT_CLIENT_ID: sandbox.credentials.clientId,
      HUBSPOT_REDIRECT_URI: redirectUri,
      RUN_WORKERS: 'false',
    },
    { clock },
  );
}, 60_000);

afterAll(async () => {
  await server?.close();
  await sandbox?.close();
});

/** HubSpot sends the installer to our redirect URL (no state); the browser follows it. */
async function hubspotStartedInstall(): Promise<Response> {
  const location = sandbox.oauth.startInstall({
    portalId: PORTAL,
    scope: REQUIRED_SCOPES.join(' '),
    optionalScope: OPTIONAL_SCOPES.join(' '),
  });
  return fetch(location, { redirect: 'manual' });
}

const healthz = async () =>
  ((await (await fetch(`${server.url}/healthz`)).json()) as { problems: Array<{ key: string; message: string }> })
    .problems;
const problemKeys = async () => (await healthz()).map((p) => p.key);

describe('an install HubSpot starts, on an account without workflows', () => {
  it('installs without a state, stores the granted scopes, sets everything up and reports the workflow action unavailable', async () => {
    sandbox.oauth.setLackingScopes(PORTAL, ['automation']);

    const res = await hubspotStartedInstall();

    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`/oauth/installed?portalId=${PORTAL}&setup=complete`);
    const row = await getPortal(server.deps.db, PORTAL);
    expect(row).toMatchObject({ authMode: 'oauth', status: 'active' });
    expect([...row!.scopes].sort()).toEqual([...REQUIRED_SCOPES].sort());
    const problems = await healthz();
    expect(problems.map((p) => p.key)).toEqual([`workflow-action:${PORTAL}`]);
    expect(problems[0]!.message).toContain('automation');
    // setup=complete: the install hooks (properties, lists, first sync) ran with the token HubSpot granted.
  });

  it('a reused code gets a 400 page that says what to do, and changes nothing', async () => {
    const location = sandbox.oauth.startInstall({ portalId: PORTAL, scope: REQUIRED_SCOPES.join(' ') });
    expect((await fetch(location, { redirect: 'manual' })).status).toBe(302);
    const before = await getPortal(server.deps.db, PORTAL);

    const again = await fetch(location, { redirect: 'manual' });

    expect(again.status).toBe(400);
    const html = await again.text();
    expect(html).toContain('NPS Loop was not installed');
    expect(html).toContain('Start the install again');
    expect(await getPortal(server.deps.db, PORTAL)).toEqual(before);
  });

  it('workflow callbacks wait without calling HubSpot, then go once a reinstall grants automation', async () => {
    const key = '0b7c2f50-3c1e-4c59-9d1e-2f6a2b4c8d10';
    await workflowCallbackOutbox.mark(server.deps.db, PORTAL, key, clock.now());

    await flushWorkflowCallbacks(server.deps, { portalId: PORTAL });

    const waiting = await server.deps.db.query<{ last_error: string }>(
      'SELECT last_error FROM outbox WHERE portal_id = $1 AND item_key = $2',
      [PORTAL, key],
    );
    expect(waiting.rows[0]?.last_error).toContain('automation');
    expect(await problemKeys()).toContain(`workflow-action:${PORTAL}:callbacks`);
    expect(sandbox.callbacks.completed()).toEqual([]);

    sandbox.oauth.setLackingScopes(PORTAL, []);
    expect((await hubspotStartedInstall()).status).toBe(302);
    expect((await getPortal(server.deps.db, PORTAL))!.scopes).toContain('automation');
    expect(await problemKeys()).not.toContain(`workflow-action:${PORTAL}`);

    clock.advance(11 * 60_000); // past the item's backoff
    await flushWorkflowCallbacks(server.deps, { portalId: PORTAL });

    const left = await server.deps.db.query('SELECT 1 FROM outbox WHERE portal_id = $1 AND item_key = $2', [
      PORTAL,
      key,
    ]);
    expect(left.rowCount).toBe(0);
    expect(await problemKeys()).not.toContain(`workflow-action:${PORTAL}:callbacks`);
  });
});

describe('token refresh against the sandbox', () => {
  const callHubSpot = () =>
    server.deps.hubspot
      .forPortal(PORTAL)
      .getObject('contacts', '1', ['email'])
      .catch((e: unknown) => e);

  it.each([429, 503] as const)(
    'a %s from the token endpoint is retried, shows on /healthz and never uninstalls',
    async (status) => {
      clock.advance(60 * 60_000); // the stored access token is long dead: the next call must refresh
      sandbox.faults.set({ paths: ['/oauth/2026-03/token'], errorRate: 1, errorStatuses: [status] });
      try {
        const err = await callHubSpot();
        expect(err).toMatchObject({ name: 'TokenRefreshUnavailableError', hubspotStatus: status });
        expect(await problemKeys()).toContain(`token-refresh:${PORTAL}`);
        expect(await getPortal(server.deps.db, PORTAL)).toMatchObject({ status: 'active' });
      } finally {
        sandbox.faults.clear();
      }
      clock.advance(6 * 60_000); // past the backoff
      await callHubSpot();
      expect(await problemKeys()).not.toContain(`token-refresh:${PORTAL}`);
      expect(await getPortal(server.deps.db, PORTAL)).toMatchObject({ status: 'active' });
    },
  );

  it('BAD_REFRESH_TOKEN (the app was uninstalled in HubSpot) marks the portal uninstalled', async () => {
    sandbox.oauth.uninstall(PORTAL);
    clock.advance(60 * 60_000);

    const err = await callHubSpot();

    expect(err).toMatchObject({ reason: 'refresh_refused' });
    expect(await getPortal(server.deps.db, PORTAL)).toMatchObject({ status: 'uninstalled' });
  });
});
