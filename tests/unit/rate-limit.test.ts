import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter } from '../../src/hubspot/backoff';
import { PortalRateLimiter, RateLimitPause, type RateLimitOptions } from '../../src/hubspot/rate-limiter';
import type { Timing } from '../../src/hubspot/timing';

const START = Date.parse('2026-03-02T10:00:00Z');
const FAR = Number.MAX_SAFE_INTEGER;

function setup(options: RateLimitOptions = {}) {
  let t = START;
  const sleeps: number[] = [];
  const timing: Timing = { now: () => t, sleep: async (ms) => void (sleeps.push(ms), (t += ms)), random: () => 0.5 };
  const limiter = new PortalRateLimiter({ max: 10, intervalMs: 10_000, headroom: 0.03, ...options }, timing);
  const headers = (h: Record<string, string>) => (name: string) => h[name] ?? null;
  /** Takes a permit and immediately gives the slot back, as a completed call would. */
  const call = async (kind: 'standard' | 'search' = 'standard', answer?: Record<string, string>) => {
    const permit = await limiter.acquire(kind, FAR);
    if (answer) limiter.observe(permit, headers(answer));
    limiter.release();
    return permit;
  };
  return { limiter, sleeps, call, elapsed: () => t - START, advance: (ms: number) => void (t += ms), headers };
}

describe('rolling window pacing', () => {
  it('lets the limit minus its reserve through at once, then waits for the oldest call to leave the window', async () => {
    const { call, sleeps } = setup({ max: 10 });
    for (let i = 0; i < 9; i++) await call();
    expect(sleeps).toEqual([]);

    await call();

    expect(sleeps).toEqual([10_000]);
  });

  it('spreads calls at the window rate once saturated', async () => {
    const { call, advance, elapsed } = setup({ max: 10 });
    for (let i = 0; i < 9; i++) {
      await call();
      advance(100);
    }
    for (let i = 0; i < 9; i++) await call();
    // The second batch of 9 follows the first one's start times, 10 s later.
    expect(elapsed()).toBe(10_000 + 8 * 100);
  });

  it.each([
    { max: '20', expectImmediate: 19 },
    { max: '190', expectImmediate: 184 },
  ])('adopts X-HubSpot-RateLimit-Max = $max', async ({ max, expectImmediate }) => {
    const { call, sleeps } = setup({ max: 10 });
    await call('standard', { 'x-hubspot-ratelimit-max': max, 'x-hubspot-ratelimit-interval-milliseconds': '10000' });
    for (let i = 1; i < expectImmediate; i++) await call();
    expect(sleeps).toEqual([]);
    await call();
    expect(sleeps).toHaveLength(1);
  });
});

describe('HubSpot’s Remaining count', () => {
  it('probes after a tenth of the window when other app copies used the allowance', async () => {
    const { call, sleeps } = setup({ max: 10 });
    await call('standard', { 'x-hubspot-ratelimit-remaining': '1' });
    await call();
    expect(sleeps).toEqual([1000]);
  });

  it('adds no wait of its own when it agrees with the local window', async () => {
    const { call, sleeps, advance } = setup({ max: 10 });
    // Nine calls, each answered with the count HubSpot would report after it (10 − n).
    for (let n = 1; n <= 9; n++) {
      await call('standard', { 'x-hubspot-ratelimit-remaining': String(10 - n) });
      advance(1000);
    }
    await call('standard', { 'x-hubspot-ratelimit-remaining': '0' });
    // Only the local window's wait: the first call leaves it 10 s after it started.
    expect(sleeps).toEqual([1000]);
  });

  it('pauses for a probe interval when the daily allowance reads 0', async () => {
    const { call, sleeps } = setup({ dailyProbeMs: 60_000 });
    await call('standard', { 'x-hubspot-ratelimit-daily-remaining': '0' });
    await call();
    expect(sleeps).toEqual([60_000]);
  });
});

describe('after a 429', () => {
  it.each([
    { policy: 'TEN_SECONDLY_ROLLING', retryAfter: 2000, pause: 2000 },
    { policy: 'TEN_SECONDLY_ROLLING', retryAfter: undefined, pause: 10_000 },
    { policy: 'DAILY', retryAfter: undefined, pause: 60_000 },
    { policy: 'DAILY', retryAfter: 45_000, pause: 45_000 },
  ])('$policy with Retry-After $retryAfter pauses every call for $pause ms', async ({ policy, retryAfter, pause }) => {
    const { limiter, call, sleeps } = setup({ dailyProbeMs: 60_000 });
    limiter.onRateLimited('standard', policy, retryAfter);
    await call();
    await call();
    expect(sleeps).toEqual([pause]);
  });

  it('pauses search alone on a SECONDLY 429', async () => {
    const { limiter, call, sleeps } = setup();
    limiter.onRateLimited('search', 'SECONDLY', 1000);
    await call('standard');
    expect(sleeps).toEqual([]);
    await call('search');
    expect(sleeps).toEqual([1000]);
  });

  it('refuses to wait past the caller’s deadline and frees the slot', async () => {
    const { limiter, call } = setup({ maxConcurrent: 1 });
    limiter.onRateLimited('standard', 'DAILY', 3_600_000);
    const err = await limiter.acquire('standard', START + 60_000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitPause);
    expect(err).toMatchObject({ policy: 'DAILY', until: START + 3_600_000 });
    // The slot was released: a later caller with a long enough budget still gets through.
    await expect(call()).resolves.toBeDefined();
  });
});

describe('search and concurrency', () => {
  it('keeps search to 5 per second on its own window', async () => {
    const { call, sleeps } = setup();
    for (let i = 0; i < 5; i++) await call('search');
    expect(sleeps).toEqual([]);
    await call('search');
    expect(sleeps).toEqual([1100]);
  });

  it('holds a caller until a call in flight finishes', async () => {
    const { limiter } = setup({ maxConcurrent: 2 });
    await limiter.acquire('standard', FAR);
    await limiter.acquire('standard', FAR);
    let third = false;
    const pending = limiter.acquire('standard', FAR).then(() => (third = true));
    await new Promise((r) => setImmediate(r));
    expect(third).toBe(false);
    limiter.release();
    await pending;
    expect(third).toBe(true);
  });
});

describe('backoff and Retry-After', () => {
  it.each([
    { retry: 1, random: 0, delay: 250 },
    { retry: 1, random: 0.999, delay: 500 },
    { retry: 3, random: 0, delay: 1000 },
    { retry: 10, random: 0.5, delay: 15_000 }, // capped at maxMs before jitter
  ])('retry $retry with random $random waits $delay ms', ({ retry, random, delay }) => {
    expect(backoffDelay(retry, { baseMs: 500, maxMs: 20_000 }, random)).toBe(delay);
  });

  it.each([
    { header: '3', ms: 3000 },
    { header: '0.5', ms: 500 },
    { header: 'Mon, 02 Mar 2026 10:00:30 GMT', ms: 30_000 },
    { header: 'soon', ms: undefined },
    { header: null, ms: undefined },
  ])('reads Retry-After "$header" as $ms ms', ({ header, ms }) => {
    expect(parseRetryAfter(header, START)).toBe(ms);
  });
});
