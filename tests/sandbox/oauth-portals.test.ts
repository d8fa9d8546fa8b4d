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

/** POST a form to one of HubSpot's dated OAuth endpoints; returns status and JSON body. */
async function formPost(base: string, path: string, fields: Record<string, string | undefined>) {
  const body = new URLSearchParams(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined));
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
const client = { client_id: 'sandbox-client-id', client_secret: 'sandbox-client-secret' };
const token = (fields: Record<string, string | undefined>, base = s.url) =>
  formPost(base, '/oauth/2026-03/token', { ...client, ...fields });
const exchange = (code: string, base = s.url) =>
  token({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }, base);
const refresh = (refreshToken: string) => token({ grant_type: 'refresh_token', refresh_token: refreshToken });

describe('OAuth (date-versioned endpoints only)', () => {
  it('auto-approves an install, exchanges the code, and names the portal and scopes in the token answer', async () => {
    const { code, state } = await install(2002);
    expect(state).toBe('xyz');
    const tokens = await exchange(code);
    expect(tokens).toMatchObject({
      status: 200,
      body: {
        token_type: 'bearer',
        expires_in: 1800,
        hub_id: 2002,
        scopes: ['oauth', 'crm.objects.contacts.read'],
        refresh_token: expect.any(String),
        access_token: expect.any(String),
      },
    });
    const accessToken = tokens.body.access_token as string;
    const info = await formPost(s.url, '/oauth/2026-03/token/introspect', { ...client, token: accessToken });
    expect(info.body).toMatchObject({
      active: true,
      hub_id: 2002,
      app_id: 424242,
      scopes: ['oauth', 'crm.objects.contacts.read'],
    });
    const unknown = await formPost(s.url, '/oauth/2026-03/token/introspect', { ...client, token: 'nope' });
    expect(unknown).toEqual({ status: 200, body: { active: false } });
    const page = await new Client({ accessToken, basePath: s.url }).crm.contacts.basicApi.getPage(100);
    expect(page.results).toHaveLength(20);
    const res = await s.api('/crm/v3/owners', { token: accessToken });
    expect(res.headers.get('x-hubspot-ratelimit-max')).toBe('110');
    expect(res.headers.get('x-hubspot-ratelimit-daily')).toBeNull();
  });

  it('no longer answers the v1 endpoints', async () => {
    const v1 = await fetch(`${s.url}/oauth/v1/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'x', ...client }),
    });
    expect(v1.status).toBe(401); // not an OAuth route any more: the bearer-token API answers
  });

  it('refuses a reused, expired or foreign code, a wrong secret and a JSON body with HubSpot-style errors', async () => {
    const { code } = await install();
    expect((await exchange(code)).status).toBe(200);
    const reused = await exchange(code);
    expect(reused).toMatchObject({
      status: 400,
      body: {
        status: 'error',
        category: 'VALIDATION_ERROR',
        subCategory: 'BAD_AUTH_CODE',
        correlationId: expect.any(String),
      },
    });
    const expired = s.sandbox.oauth.startInstall({ redirectUri, codeTtlSeconds: 0 }).searchParams.get('code')!;
    expect(await exchange(expired)).toMatchObject({ status: 400, body: { subCategory: 'BAD_AUTH_CODE' } });
    const other = await startSandbox({ app: { clientId: 'other-app', redirectUris: [redirectUri] } });
    try {
      const foreign = other.sandbox.oauth.startInstall({}).searchParams.get('code')!;
      expect(await exchange(foreign)).toMatchObject({ status: 400, body: { subCategory: 'BAD_AUTH_CODE' } });
    } finally {
      await other.sandbox.close();
    }
    const { code: fresh } = await install();
    const wrongSecret = await formPost(s.url, '/oauth/2026-03/token', {
      grant_type: 'authorization_code',
      code: fresh,
      redirect_uri: redirectUri,
      client_id: 'sandbox-client-id',
      client_secret: 'wrong',
    });
    expect(wrongSecret).toMatchObject({ status: 401, body: { subCategory: 'BAD_CLIENT_ID' } });
    const json = await fetch(`${s.url}/oauth/2026-03/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'authorization_code', code: fresh, redirect_uri: redirectUri, ...client }),
    });
    expect(json.status).toBe(401);
  });

  it('starts an install from HubSpot: the redirect URL gets a fresh code and no state', async () => {
    const res = await s.control('/oauth/hubspot-install', 'POST', {
      portalId: 2002,
      scope: 'oauth crm.objects.contacts.read',
      optionalScope: 'automation',
    });
    const { location, code } = (await res.json()) as { location: string; code: string };
    const url = new URL(location);
    expect(`${url.origin}${url.pathname}`).toBe(redirectUri);
    expect(url.searchParams.get('state')).toBeNull();
    expect((await exchange(code)).body).toMatchObject({
      hub_id: 2002,
      scopes: ['oauth', 'crm.objects.contacts.read', 'automation'],
    });
  });

  it('grants an optional scope only when the account has it, and refuses an install missing a required one', async () => {
    expect((await s.control('/oauth/lacking-scopes', 'PUT', { portalId: 2002, scopes: ['automation'] })).status).toBe(
      200,
    );
    try {
      const { code } = (await (
        await s.control('/oauth/hubspot-install', 'POST', {
          portalId: 2002,
          scope: 'oauth',
          optionalScope: 'automation',
        })
      ).json()) as { code: string };
      const tokens = await exchange(code);
      expect(tokens.body).toMatchObject({ hub_id: 2002, scopes: ['oauth'] });
      const callback = await s.api('/automation/v4/actions/callbacks/complete', {
        method: 'POST',
        token: tokens.body.access_token as string,
        body: JSON.stringify({ callbackId: 'x', outputFields: {} }),
      });
      expect(callback.status).toBe(403);
      expect(await callback.json()).toMatchObject({ category: 'MISSING_SCOPES' });
      const refused = await s.control('/oauth/hubspot-install', 'POST', { portalId: 2002, scope: 'oauth automation' });
      expect(refused.status).toBe(400);
    } finally {
      await s.control('/oauth/lacking-scopes', 'PUT', { portalId: 2002, scopes: [] });
    }
  });

  it('refreshes with the refresh token, and after an uninstall the refresh fails with BAD_REFRESH_TOKEN', async () => {
    const tokens = (await exchange((await install(1001)).code)).body;
    const refreshed = await refresh(tokens.refresh_token as string);
    expect(refreshed.body.access_token).not.toBe(tokens.access_token);
    expect(refreshed.body).toMatchObject({ hub_id: 1001, scopes: ['oauth', 'crm.objects.contacts.read'] });
    const uninstall = await s.control('/oauth/uninstall', 'POST', { portalId: 1001 });
    expect(uninstall.status).toBe(200);
    expect(await refresh(tokens.refresh_token as string)).toMatchObject({
      status: 400,
      body: { status: 'error', subCategory: 'BAD_REFRESH_TOKEN' },
    });
    const res = await s.api('/crm/v3/objects/contacts', { token: refreshed.body.access_token as string });
    expect(res.status).toBe(401);
  });

  it('can make the token endpoint answer 429 or 5xx (fault injection scoped to its path)', async () => {
    const tokens = (await exchange((await install(1001)).code)).body;
    await s.control('/faults', 'PUT', { paths: ['/oauth/2026-03/token'] });
    await s.control('/faults/fail-next', 'POST', { count: 2, status: 429 });
    try {
      expect((await refresh(tokens.refresh_token as string)).status).toBe(429);
      expect((await refresh(tokens.refresh_token as string)).status).toBe(429);
      expect((await refresh(tokens.refresh_token as string)).status).toBe(200);
    } finally {
      await s.control('/faults', 'DELETE');
    }
  });

  it('rejects expired access tokens with 401 EXPIRED_AUTHENTICATION and unknown ones with INVALID_AUTHENTICATION', async () => {
    const short = await startSandbox({ accessTokenTtlSeconds: 0, seed: { contacts: 1 } });
    try {
      const query = new URLSearchParams({ client_id: 'sandbox-client-id', redirect_uri: redirectUri });
      const code = new URL(
        (await fetch(`${short.url}/oauth/authorize?${query}`, { redirect: 'manual' })).headers.get('location')!,
      ).searchParams.get('code')!;
      const tokens = (await exchange(code, short.url)).body;
      const expired = await short.api('/crm/v3/objects/contacts', { token: tokens.access_token as string });
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
