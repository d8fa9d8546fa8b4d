import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Running } from './helpers';

let s: Running;
const redirectUri = 'http://127.0.0.1:9/oauth/callback';
beforeAll(async () => {
  s = await startSandbox({
    portals: [
      { portalId: 1001, accessToken: 'token-a', seed: { contacts: 30, seed: 1 } },
      { portalId: 2002, accessToken: 'token-b', seed: { contacts: 20, seed: 1 } },
    ],
    app: { redirectUris: [redirectUri] },
  });
});
afterAll(() => s.sandbox.close());

async function install(portalId?: number): Promise<{ code: string; state: string | null }> {
  const query = new URLSearchParams({
    client_id: 'sandbox-client-id',
    redirect_uri: redirectUri,
    scope: 'oauth crm.objects.contacts.read',
    state: 'xyz',
  });
  const path = portalId ? `/oauth/${portalId}/authorize` : '/oauth/authorize';
  const res = await fetch(`${s.url}${path}?${query}`, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location')!);
  expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
  return { code: location.searchParams.get('code')!, state: location.searchParams.get('state') };
}

const oauthClient = () => new Client({ basePath: s.url });
const exchange = (code: string) =>
  oauthClient().oauth.tokensApi.create(
    'authorization_code',
    code,
    redirectUri,
    'sandbox-client-id',
    'sandbox-client-secret',
  );

describe('OAuth', () => {
  it('auto-approves an install, exchanges the code through the SDK and reports the portal behind the token', async () => {
    const { code, state } = await install(2002);
    expect(state).toBe('xyz');
    const tokens = await exchange(code);
    expect(tokens).toMatchObject({
      tokenType: 'bearer',
      expiresIn: 1800,
      refreshToken: expect.any(String),
      accessToken: expect.any(String),
    });
    const info = await (await fetch(`${s.url}/oauth/v1/access-tokens/${tokens.accessToken}`)).json();
    expect(info).toMatchObject({
      hub_id: 2002,
      app_id: 424242,
      scopes: ['oauth', 'crm.objects.contacts.read'],
      expires_in: expect.any(Number),
    });
    const page = await new Client({ accessToken: tokens.accessToken, basePath: s.url }).crm.contacts.basicApi.getPage(
      100,
    );
    expect(page.results).toHaveLength(20);
    const res = await s.api('/crm/v3/owners', { token: tokens.accessToken });
    expect(res.headers.get('x-hubspot-ratelimit-max')).toBe('110');
    expect(res.headers.get('x-hubspot-ratelimit-daily')).toBeNull();
  });

  it('refuses a reused code, a wrong secret and a JSON body with HubSpot’s OAuth error statuses', async () => {
    const { code } = await install();
    await exchange(code);
    await expect(exchange(code)).rejects.toMatchObject({ code: 400, body: { status: 'BAD_AUTH_CODE' } });
    const { code: fresh } = await install();
    await expect(
      oauthClient().oauth.tokensApi.create('authorization_code', fresh, redirectUri, 'sandbox-client-id', 'wrong'),
    ).rejects.toMatchObject({ code: 400, body: { status: 'BAD_CLIENT_ID' } });
    const json = await fetch(`${s.url}/oauth/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'authorization_code',
        code: fresh,
        client_id: 'sandbox-client-id',
        client_secret: 'sandbox-client-secret',
        redirect_uri: redirectUri,
      }),
    });
    expect(json.status).toBe(400);
  });

  it('refreshes with the refresh token, and after an uninstall the refresh fails with BAD_REFRESH_TOKEN', async () => {
    const tokens = await exchange((await install(1001)).code);
    const refreshed = await oauthClient().oauth.tokensApi.create(
      'refresh_token',
      undefined,
      undefined,
      'sandbox-client-id',
      'sandbox-client-secret',
      tokens.refreshToken,
    );
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    const uninstall = await s.control('/oauth/uninstall', 'POST', { portalId: 1001 });
    expect(uninstall.status).toBe(200);
    await expect(
      oauthClient().oauth.tokensApi.create(
        'refresh_token',
        undefined,
        undefined,
        'sandbox-client-id',
        'sandbox-client-secret',
        tokens.refreshToken,
      ),
    ).rejects.toMatchObject({ code: 400, body: { status: 'BAD_REFRESH_TOKEN' } });
    const res = await s.api('/crm/v3/objects/contacts', { token: refreshed.accessToken });
    expect(res.status).toBe(401);
  });

  it('rejects expired access tokens with 401 EXPIRED_AUTHENTICATION and unknown ones with INVALID_AUTHENTICATION', async () => {
    const short = await startSandbox({ accessTokenTtlSeconds: 0, seed: { contacts: 1 } });
    try {
      const query = new URLSearchParams({ client_id: 'sandbox-client-id', redirect_uri: redirectUri });
      const code = new URL(
        (await fetch(`${short.url}/oauth/authorize?${query}`, { redirect: 'manual' })).headers.get('location')!,
      ).searchParams.get('code')!;
      const tokens = await new Client({ basePath: short.url }).oauth.tokensApi.create(
        'authorization_code',
        code,
        redirectUri,
        'sandbox-client-id',
        'sandbox-client-secret',
      );
      const expired = await short.api('/crm/v3/objects/contacts', { token: tokens.accessToken });
      expect(expired.status).toBe(401);
      expect(await expired.json()).toMatchObject({
        status: 'error',
        category: 'EXPIRED_AUTHENTICATION',
        message: expect.stringMatching(/expired \d+ second\(s\) ago/),
      });
    } finally {
      await short.sandbox.close();
    }
    const unknown = await s.api('/crm/v3/objects/contacts', { token: 'nope' });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toMatchObject({
      status: 'error',
      category: 'INVALID_AUTHENTICATION',
      message: expect.stringMatching(/^Authentication credentials not found/),
    });
  });
});

describe('Multiple portals', () => {
  it('never shows one portal’s records to another portal’s token', async () => {
    const a = await s.client('token-a').crm.contacts.getAll(100, undefined, ['email']);
    const b = await s.client('token-b').crm.contacts.getAll(100, undefined, ['email']);
    expect(a.length).toBeGreaterThanOrEqual(30);
    expect(b).toHaveLength(20);
    const created = await s
      .client('token-a')
      .crm.contacts.basicApi.create({ properties: { email: 'only-in-a@example.com' }, associations: [] });
    const fromB = await s.api('/crm/v3/objects/contacts/only-in-a@example.com?idProperty=email', { token: 'token-b' });
    expect(fromB.status).toBe(404);
    const searchB = await s.client('token-b').crm.contacts.searchApi.doSearch({ query: 'only-in-a' });
    expect(searchB.total).toBe(0);
    expect(s.sandbox.crm.getContact(created.id, { portalId: 1001 }).properties.email).toBe('only-in-a@example.com');
    expect(new Set(a.map((c) => c.properties.email)).has(b[0]!.properties.email)).toBe(false);
  });

  it('seeds the same portal identically for the same seed number', async () => {
    const first = s.sandbox.seed({ portalId: 2002, seed: 7, contacts: 25 });
    const emailsFirst = (await s.client('token-b').crm.contacts.getAll(100, undefined, ['email'])).map(
      (c) => c.properties.email,
    );
    const again = s.sandbox.seed({ portalId: 2002, seed: 7, contacts: 25 });
    const emailsAgain = (await s.client('token-b').crm.contacts.getAll(100, undefined, ['email'])).map(
      (c) => c.properties.email,
    );
    expect(again).toEqual(first);
    expect(emailsAgain).toEqual(emailsFirst);
  });
});
