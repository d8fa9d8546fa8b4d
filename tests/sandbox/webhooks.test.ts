import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SubscriptionConfig } from '../../src/sandbox';
import {
  expectedV3,
  startReceiver,
  startSandbox,
  type Answer,
  type Receiver,
  type ReceivedRequest,
  type Running,
} from './helpers';

let s: Running;
let receiver: Receiver | undefined;
const secret = 'sandbox-client-secret';

beforeAll(async () => {
  s = await startSandbox({ seed: { contacts: 50 }, rateLimits: { enabled: false } });
});
afterAll(() => s.sandbox.close());
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
  s.sandbox.webhooks.clear();
  s.sandbox.webhooks.configure({ targetUrl: null, duplicateRate: 0, reorder: false });
});

async function listen(
  subscriptions: SubscriptionConfig[],
  answer?: (n: number, r: ReceivedRequest) => Answer,
  extra = {},
) {
  receiver = await startReceiver(answer);
  s.sandbox.webhooks.configure({ targetUrl: receiver.url, subscriptions, retryDelayMs: 10, timeoutMs: 5000, ...extra });
  return receiver;
}

const events = (r: Receiver) => r.requests.flatMap((req) => req.body as Array<Record<string, unknown>>);

describe('Webhook deliveries', () => {
  it('when a deal moves to closedwon, a signed deal.propertyChange webhook is delivered', async () => {
    const r = await listen([{ subscriptionType: 'deal.propertyChange', propertyName: 'dealstage' }]);
    const deal = s.sandbox.crm.createRecord('deals', { dealname: 'Big one', dealstage: 'contractsent' });
    await s.sandbox.webhooks.flush();
    r.requests.length = 0;
    const before = Date.now();
    await s.control(`/deals/${deal.id}/stage`, 'POST', { stage: 'closedwon' });
    await s.sandbox.webhooks.flush();

    expect(r.requests).toHaveLength(1);
    const request = r.requests[0]!;
    const timestamp = String(request.headers['x-hubspot-request-timestamp']);
    expect(Number(timestamp)).toBeGreaterThanOrEqual(before);
    expect(request.headers['x-hubspot-signature-v3']).toBe(expectedV3(secret, r.url, request.rawBody, timestamp));
    expect(request.headers['x-hubspot-signature-version']).toBe('v1');
    expect(request.headers['x-hubspot-signature']).toBe(
      createHash('sha256')
        .update(secret + request.rawBody)
        .digest('hex'),
    );
    expect(request.body).toEqual([
      {
        eventId: expect.any(Number),
        subscriptionId: expect.any(Number),
        portalId: 1001,
        appId: 424242,
        occurredAt: expect.any(Number),
        subscriptionType: 'deal.propertyChange',
        attemptNumber: 0,
        objectId: Number(deal.id),
        propertyName: 'dealstage',
        propertyValue: 'closedwon',
        changeSource: 'CRM_UI',
        sourceId: expect.any(String),
      },
    ]);
  });

  it('signs v3 over the target URL with HubSpot’s listed escapes (%40, %3A, ...) decoded', async () => {
    receiver = await startReceiver();
    const target = `${receiver.url}?tenant=a%40b%3Ac&x=%20y`;
    s.sandbox.webhooks.configure({ targetUrl: target, subscriptions: [{ subscriptionType: 'contact.creation' }] });
    s.sandbox.crm.createContact({ email: 'escaped@example.com' });
    await s.sandbox.webhooks.flush();
    const request = receiver.requests[0]!;
    const timestamp = String(request.headers['x-hubspot-request-timestamp']);
    const decoded = `${receiver.url}?tenant=a@b:c&x=%20y`;
    expect(request.headers['x-hubspot-signature-v3']).toBe(expectedV3(secret, decoded, request.rawBody, timestamp));
  });

  it('delivers at most 100 events per request', async () => {
    const r = await listen([{ subscriptionType: 'contact.creation' }]);
    for (let batch = 0; batch < 3; batch++) {
      const inputs = Array.from({ length: 100 }, (_, i) => ({
        properties: { email: `bulk.${batch}.${i}@example.com` },
      }));
      expect(
        (await s.api('/crm/v3/objects/contacts/batch/create', { method: 'POST', body: JSON.stringify({ inputs }) }))
          .status,
      ).toBe(201);
    }
    await s.sandbox.webhooks.flush();
    const sizes = r.requests.map((req) => (req.body as unknown[]).length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(100);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(300);
    expect(
      events(r).every(
        (e) => e.subscriptionType === 'contact.creation' && e.changeFlag === 'CREATED' && e.changeSource === 'API',
      ),
    ).toBe(true);
  });

  it('retries a failed delivery (500, then a timeout) with attemptNumber + 1 until it succeeds', async () => {
    const r = await listen(
      [{ subscriptionType: 'contact.propertyChange', propertyName: 'hs_language' }],
      (n) => (n === 1 ? 500 : n === 2 ? { status: 204, delayMs: 3000 } : 204),
      { timeoutMs: 1000 },
    );
    const id = s.sandbox.seedReport()!.idRanges.contacts!.first;
    await s.client().crm.contacts.basicApi.update(id, { properties: { hs_language: 'fr' } });
    await s.client().crm.contacts.basicApi.update(id, { properties: { hs_language: 'fr' } }); // unchanged: no event
    await s.sandbox.webhooks.flush();
    expect(r.requests.map((req) => (req.body as Array<{ attemptNumber: number }>)[0]!.attemptNumber)).toEqual([
      0, 1, 2,
    ]);
    expect(new Set(r.requests.map((req) => (req.body as Array<{ eventId: number }>)[0]!.eventId)).size).toBe(1);
    const log = s.sandbox.webhooks.deliveries();
    expect(log.map((d) => [d.status, d.outcome])).toEqual([
      [500, 'retrying'],
      [null, 'retrying'],
      [204, 'delivered'],
    ]);
    expect(log[1]!.error).toMatch(/timeout/);
  });

  it('gives up after the configured number of retries', async () => {
    const r = await listen([{ subscriptionType: 'contact.deletion' }], () => 503, { maxRetries: 2 });
    s.sandbox.crm.deleteContact(s.sandbox.seedReport()!.idRanges.contacts!.last);
    await s.sandbox.webhooks.flush();
    expect(r.requests).toHaveLength(3);
    expect(s.sandbox.webhooks.deliveries().map((d) => d.outcome)).toEqual(['retrying', 'retrying', 'gave-up']);
    s.sandbox.webhooks.configure({ maxRetries: 10 });
  });

  it('can deliver every batch twice, identically, to exercise deduplication', async () => {
    const r = await listen([{ subscriptionType: 'contact.creation' }], undefined, { duplicateRate: 1, reorder: true });
    s.sandbox.crm.createContact({ email: 'twice@example.com' });
    await s.sandbox.webhooks.flush();
    expect(r.requests).toHaveLength(2);
    expect(r.requests[0]!.body).toEqual(r.requests[1]!.body);
    expect(
      s.sandbox.webhooks
        .deliveries()
        .map((d) => d.duplicate)
        .sort(),
    ).toEqual([false, true]);
  });

  it('announces merges and privacy deletions of contacts', async () => {
    const r = await listen([{ subscriptionType: 'contact.merge' }, { subscriptionType: 'contact.privacyDeletion' }]);
    const a = s.sandbox.crm.createContact({ email: 'a.merge@example.com' });
    const b = s.sandbox.crm.createContact({ email: 'b.merge@example.com' });
    await s.api('/crm/v3/objects/contacts/merge', {
      method: 'POST',
      body: JSON.stringify({ primaryObjectId: a.id, objectIdToMerge: b.id }),
    });
    await s.api('/crm/v3/objects/contacts/gdpr-delete', { method: 'POST', body: JSON.stringify({ objectId: a.id }) });
    await s.sandbox.webhooks.flush();
    const got = events(r);
    expect(got.find((e) => e.subscriptionType === 'contact.merge')).toMatchObject({
      objectId: Number(a.id),
      primaryObjectId: Number(a.id),
      mergedObjectIds: [Number(b.id)],
      newObjectId: Number(a.id),
    });
    expect(got.find((e) => e.subscriptionType === 'contact.privacyDeletion')).toMatchObject({ objectId: Number(a.id) });
    expect((await s.api(`/crm/v3/objects/contacts/${a.id}?archived=true`)).status).toBe(404);
  });

  it('supports generic object.* subscriptions and association changes', async () => {
    const r = await listen([
      { subscriptionType: 'object.propertyChange', objectType: 'ticket', propertyName: 'hs_pipeline_stage' },
      { subscriptionType: 'contact.associationChange' },
    ]);
    const ticket = s.sandbox.crm.createRecord('tickets', { subject: 'Broken' });
    await s.control(`/tickets/${ticket.id}/stage`, 'POST', { stage: '4' });
    const contact = s.sandbox.seedReport()!.idRanges.contacts!.first;
    await s.client().crm.associations.v4.basicApi.createDefault('contacts', contact, 'tickets', ticket.id);
    await s.sandbox.webhooks.flush();
    const got = events(r);
    expect(
      got.filter((e) => e.subscriptionType === 'object.propertyChange').map((e) => [e.objectTypeId, e.propertyValue]),
    ).toEqual([
      ['0-5', '1'],
      ['0-5', '4'],
    ]);
    expect(got.find((e) => e.subscriptionType === 'contact.associationChange')).toMatchObject({
      associationType: 'CONTACT_TO_TICKET',
      fromObjectId: Number(contact),
      toObjectId: Number(ticket.id),
      associationRemoved: false,
    });
  });

  it('stops delivering for a portal after the app is uninstalled there', async () => {
    const r = await listen([{ subscriptionType: 'contact.creation' }]);
    s.sandbox.oauth.uninstall(1001);
    s.sandbox.crm.createContact({ email: 'after.uninstall@example.com' });
    await s.sandbox.webhooks.flush();
    expect(r.requests).toHaveLength(0);
  });
});
