import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { signedFetch } from '../helpers/signed';
import { TEST_PORTAL_ID } from '../helpers/env';
import { waitFor } from '../helpers/wait';

// Events of a type no feature handles: they are stored, acknowledged and processed (as "ignored") without
// touching HubSpot, which keeps this test about ingestion alone.
function event(i: number, extra: Record<string, unknown> = {}) {
  return {
    eventId: i,
    subscriptionId: 9,
    portalId: TEST_PORTAL_ID,
    appId: 77,
    occurredAt: 1_760_000_000_000 + i,
    subscriptionType: 'product.creation',
    attemptNumber: 0,
    objectId: 5000 + i,
    ...extra,
  };
}

describe('POST /webhooks/hubspot', () => {
  let s: TestServer;
  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    s = await startTestServer();
  });
  afterAll(async () => {
    await s.close();
    nock.cleanAll();
    nock.enableNetConnect();
  });
  const count = async () =>
    Number((await s.deps.db.query<{ n: string }>('SELECT count(*) AS n FROM webhook_events')).rows[0]!.n);

  it('stores a signed delivery, acknowledges it, and processes it through the queue', async () => {
    const res = await signedFetch(s.url, '/webhooks/hubspot', { body: [event(1), event(2)] });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 2, duplicates: 0, malformed: [] });
    await waitFor(
      async () => {
        const r = await s.deps.db.query<{ status: string }>(
          'SELECT status FROM webhook_events WHERE object_id IN (5001, 5002)',
        );
        return r.rows.length === 2 && r.rows.every((x) => x.status === 'ignored');
      },
      { what: 'events processed by the worker' },
    );
  });

  it('when the same delivery arrives again (a HubSpot retry), nothing is stored twice', async () => {
    const body = [event(10), event(11)];
    await signedFetch(s.url, '/webhooks/hubspot', { body });
    const before = await count();
    const again = await signedFetch(s.url, '/webhooks/hubspot', {
      body: body.map((e) => ({ ...e, attemptNumber: 1, eventId: e.eventId + 100 })),
    });
    expect(await again.json()).toMatchObject({ accepted: 0, duplicates: 2 });
    expect(await count()).toBe(before);
  });

  it('skips a malformed event inside a valid batch and keeps the others', async () => {
    const res = await signedFetch(s.url, '/webhooks/hubspot', {
      body: [event(20), { portalId: 'x', subscriptionType: 1 }, event(21)],
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.accepted).toBe(2);
    expect(body.malformed).toHaveLength(1);
    expect(body.malformed[0].index).toBe(1);
    expect(body.malformed[0].reason).toMatch(/portalId|occurredAt|subscriptionType/);
  });

  it('acknowledges events of a portal that is not installed without storing them', async () => {
    const res = await signedFetch(s.url, '/webhooks/hubspot', { body: [event(30, { portalId: 999999 })] });
    expect(await res.json()).toMatchObject({ accepted: 0, ignored: 1 });
  });

  it.each([
    [
      'unsigned',
      async () =>
        fetch(`${s.url}/webhooks/hubspot`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify([event(40)]),
        }),
      /not signed/,
    ],
    [
      'signed with a wrong secret',
      async () => signedFetch(s.url, '/webhooks/hubspot', { body: [event(41)], secret: 'someone-elses-secret-123' }),
      /does not match/,
    ],
    [
      'stale (6 minutes old)',
      async () => signedFetch(s.url, '/webhooks/hubspot', { body: [event(42)], timestamp: Date.now() - 6 * 60_000 }),
      /older than 5 minutes/,
    ],
    [
      'from the future',
      async () => signedFetch(s.url, '/webhooks/hubspot', { body: [event(43)], timestamp: Date.now() + 6 * 60_000 }),
      /future/,
    ],
  ])('rejects a %s delivery with 401 and stores nothing', async (_name, send, message) => {
    const before = await count();
    const res = await send();
    expect(res.status).toBe(401);
    const body = await res.json();
    expect(body.error.code).toBe('invalid_signature');
    expect(body.error.message).toMatch(message);
    expect(await count()).toBe(before);
  });

  it('rejects a tampered body (signed for different bytes) with 401', async () => {
    const ts = Date.now();
    const good = await signedFetch(s.url, '/webhooks/hubspot', { body: [event(50)], timestamp: ts });
    expect(good.status).toBe(200);
    const { signV3 } = await import('../../src/shared/signature');
    const { TEST_CLIENT_SECRET, TEST_PUBLIC_URL } = await import('../helpers/env');
    const sig = signV3(
      TEST_CLIENT_SECRET,
      'POST',
      `${TEST_PUBLIC_URL}/webhooks/hubspot`,
      JSON.stringify([event(51)]),
      ts,
    );
    const res = await fetch(`${s.url}/webhooks/hubspot`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hubspot-signature-v3': sig,
        'x-hubspot-request-timestamp': String(ts),
      },
      body: JSON.stringify([event(52)]),
    });
    expect(res.status).toBe(401);
  });

  it.each([
    ['an object instead of an array', { body: event(60) }, 400, 'not_an_array'],
    ['more than 100 events', { body: Array.from({ length: 101 }, (_, i) => event(100 + i)) }, 400, 'too_many_events'],
    ['invalid JSON', { rawBody: '[{"portalId": 1,' }, 400, 'invalid_json'],
    [
      'a body over 1 MB',
      { rawBody: JSON.stringify([{ ...event(61), padding: 'x'.repeat(1_100_000) }]) },
      413,
      'payload_too_large',
    ],
  ])('answers %s with a clear 4xx', async (_name, opts, status, code) => {
    const res = await signedFetch(s.url, '/webhooks/hubspot', opts);
    expect(res.status).toBe(status);
    const body = await res.json();
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(10);
  });

  it('answers an unknown route with a JSON 404 that names it', async () => {
    const res = await fetch(`${s.url}/no/such/route`);
    expect(res.status).toBe(404);
    expect((await res.json()).error.message).toContain('/no/such/route');
  });

  it('reports database and queue health, and Prometheus metrics that count webhook events', async () => {
    const health = await fetch(`${s.url}/healthz`);
    expect(health.status).toBe(200);
    const h = await health.json();
    expect(h.database).toMatchObject({ ok: true });
    expect(h.queue.ok).toBe(true);
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    expect(metrics).toMatch(/nps_webhook_events_total\{outcome="accepted"\} \d+/);
    expect(metrics).toMatch(/nps_http_requests_total\{method="POST",route="\/webhooks\/hubspot",status="401"\}/);
  });

  it('keeps idle connections open longer than a load balancer in front does (about 60 s)', async () => {
    const health = await fetch(`${s.url}/healthz`);
    await health.arrayBuffer();
    expect([health.headers.get('connection'), health.headers.get('keep-alive')]).toEqual(['keep-alive', 'timeout=65']);
  });
});
