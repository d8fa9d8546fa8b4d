import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHubSpotClient } from '../../src/hubspot/sdk-client';
import {
  HubSpotConflictError,
  HubSpotNotFoundError,
  HubSpotRateLimitError,
  HubSpotUnavailableError,
  HubSpotValidationError,
} from '../../src/hubspot/errors';
import type { Timing } from '../../src/hubspot/timing';
import { silentLogger } from '../../src/shared/logger';
import { createMetrics, type Metrics } from '../../src/shared/metrics';

// The HubSpot client against HubSpot's wire format, with nock at the HTTP boundary. Waits (backoff, 429 pauses) run on
// a manual clock so the suite stays fast; only request timeouts use real time.

const BASE = 'https://api.hubapi.com';
const PORTAL = 4242;
const TOKEN = 'pat-na1-static-token';

function manualTiming(): Timing & { sleeps: number[] } {
  let t = Date.parse('2026-03-02T10:00:00Z');
  const sleeps: number[] = [];
  return { sleeps, now: () => t, sleep: async (ms) => void (sleeps.push(ms), (t += ms)), random: () => 0.5 };
}

let timing: ReturnType<typeof manualTiming>;
let metrics: Metrics;

function portal(opts: { timeoutMs?: number; maxAttempts?: number; maxWaitMs?: number } = {}) {
  return createHubSpotClient({
    baseUrl: BASE,
    tokens: { getAccessToken: async () => TOKEN },
    logger: silentLogger,
    metrics,
    timing,
    timeoutMs: opts.timeoutMs ?? 2000,
    maxAttempts: opts.maxAttempts ?? 3,
    backoff: { baseMs: 100, maxMs: 1000 },
    rateLimit: { maxWaitMs: opts.maxWaitMs ?? 60_000 },
  }).forPortal(PORTAL);
}

async function counter(name: string, labels: Record<string, string>): Promise<number> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const value = metric?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return value?.value ?? 0;
}

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});

beforeEach(() => {
  timing = manualTiming();
  metrics = createMetrics();
});

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

const contact = {
  id: '51',
  properties: { email: 'ana@example.com', firstname: 'Ana' },
  createdAt: '2026-01-01T00:00:00Z',
  archived: false,
};

describe('HubSpot client: answers become typed results and errors', () => {
  it('reads a contact with the bearer token and the requested properties', async () => {
    nock(BASE, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
      .get('/crm/v3/objects/contacts/51')
      .query({ properties: 'email,firstname', archived: 'false' })
      .reply(200, contact, {
        'X-HubSpot-RateLimit-Max': '190',
        'X-HubSpot-RateLimit-Remaining': '189',
        'X-HubSpot-RateLimit-Interval-Milliseconds': '10000',
      });

    const found = await portal().getObject('contacts', '51', ['email', 'firstname']);

    expect(found).toMatchObject({ id: '51', properties: { email: 'ana@example.com', firstname: 'Ana' } });
    expect(await counter('nps_hubspot_calls_total', { portal: String(PORTAL), status: '200' })).toBe(1);
  });

  it('turns a 400 into a validation error naming the property HubSpot rejected', async () => {
    const details = [
      {
        isValid: false,
        message: 'Property "nps_scor" does not exist',
        error: 'PROPERTY_DOESNT_EXIST',
        name: 'nps_scor',
      },
    ];
    nock(BASE)
      .patch('/crm/v3/objects/contacts/51', { properties: { nps_scor: '9' } })
      .reply(400, {
        status: 'error',
        message: `Property values were not valid: ${JSON.stringify(details)}`,
        correlationId: 'c-400',
        category: 'VALIDATION_ERROR',
      });

    const err = await portal()
      .updateObject('contacts', '51', { nps_scor: 9 })
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(HubSpotValidationError);
    const v = err as HubSpotValidationError;
    expect(v.status).toBe(400);
    expect(v.correlationId).toBe('c-400');
    expect(v.propertyErrors).toEqual([
      { name: 'nps_scor', error: 'PROPERTY_DOESNT_EXIST', message: 'Property "nps_scor" does not exist' },
    ]);
    expect(v.message).toContain('PATCH /crm/v3/objects/contacts/51');
  });

  it('answers null for a record HubSpot does not have, and a typed 404 for a write to it', async () => {
    const missing = {
      status: 'error',
      message: 'resource not found',
      category: 'OBJECT_NOT_FOUND',
      correlationId: 'c-404',
    };
    nock(BASE).get('/crm/v3/objects/contacts/77').query(true).reply(404, missing);
    nock(BASE).patch('/crm/v3/objects/contacts/77').reply(404, missing);

    expect(await portal().getObject('contacts', '77', ['email'])).toBeNull();
    const err = await portal()
      .updateObject('contacts', '77', { nps_score: 3 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HubSpotNotFoundError);
    expect((err as HubSpotNotFoundError).category).toBe('OBJECT_NOT_FOUND');
  });

  it('reports the existing id when a create conflicts, and does not retry the create', async () => {
    nock(BASE)
      .post('/crm/v3/objects/contacts')
      .once()
      .reply(409, { status: 'error', message: 'Contact already exists. Existing ID: 901', category: 'CONFLICT' });

    const err = await portal()
      .createObject('contacts', { properties: { email: 'ana@example.com' } })
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(HubSpotConflictError);
    expect((err as HubSpotConflictError).existingId).toBe('901');
  });
});

describe('HubSpot client: failures it rides out', () => {
  it('retries a 5xx with backoff and returns the later success', async () => {
    nock(BASE)
      .get('/crm/v3/objects/contacts/51')
      .query(true)
      .reply(500, { status: 'error', message: 'internal error', category: 'INTERNAL_ERROR' });
    nock(BASE).get('/crm/v3/objects/contacts/51').query(true).reply(200, contact);

    expect(await portal().getObject('contacts', '51', ['email'])).toMatchObject({ id: '51' });
    // Equal jitter with random() = 0.5: three quarters of the 100 ms base.
    expect(timing.sleeps).toEqual([75]);
  });

  it('reads an HTML 502 page without choking and gives up after the configured attempts', async () => {
    const html =
      '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>';
    nock(BASE)
      .get('/crm/v3/objects/contacts/51')
      .query(true)
      .times(3)
      .reply(502, html, { 'Content-Type': 'text/html' });

    const err = await portal()
      .getObject('contacts', '51', ['email'])
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(HubSpotUnavailableError);
    expect((err as HubSpotUnavailableError).status).toBe(502);
    expect((err as Error).message).toContain('502 Bad Gateway');
    // Two retries, the second waiting twice as long (¾ of 100 ms, then ¾ of 200 ms).
    expect(timing.sleeps).toEqual([75, 150]);
  });

  it('retries a network error', async () => {
    nock(BASE)
      .get('/crm/v3/objects/contacts/51')
      .query(true)
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    nock(BASE).get('/crm/v3/objects/contacts/51').query(true).reply(200, contact);

    expect(await portal().getObject('contacts', '51', ['email'])).toMatchObject({ id: '51' });
    expect(await counter('nps_hubspot_calls_total', { status: 'network' })).toBe(1);
  });

  it('abandons a call that outlives the timeout and retries it', async () => {
    nock(BASE).get('/crm/v3/objects/contacts/51').query(true).delay(400).reply(200, contact);
    nock(BASE)
      .get('/crm/v3/objects/contacts/51')
      .query(true)
      .reply(200, { ...contact, properties: { email: 'second@example.com' } });

    const found = await portal({ timeoutMs: 60 }).getObject('contacts', '51', ['email']);

    expect(found?.properties.email).toBe('second@example.com');
    expect(await counter('nps_hubspot_calls_total', { status: 'timeout' })).toBe(1);
  });

  it('reports a timeout as unavailable once every attempt timed out', async () => {
    nock(BASE).get('/crm/v3/objects/contacts/51').query(true).times(2).delay(400).reply(200, contact);

    const err = await portal({ timeoutMs: 40, maxAttempts: 2 })
      .getObject('contacts', '51', ['email'])
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(HubSpotUnavailableError);
    expect((err as HubSpotUnavailableError).category).toBe('TIMEOUT');
  });

  it('does not retry a create whose answer timed out, since it may have landed', async () => {
    nock(BASE).post('/crm/v3/objects/tasks').once().delay(400).reply(201, { id: '1', properties: {} });

    const err = await portal({ timeoutMs: 40 })
      .createObject('tasks', { properties: { hs_task_subject: 'Call back' } })
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(HubSpotUnavailableError);
  });
});

describe('HubSpot client: rate limits are absorbed', () => {
  const tenSecondly = {
    status: 'error',
    message: 'You have reached your ten_secondly_rolling limit.',
    errorType: 'RATE_LIMIT',
    correlationId: 'c-429',
    policyName: 'TEN_SECONDLY_ROLLING',
  };

  it('waits out a TEN_SECONDLY_ROLLING 429 for Retry-After and then succeeds', async () => {
    nock(BASE)
      .get('/crm/v3/objects/contacts/51')
      .query(true)
      .reply(429, tenSecondly, { 'Retry-After': '3', 'X-HubSpot-RateLimit-Remaining': '0' });
    nock(BASE).get('/crm/v3/objects/contacts/51').query(true).reply(200, contact);

    expect(await portal().getObject('contacts', '51', ['email'])).toMatchObject({ id: '51' });
    expect(timing.sleeps).toEqual([3000]);
    expect(
      await counter('nps_hubspot_rate_limited_total', { portal: String(PORTAL), policy: 'TEN_SECONDLY_ROLLING' }),
    ).toBe(1);
  });

  it('slows down before HubSpot says no when its Remaining count runs low', async () => {
    const limits = (remaining: number) => ({
      'X-HubSpot-RateLimit-Max': '10',
      'X-HubSpot-RateLimit-Interval-Milliseconds': '10000',
      'X-HubSpot-RateLimit-Remaining': String(remaining),
    });
    // Another copy of the app used most of the window: HubSpot reports 1 call left after our first.
    nock(BASE).get('/crm/v3/objects/contacts/51').query(true).reply(200, contact, limits(1));
    nock(BASE)
      .get('/crm/v3/objects/contacts/52')
      .query(true)
      .reply(200, { ...contact, id: '52' }, limits(8));
    nock(BASE)
      .get('/crm/v3/objects/contacts/53')
      .query(true)
      .reply(200, { ...contact, id: '53' }, limits(7));
    const p = portal();

    await p.getObject('contacts', '51', ['email']);
    await p.getObject('contacts', '52', ['email']);
    await p.getObject('contacts', '53', ['email']);

    // One pause (a tenth of the window) before the second call; the fresh count lets the third go at once.
    expect(timing.sleeps).toEqual([1000]);
    expect(await counter('nps_hubspot_rate_limited_total', {})).toBe(0);
  });

  it('waits out the window when a 429 has no Retry-After', async () => {
    nock(BASE).get('/crm/v3/objects/contacts/51').query(true).reply(429, tenSecondly);
    nock(BASE).get('/crm/v3/objects/contacts/51').query(true).reply(200, contact);

    await portal().getObject('contacts', '51', ['email']);
    expect(timing.sleeps).toEqual([10_000]);
  });

  it('sits out a DAILY 429 whose Retry-After fits the wait budget', async () => {
    const daily = { ...tenSecondly, message: 'You have reached your daily limit.', policyName: 'DAILY' };
    nock(BASE).get('/crm/v3/objects/contacts/51').query(true).reply(429, daily, { 'Retry-After': '30' });
    nock(BASE).get('/crm/v3/objects/contacts/51').query(true).reply(200, contact);

    expect(await portal().getObject('contacts', '51', ['email'])).toMatchObject({ id: '51' });
    expect(timing.sleeps).toEqual([30_000]);
    expect(await counter('nps_hubspot_rate_limited_total', { policy: 'DAILY' })).toBe(1);
  });

  it('fails fast with the retry time when the daily limit resets beyond the wait budget, for every caller', async () => {
    const daily = { ...tenSecondly, message: 'You have reached your daily limit.', policyName: 'DAILY' };
    nock(BASE).get('/crm/v3/objects/contacts/51').query(true).reply(429, daily, { 'Retry-After': '7200' });
    const p = portal({ maxWaitMs: 60_000 });

    const err = await p.getObject('contacts', '51', ['email']).catch((e: unknown) => e);
    const second = await p.getObject('contacts', '52', ['email']).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(HubSpotRateLimitError);
    expect((err as HubSpotRateLimitError).policy).toBe('DAILY');
    expect((err as HubSpotRateLimitError).retryAt.getTime()).toBe(timing.now() + 7_200_000);
    expect(second).toBeInstanceOf(HubSpotRateLimitError);
    expect(timing.sleeps).toEqual([]);
  });
});
