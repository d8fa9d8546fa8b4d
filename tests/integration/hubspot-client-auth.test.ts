import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHubSpotClient } from '../../src/hubspot/sdk-client';
import { HubSpotAuthError, PortalNotConnectedError, TokenRefreshUnavailableError } from '../../src/hubspot/errors';
import { createHealthProblems, type HealthProblems } from '../../src/core/deps';
import type { Timing } from '../../src/hubspot/timing';
import type { TokenProvider } from '../../src/hubspot/tokens';
import { getPortal, saveOAuthTokens } from '../../src/core/portals.repo';
import { createTokenProvider } from '../../src/portals/token-manager';
import { fixedClock } from '../../src/shared/clock';
import { createCipher } from '../../src/shared/crypto';
import { silentLogger } from '../../src/shared/logger';
import { createMetrics } from '../../src/shared/metrics';
import { openTestDb, type TestDb } from '../helpers/db';
import { testConfig } from '../helpers/env';

// Tokens through the HubSpot client: OAuth portals stored encrypted, refreshed before expiry or after a 401, one refresh
// at a time, and an uninstall detected from a refused refresh. Runs on PGlite and on Postgres.

const BASE = 'https://api.hubapi.com';
const PORTAL = 3001;
const oauthEnv = {
  HUBSPOT_ACCESS_TOKEN: undefined,
  HUBSPOT_PORTAL_ID: undefined,
  HUBSPOT_CLIENT_ID: 'client-123',
  HUBSPOT_REDIRECT_URI: 'https://nps.test/oauth/callback',
};
const config = testConfig(oauthEnv);
const cipher = createCipher(config.encryptionKey);
const contact = { id: '51', properties: { email: 'ana@example.com' } };

let t: TestDb;
let clock: ReturnType<typeof fixedClock>;

const timing = (): Timing => ({ now: () => clock.now().getTime(), sleep: async () => undefined, random: () => 0.5 });
let health: HealthProblems;
const provider = (cfg = config) =>
  createTokenProvider({ config: cfg, db: t.db, cipher, logger: silentLogger, clock, health, oauthTimeoutMs: 300 });
const portalVia = (tokens: TokenProvider) =>
  createHubSpotClient({
    baseUrl: BASE,
    tokens,
    logger: silentLogger,
    metrics: createMetrics(),
    timing: timing(),
  }).forPortal(PORTAL);

async function install(accessToken: string, refreshToken: string, expiresInMs: number) {
  await saveOAuthTokens(t.db, PORTAL, {
    accessTokenEnc: cipher.encrypt(accessToken),
    refreshTokenEnc: cipher.encrypt(refreshToken),
    expiresAt: new Date(clock.now().getTime() + expiresInMs),
  });
}

/** HubSpot's token endpoint for the refresh grant; collects the form bodies it receives. */
function tokenEndpoint(forms: URLSearchParams[], answer: [number, object]) {
  return nock(BASE)
    .post('/oauth/2026-03/token', (body) => (forms.push(new URLSearchParams(body as string)), true))
    .matchHeader('content-type', /application\/x-www-form-urlencoded/)
    .reply(answer[0], answer[1]);
}

const contactAs = (token: string) =>
  nock(BASE, { reqheaders: { authorization: `Bearer ${token}` } })
    .get('/crm/v3/objects/contacts/51')
    .query(true);

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  t = await openTestDb();
});

afterAll(async () => {
  await t?.cleanup();
});

beforeEach(async () => {
  clock = fixedClock('2026-03-02T10:00:00Z');
  health = createHealthProblems();
  await t.db.query('DELETE FROM portals');
});

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe('OAuth tokens through the HubSpot client', () => {
  it('refreshes once after a 401 and retries the call with the new token', async () => {
    await install('access-old', 'refresh-1', 30 * 60_000);
    const forms: URLSearchParams[] = [];
    contactAs('access-old').reply(401, {
      status: 'error',
      message: 'The OAuth token used to make this call expired',
      category: 'EXPIRED_AUTHENTICATION',
    });
    tokenEndpoint(forms, [
      200,
      { token_type: 'bearer', access_token: 'access-new', refresh_token: 'refresh-1', expires_in: 1800 },
    ]);
    contactAs('access-new').reply(200, contact);

    const found = await portalVia(provider()).getObject('contacts', '51', ['email']);

    expect(found?.id).toBe('51');
    expect(forms.map((f) => Object.fromEntries(f))).toEqual([
      {
        grant_type: 'refresh_token',
        refresh_token: 'refresh-1',
        client_id: 'client-123',
        client_secret: config.hubspot.clientSecret,
      },
    ]);
    const row = await getPortal(t.db, PORTAL);
    expect(cipher.decrypt(row!.accessTokenEnc!)).toBe('access-new');
    expect(row!.tokenExpiresAt!.getTime()).toBe(clock.now().getTime() + 1_800_000);
  });

  it('reports a 401 that survives the refresh as an auth error', async () => {
    await install('access-old', 'refresh-1', 30 * 60_000);
    contactAs('access-old').reply(401, {
      status: 'error',
      message: 'Authentication credentials not found',
      category: 'INVALID_AUTHENTICATION',
    });
    tokenEndpoint([], [200, { access_token: 'access-new', refresh_token: 'refresh-1', expires_in: 1800 }]);
    contactAs('access-new').reply(401, {
      status: 'error',
      message: 'Authentication credentials not found',
      category: 'INVALID_AUTHENTICATION',
    });

    const err = await portalVia(provider())
      .getObject('contacts', '51', ['email'])
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(HubSpotAuthError);
    expect((err as HubSpotAuthError).category).toBe('INVALID_AUTHENTICATION');
  });

  it('marks the portal uninstalled when HubSpot refuses the refresh token, and stops calling it', async () => {
    await install('access-old', 'refresh-revoked', 30 * 60_000);
    contactAs('access-old').reply(401, { status: 'error', message: 'expired', category: 'EXPIRED_AUTHENTICATION' });
    tokenEndpoint(
      [],
      [400, { status: 'BAD_REFRESH_TOKEN', message: 'missing or invalid refresh token', correlationId: 'c-1' }],
    );
    const portal = portalVia(provider());

    const err = await portal.getObject('contacts', '51', ['email']).catch((e: unknown) => e);
    const later = await portal.getObject('contacts', '51', ['email']).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(PortalNotConnectedError);
    expect(err).toMatchObject({ reason: 'refresh_refused' });
    expect((err as Error).message).toContain('BAD_REFRESH_TOKEN');
    expect(later).toMatchObject({ reason: 'uninstalled' });
    const row = await getPortal(t.db, PORTAL);
    expect(row).toMatchObject({ status: 'uninstalled', accessTokenEnc: null });
  });

  it('refreshes an expiring token before the call, once for ten concurrent callers', async () => {
    await install('access-old', 'refresh-1', 4 * 60_000); // inside the 5-minute margin
    const forms: URLSearchParams[] = [];
    tokenEndpoint(forms, [200, { access_token: 'access-new', refresh_token: 'refresh-2', expires_in: 1800 }]);
    contactAs('access-new').times(10).reply(200, contact);
    const portal = portalVia(provider());

    const results = await Promise.all(Array.from({ length: 10 }, () => portal.getObject('contacts', '51', ['email'])));

    expect(results.every((r) => r?.id === '51')).toBe(true);
    expect(forms).toHaveLength(1);
    expect(cipher.decrypt((await getPortal(t.db, PORTAL))!.refreshTokenEnc!)).toBe('refresh-2');
  });

  it('lets a second app copy reuse the token the first one refreshed', async () => {
    await install('access-old', 'refresh-1', 60_000);
    const forms: URLSearchParams[] = [];
    tokenEndpoint(forms, [200, { access_token: 'access-new', refresh_token: 'refresh-1', expires_in: 1800 }]);
    // Two providers with their own memory, as two processes would have, over one database.
    const [a, b] = [provider(), provider()];

    const tokens = await Promise.all([
      a.getAccessToken(PORTAL),
      b.getAccessToken(PORTAL),
      a.getAccessToken(PORTAL),
      b.getAccessToken(PORTAL),
    ]);

    expect(new Set(tokens)).toEqual(new Set(['access-new']));
    expect(forms).toHaveLength(1);
  });

  it('stores tokens sealed: neither column contains the token', async () => {
    await install('access-old', 'refresh-1', 60_000);
    tokenEndpoint(
      [],
      [200, { access_token: 'access-plain-secret', refresh_token: 'refresh-plain-secret', expires_in: 1800 }],
    );

    await provider().getAccessToken(PORTAL);

    const raw = await t.db.query<{ access_token_enc: string; refresh_token_enc: string }>(
      'SELECT access_token_enc, refresh_token_enc FROM portals WHERE portal_id = $1',
      [PORTAL],
    );
    const { access_token_enc, refresh_token_enc } = raw.rows[0]!;
    expect(access_token_enc).not.toContain('access-plain-secret');
    expect(refresh_token_enc).not.toContain('refresh-plain-secret');
    expect(cipher.decrypt(access_token_enc)).toBe('access-plain-secret');
  });

  it('refuses a portal that never installed the app', async () => {
    const err = await provider()
      .getAccessToken(999)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortalNotConnectedError);
    expect(err).toMatchObject({ reason: 'unknown' });
  });
});

describe('a failed refresh uninstalls only on HubSpot’s revocation answer', () => {
  const refreshFails = (status: number, body: object, times = 1) =>
    nock(BASE).post('/oauth/2026-03/token').times(times).reply(status, body);
  const refreshOk = () =>
    nock(BASE)
      .post('/oauth/2026-03/token')
      .reply(200, { access_token: 'access-new', refresh_token: 'refresh-1', expires_in: 1800, hub_id: PORTAL });
  const problems = () => health.list().filter((p) => p.key === `token-refresh:${PORTAL}`);

  it('marks the portal uninstalled on the OAuth 2 wording too (400 invalid_grant)', async () => {
    await install('access-old', 'refresh-revoked', 60_000);
    refreshFails(400, { error: 'invalid_grant', error_description: 'refresh token is invalid, expired or revoked' });

    const err = await provider()
      .getAccessToken(PORTAL)
      .catch((e: unknown) => e);

    expect(err).toMatchObject({ reason: 'refresh_refused' });
    expect(await getPortal(t.db, PORTAL)).toMatchObject({ status: 'uninstalled' });
  });

  it.each([
    { case: '429', status: 429, body: { status: 'error', message: 'ten_secondly_rolling', errorType: 'RATE_LIMIT' } },
    { case: '500', status: 500, body: { status: 'error', message: 'internal error', category: 'INTERNAL_ERROR' } },
    { case: '503', status: 503, body: { status: 'error', message: 'unavailable' } },
  ])(
    'a persistent $case is retried, backs off, shows on /healthz and leaves the portal active',
    async ({ status, body }) => {
      await install('access-old', 'refresh-1', 60_000);
      refreshFails(status, body, 3); // the first try and two quick retries
      const tokens = provider();

      // The stored token is due for a refresh but still alive: it keeps working while HubSpot fails.
      expect(await tokens.getAccessToken(PORTAL)).toBe('access-old');
      // Backing off: no call to HubSpot (nock refuses unexpected requests).
      expect(await tokens.getAccessToken(PORTAL)).toBe('access-old');
      expect(problems()).toEqual([expect.objectContaining({ portalId: PORTAL })]);
      expect(problems()[0]!.message).toContain('stays installed');
      expect(await getPortal(t.db, PORTAL)).toMatchObject({ status: 'active' });

      clock.advance(60_000); // the old token is dead and the first backoff step (5 s) is over
      refreshFails(status, body, 3);
      const err = await tokens.getAccessToken(PORTAL).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TokenRefreshUnavailableError);
      expect(err).toMatchObject({ status: 503, hubspotStatus: status });
      expect(await getPortal(t.db, PORTAL)).toMatchObject({ status: 'active' });

      clock.advance(11_000); // past the second backoff step (10 s)
      refreshOk();
      expect(await tokens.getAccessToken(PORTAL)).toBe('access-new');
      expect(problems()).toEqual([]);
    },
  );

  it('recovers within one call when a quick retry succeeds', async () => {
    await install('access-old', 'refresh-1', 0);
    refreshFails(502, { message: 'bad gateway' });
    refreshOk();

    expect(await provider().getAccessToken(PORTAL)).toBe('access-new');
    expect(problems()).toEqual([]);
  });

  it('a timeout backs off without a quick retry and never uninstalls', async () => {
    await install('access-old', 'refresh-1', 0);
    nock(BASE).post('/oauth/2026-03/token').delay(1_000).reply(200, {});

    const err = await provider()
      .getAccessToken(PORTAL)
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(TokenRefreshUnavailableError);
    expect(err).toMatchObject({ hubspotStatus: 0, category: 'TIMEOUT' });
    expect(problems()).toHaveLength(1);
    expect(await getPortal(t.db, PORTAL)).toMatchObject({ status: 'active' });
  });

  it.each([
    {
      case: '401 BAD_CLIENT_ID',
      status: 401,
      body: { status: 'BAD_CLIENT_ID', message: 'missing or invalid client id' },
    },
    {
      case: '400 BAD_CLIENT_ID',
      status: 400,
      body: { status: 'BAD_CLIENT_ID', message: 'missing or invalid client id' },
    },
  ])('our misconfigured client ($case) is reported, backs off and never uninstalls', async ({ status, body }) => {
    await install('access-old', 'refresh-1', 0);
    refreshFails(status, body);
    const tokens = provider();

    const err = await tokens.getAccessToken(PORTAL).catch((e: unknown) => e);
    const during = await tokens.getAccessToken(PORTAL).catch((e: unknown) => e); // backing off: no HubSpot call

    expect(err).toMatchObject({ category: 'OAUTH_CLIENT_REFUSED', hubspotStatus: status });
    expect(during).toMatchObject({ category: 'REFRESH_BACKING_OFF' });
    expect(problems()[0]!.message).toContain('HUBSPOT_CLIENT_ID');
    expect(await getPortal(t.db, PORTAL)).toMatchObject({ status: 'active' });
  });
});

describe('single-portal mode', () => {
  it('hands out the static token for HUBSPOT_PORTAL_ID and refuses other portals', async () => {
    const tokens = provider(testConfig({ HUBSPOT_ACCESS_TOKEN: 'pat-static', HUBSPOT_PORTAL_ID: '1001' }));

    expect(await tokens.getAccessToken(1001)).toBe('pat-static');
    await expect(tokens.getAccessToken(1002)).rejects.toBeInstanceOf(PortalNotConnectedError);
  });
});
