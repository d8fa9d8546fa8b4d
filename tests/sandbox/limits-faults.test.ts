import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Running } from './helpers';

let s: Running;
beforeAll(async () => {
  s = await startSandbox({ seed: { contacts: 50 }, rateLimits: { tenSecondlyMax: 5, dailyMax: 1000 } });
});
afterAll(() => s.sandbox.close());
beforeEach(() => {
  s.sandbox.rateLimits.reset();
  s.sandbox.faults.clear();
});

describe('Rate limits', () => {
  it('sends the rolling-window and daily headers, counting down', async () => {
    const first = await s.api('/crm/v3/objects/contacts?limit=1');
    const limits: Record<string, string> = {};
    first.headers.forEach((value, key) => {
      if (key.startsWith('x-hubspot-ratelimit')) limits[key] = value;
    });
    expect(limits).toEqual({
      'x-hubspot-ratelimit-interval-milliseconds': '10000',
      'x-hubspot-ratelimit-max': '5',
      'x-hubspot-ratelimit-remaining': '4',
      'x-hubspot-ratelimit-daily': '1000',
      'x-hubspot-ratelimit-daily-remaining': '999',
    });
    const second = await s.api('/crm/v3/objects/contacts?limit=1');
    expect(second.headers.get('x-hubspot-ratelimit-remaining')).toBe('3');
  });

  it('over the ten-second limit, answers 429 TEN_SECONDLY_ROLLING with Retry-After, and applies no write', async () => {
    for (let i = 0; i < 5; i++) expect((await s.api('/crm/v3/objects/contacts?limit=1')).status).toBe(200);
    const res = await s.api('/crm/v3/objects/contacts', {
      method: 'POST',
      body: JSON.stringify({ properties: { email: 'late@example.com' } }),
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await res.json()).toEqual({
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      correlationId: expect.any(String),
      policyName: 'TEN_SECONDLY_ROLLING',
      requestId: expect.any(String),
    });
    expect(s.sandbox.portal().findByEmail('late@example.com')).toBeUndefined();
  });

  it('over the daily limit, answers 429 with policyName DAILY', async () => {
    s.sandbox.rateLimits.configure({ dailyMax: 2, tenSecondlyMax: 100 });
    await s.api('/crm/v3/objects/contacts?limit=1');
    await s.api('/crm/v3/objects/contacts?limit=1');
    const res = await s.api('/crm/v3/objects/contacts?limit=1');
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({ policyName: 'DAILY', message: 'You have reached your daily limit.' });
    s.sandbox.rateLimits.configure({ dailyMax: 1000, tenSecondlyMax: 5 });
  });
});

describe('Fault injection', () => {
  it('answers 502 and 503 with an HTML body like HubSpot’s edge', async () => {
    s.sandbox.faults.failNext(1, 502);
    const res = await s.api('/crm/v3/objects/contacts?limit=1');
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toContain('<title>502 Bad Gateway</title>');
    expect((await s.api('/crm/v3/objects/contacts?limit=1')).status).toBe(200);
  });

  it('a faulted write is never applied', async () => {
    s.sandbox.faults.set({ errorRate: 1, errorStatuses: [500] });
    const res = await s.api('/crm/v3/objects/contacts', {
      method: 'POST',
      body: JSON.stringify({ properties: { email: 'faulted@example.com' } }),
    });
    expect(res.status).toBe(500);
    expect(s.sandbox.portal().findByEmail('faulted@example.com')).toBeUndefined();
  });

  it('an outage answers 503 to every API call until it ends, while the control API keeps working', async () => {
    await s.control('/faults/outage', 'POST', {});
    expect((await s.api('/crm/v3/objects/contacts?limit=1')).status).toBe(503);
    expect((await s.api('/crm/v3/owners')).status).toBe(503);
    expect((await s.control('/state')).status).toBe(200);
    await s.control('/faults/outage', 'DELETE');
    expect((await s.api('/crm/v3/objects/contacts?limit=1')).status).toBe(200);
  });

  it('a timed outage ends by itself', async () => {
    s.sandbox.faults.startOutage(0.5);
    expect((await s.api('/crm/v3/owners')).status).toBe(503);
    await new Promise((r) => setTimeout(r, 600));
    expect((await s.api('/crm/v3/owners')).status).toBe(200);
  });

  it('adds latency and can hang a response until the client gives up', async () => {
    s.sandbox.faults.set({ latencyMs: 150 });
    const started = Date.now();
    expect((await s.api('/crm/v3/owners')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    s.sandbox.faults.set({ timeoutRate: 1 });
    await expect(s.api('/crm/v3/owners', { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    s.sandbox.faults.set({ timeoutRate: 1, hangMs: 50 });
    expect((await s.api('/crm/v3/owners')).status).toBe(504);
  });

  it('a 429 fault looks like HubSpot’s TEN_SECONDLY_ROLLING answer, so the SDK’s retry logic recognises it', async () => {
    await s.control('/faults/fail-next', 'POST', { count: 1, status: 429 });
    const res = await s.api('/crm/v3/owners');
    expect(res.status).toBe(429);
    expect(await res.json()).toMatchObject({ policyName: 'TEN_SECONDLY_ROLLING', errorType: 'RATE_LIMIT' });
    expect(res.headers.get('retry-after')).toBe('1');
    expect(res.headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('10000');
    expect(res.headers.get('x-hubspot-ratelimit-max')).toBe('5');
    expect(res.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
  });

  it('counts every faultable API call it saw, faulted or served, but not control calls', async () => {
    const before = s.sandbox.faults.state().injected;
    s.sandbox.faults.failNext(1, 500);
    expect((await s.api('/crm/v3/owners')).status).toBe(500);
    expect((await s.api('/crm/v3/owners')).status).toBe(200);
    await s.control('/faults', 'GET');
    const after = s.sandbox.faults.state().injected;
    expect(after.calls - before.calls).toBe(2);
    expect(after.errors - before.errors).toBe(1);
  });

  it('faults can be limited to some paths and configured over HTTP', async () => {
    const put = await s.control('/faults', 'PUT', { errorRate: 1, errorStatuses: [503], paths: ['/crm/v3/objects'] });
    expect(await put.json()).toMatchObject({ errorRate: 1, paths: ['/crm/v3/objects'] });
    expect((await s.api('/crm/v3/objects/contacts?limit=1')).status).toBe(503);
    expect((await s.api('/crm/v3/owners')).status).toBe(200);
    await s.control('/faults', 'DELETE');
    expect((await s.api('/crm/v3/objects/contacts?limit=1')).status).toBe(200);
  });
});
