import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Running } from './helpers';

// The sandbox reads HubSpot's limits pessimistically: one ten-second window per portal, whatever token calls, so
// several private-app tokens (or several app copies) of one portal share it.

let s: Running;
beforeAll(async () => {
  s = await startSandbox({
    portals: [
      { portalId: 501, accessToken: ['token-a', 'token-b'], seed: { contacts: 2 } },
      { portalId: 502, accessToken: 'token-c', seed: { contacts: 2 } },
    ],
    rateLimits: { tenSecondlyMax: 4 },
  });
});
afterAll(() => s.sandbox.close());

describe('rate limits per portal', () => {
  it('counts every token of a portal in one window, with headers that count down across tokens', async () => {
    const remaining: Array<string | null> = [];
    for (const token of ['token-a', 'token-b', 'token-a', 'token-b']) {
      const res = await s.api('/crm/v3/objects/contacts?limit=1', { token });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-hubspot-ratelimit-max')).toBe('4');
      expect(res.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
      remaining.push(res.headers.get('x-hubspot-ratelimit-remaining'));
    }
    expect(remaining).toEqual(['3', '2', '1', '0']);

    const limited = await s.api('/crm/v3/objects/contacts?limit=1', { token: 'token-b' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toMatchObject({ policyName: 'TEN_SECONDLY_ROLLING', errorType: 'RATE_LIMIT' });

    // Another portal has its own window.
    expect((await s.api('/crm/v3/objects/contacts?limit=1', { token: 'token-c' })).status).toBe(200);
    expect(s.sandbox.rateLimits.stats()).toEqual({
      accepted: 5,
      limited: 1,
      limitedByPolicy: { TEN_SECONDLY_ROLLING: 1 },
    });
  });
});
