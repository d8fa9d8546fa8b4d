import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock';
import { SIGN_IN_WINDOW_MS } from '../../src/auth/sign-in-throttle';
import { useNockedServer } from '../helpers/nocked-server';
import { Browser, hiddenCsrf } from './dashboard-http';
import { nockOwners, seedFixture } from './insights-fixture';

// Guessing at sign-in is throttled: wrong admin tokens (form and bearer) and unknown one-time links count per
// client address (behind one trusted proxy: X-Forwarded-For) and per portal; past the limit, 429 with Retry-After.

const ADMIN = 'test-admin-token-0123456789';
const clock = fixedClock('2026-07-01T12:00:00Z');
const s = useNockedServer({
  env: { RUN_WORKERS: 'false', TRUST_PROXY_HOPS: '1' },
  start: { clock },
  before: () => nockOwners(),
  seed: (server) => seedFixture(server.deps.db),
});

let ipSeq = 0;
const freshIp = () => `203.0.113.${++ipSeq}`;

async function formSignIn(ip: string, token: string): Promise<Response> {
  const b = new Browser(s().url);
  const page = await b.fetch('/dashboard/sign-in', { headers: { 'x-forwarded-for': ip } });
  return b.form('/dashboard/sign-in', { token, _csrf: hiddenCsrf(await page.text()) }, { 'x-forwarded-for': ip });
}

const bearer = (ip: string, token: string) =>
  fetch(`${s().url}/api/settings`, { headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': ip } });

const failures = async () =>
  Number((await s().deps.db.query<{ n: string }>('SELECT count(*) AS n FROM sign_in_failures')).rows[0]!.n);

describe('sign-in throttle', () => {
  it('11 wrong admin tokens from one address: the 11th is 429 with Retry-After, a right token too', async () => {
    const ip = freshIp();
    for (let i = 0; i < 10; i++) expect((await formSignIn(ip, 'wrong-admin-token-000000')).status).toBe(401);
    const res = await formSignIn(ip, 'wrong-admin-token-000000');
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBe(15 * 60);
    expect(await res.text()).toMatch(/Too many failed sign-in attempts\. Try again in 15 minute\(s\), after 12:15 UTC/);
    expect((await formSignIn(ip, ADMIN)).status).toBe(429);
    const api = await bearer(ip, ADMIN);
    expect(api.status).toBe(429);
    expect(api.headers.get('retry-after')).toBe(String(15 * 60));
    expect((await api.json()).error).toEqual({
      code: 'too_many_attempts',
      message: expect.stringContaining('Try again'),
    });

    // Another address still signs in with the right token.
    expect((await formSignIn(freshIp(), ADMIN)).status).toBe(303);
    expect((await bearer(freshIp(), ADMIN)).status).toBe(200);

    // The window slides by on the app's clock.
    clock.advance(SIGN_IN_WINDOW_MS - 60_000);
    const later = await formSignIn(ip, ADMIN);
    expect(later.status).toBe(429);
    expect(later.headers.get('retry-after')).toBe('60');
    clock.advance(60_000);
    expect((await formSignIn(ip, ADMIN)).status).toBe(303);
  });

  it('successes do not count, and old failures are pruned', async () => {
    const ip = freshIp();
    for (let i = 0; i < 15; i++) expect((await formSignIn(ip, ADMIN)).status).toBe(303);
    clock.advance(SIGN_IN_WINDOW_MS + 1);
    await formSignIn(ip, 'wrong-admin-token-000000');
    expect(await failures()).toBe(1);
  });

  it('wrong bearer tokens count too', async () => {
    const ip = freshIp();
    for (let i = 0; i < 10; i++) expect((await bearer(ip, 'wrong-admin-token-000000')).status).toBe(401);
    expect((await bearer(ip, ADMIN)).status).toBe(429);
    expect((await formSignIn(ip, ADMIN)).status).toBe(429);
    clock.advance(SIGN_IN_WINDOW_MS);
  });

  it('unknown or tampered one-time links count against the address', async () => {
    const ip = freshIp();
    const b = new Browser(s().url);
    const open = (token: string) => b.fetch(`/dashboard/sign-in/link/${token}`, { headers: { 'x-forwarded-for': ip } });
    for (let i = 0; i < 9; i++) expect((await open('A'.repeat(42) + String(i))).status).toBe(404);
    expect((await open('tampered')).status).toBe(404);
    const res = await open('B'.repeat(43));
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe(String(15 * 60));
    expect(await res.text()).toContain('Too many failed sign-in attempts');
    clock.advance(SIGN_IN_WINDOW_MS);
  });

  it('50 failures for the portal from many addresses lock the portal, whatever the address', async () => {
    for (let i = 0; i < 50; i++) expect((await formSignIn(freshIp(), 'wrong-admin-token-000000')).status).toBe(401);
    const res = await formSignIn(freshIp(), ADMIN);
    expect(res.status).toBe(429);
    clock.advance(SIGN_IN_WINDOW_MS);
    expect((await formSignIn(freshIp(), ADMIN)).status).toBe(303);
  });
});
