import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox';
import { runFullSync } from '../../src/contacts';
import { startSandboxApp, type SandboxApp } from '../helpers/sandbox-app';
import type { TestServer } from '../helpers/server';
import { TEST_ACCESS_TOKEN, TEST_PORTAL_ID } from '../helpers/env';
import { signedFetch } from '../helpers/signed';
import { waitFor } from '../helpers/wait';
import { Browser } from './dashboard-http';
import { aResponse } from '../factories';

// Segments by CRM property against the local HubSpot sandbox: configuring dimensions (and the 400s), the backfill
// and its progress, refusal of a dimension with too many values, mirroring by the sync and by webhook refreshes,
// and the segments API, filters and dashboard with custom dimensions.

const PORTAL = TEST_PORTAL_ID;
const ADMIN = 'test-admin-token-0123456789';
const TIERS = ['Gold', 'Silver', 'Bronze'];
let rig: SandboxApp;
let sandbox: Sandbox;
let s: TestServer;
let contactIds: string[] = [];

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${s.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
  });
const putDimensions = (dimensions: object[]) =>
  api('/api/segments/dimensions', { method: 'PUT', body: JSON.stringify({ dimensions }) });
const hubspot = (path: string, body: unknown, method = 'POST') =>
  fetch(`${s.config.hubspot.apiBaseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${TEST_ACCESS_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const createProperty = async (name: string, type: string, fieldType: string, options?: string[]) => {
  const res = await hubspot('/crm/v3/properties/contacts', {
    name,
    label: name.replace(/_/g, ' '),
    type,
    fieldType,
    groupName: 'contactinformation',
    ...(options ? { options: options.map((o, i) => ({ label: o, value: o, displayOrder: i })) } : {}),
  });
  expect(res.status).toBe(201);
};
const updateContacts = async (inputs: Array<{ id: string; properties: Record<string, string> }>) => {
  for (let i = 0; i < inputs.length; i += 100) {
    const res = await hubspot('/crm/v3/objects/contacts/batch/update', { inputs: inputs.slice(i, i + 100) });
    expect(res.status).toBe(200);
  }
};
const storedValue = async (contactId: string, dimension: string) =>
  (
    await s.deps.db.query<{ value: string; since: Date | null }>(
      'SELECT value, since FROM segment_values WHERE portal_id = $1 AND contact_id = $2 AND dimension = $3',
      [PORTAL, contactId, dimension],
    )
  ).rows[0];
const dimensions = async () =>
  (await (await api('/api/segments/dimensions')).json()).dimensions as Array<{
    name: string;
    state: string;
    done: number;
    total: number;
    message: string | null;
  }>;
const tierOf = (i: number) => TIERS[i % 3]!;
const recently = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  rig = await startSandboxApp({
    seed: { seed: 11, contacts: 230, companies: 6, deals: 0, tickets: 0 },
    sandbox: { webhooks: { targetUrl: null } },
    env: { RUN_WORKERS: 'true' },
  });
  ({ sandbox, server: s } = rig);
  await createProperty('plan_tier', 'enumeration', 'select', TIERS);
  await createProperty('customer_ref', 'string', 'text');
  await createProperty('renewal_date', 'date', 'date');
  await createProperty(
    'big_choice',
    'enumeration',
    'select',
    Array.from({ length: 201 }, (_, i) => `option_${i}`),
  );
  contactIds = [...sandbox.portal(PORTAL).tables.contacts.all()]
    .filter((c) => !c.archived)
    .map((c) => String(c.id))
    .sort((a, b) => Number(a) - Number(b));
  await updateContacts(
    contactIds.map((id, i) => ({
      id,
      properties: { plan_tier: tierOf(i), customer_ref: `ref-${i}`, ...(i < 10 ? { renewal_date: recently(30) } : {}) },
    })),
  );
  await runFullSync(s.deps, PORTAL);
}, 60_000);
afterAll(async () => {
  await rig?.close();
});

describe('configuring custom dimensions', () => {
  it.each([
    [[{ object: 'contact', property: 'no_such_property' }], 'the portal has no contact property "no_such_property"'],
    [[{ object: 'company', property: 'plan_tier' }], 'the portal has no company property "plan_tier"'],
    [
      [{ object: 'contact', property: 'big_choice' }],
      'big_choice has 201 options; a segment dimension can have at most 200',
    ],
    [[{ object: 'company', property: 'numberofemployees' }], 'numberofemployees is a number property: give it bands'],
    [[{ object: 'contact', property: 'plan_tier', bands: [1, 2] }], 'bands apply to numbers only'],
    [[{ object: 'contact', property: 'plan_tier', bands: [5, 2] }], 'bands must be ascending'],
    [Array.from({ length: 6 }, (_, i) => ({ object: 'contact', property: `p${i}` })), 'at most 5 custom dimensions'],
    [[{ object: 'deal', property: 'amount' }], 'use contact or company'],
  ])('%j → 400', async (dims, message) => {
    const res = await putDimensions(dims);
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain(message);
  });

  it('saves dimensions and backfills every mirrored contact, with progress', async () => {
    const res = await putDimensions([
      { object: 'contact', property: 'plan_tier', label: 'Plan' },
      { object: 'company', property: 'numberofemployees', bands: [100, 1000] },
      { object: 'contact', property: 'renewal_date' },
    ]);
    expect(res.status).toBe(200);
    const ready = await waitFor(
      async () => {
        const dims = await dimensions();
        return dims.every((d) => d.state === 'ready') ? dims : undefined;
      },
      { what: 'backfills finished' },
    );
    expect(ready.map((d) => [d.name, d.done, d.total])).toEqual([
      ['contact.plan_tier', contactIds.length, contactIds.length],
      ['company.numberofemployees', contactIds.length, contactIds.length],
      ['contact.renewal_date', contactIds.length, contactIds.length],
    ]);
    expect(await storedValue(contactIds[4]!, 'contact.plan_tier')).toEqual({ value: tierOf(4), since: null });
    expect((await storedValue(contactIds[0]!, 'contact.renewal_date'))?.since).toBeInstanceOf(Date);
    expect(await storedValue(contactIds[20]!, 'contact.renewal_date')).toBeUndefined();
    const company = await s.deps.db.query<{ value: string }>(
      `SELECT DISTINCT value FROM segment_values WHERE portal_id = $1 AND dimension = 'company.numberofemployees'`,
      [PORTAL],
    );
    for (const r of company.rows) expect(['Under 100', '100 to under 1000', '1000 or more']).toContain(r.value);
  });

  it('refuses, visibly, a string dimension found to have more than 200 values during its backfill', async () => {
    const current = await dimensions();
    const res = await putDimensions([
      ...current.map((d) => {
        const [object, property] = d.name.split('.');
        return { object, property, ...(property === 'numberofemployees' ? { bands: [100, 1000] } : {}) };
      }),
      { object: 'contact', property: 'customer_ref' },
    ]);
    expect(res.status).toBe(200);
    const refused = await waitFor(
      async () => (await dimensions()).find((d) => d.name === 'contact.customer_ref' && d.state === 'refused'),
      { what: 'customer_ref refused' },
    );
    expect(refused.message).toContain('more than 200 different values');
    expect(await storedValue(contactIds[0]!, 'contact.customer_ref')).toBeUndefined();
    const split = await api('/api/insights/segments?segment=contact.customer_ref');
    expect(split.status).toBe(400);
    expect((await split.json()).error.message).toContain('unknown segment "contact.customer_ref"');
    // The others were left as they were.
    expect((await dimensions()).filter((d) => d.state === 'ready')).toHaveLength(3);
  });
});

describe('keeping values current', () => {
  it('a full sync reads the custom properties again', async () => {
    await updateContacts([{ id: contactIds[1]!, properties: { plan_tier: 'Gold' } }]);
    await runFullSync(s.deps, PORTAL);
    expect((await storedValue(contactIds[1]!, 'contact.plan_tier'))?.value).toBe('Gold');
  });

  it('any webhook that refreshes a contact reads its custom properties too', async () => {
    const id = contactIds[2]!;
    await updateContacts([{ id, properties: { plan_tier: 'Silver', lifecyclestage: 'evangelist' } }]);
    const event = {
      eventId: 99_001,
      subscriptionId: 3,
      portalId: PORTAL,
      appId: 1,
      occurredAt: Date.now(),
      attemptNumber: 0,
      objectId: Number(id),
      subscriptionType: 'contact.propertyChange',
      propertyName: 'lifecyclestage',
      propertyValue: 'evangelist',
      changeSource: 'CRM_UI',
    };
    expect(
      (await signedFetch(s.url, '/webhooks/hubspot', { body: [event], publicUrl: s.config.publicBaseUrl })).status,
    ).toBe(200);
    await waitFor(async () => (await storedValue(id, 'contact.plan_tier'))?.value === 'Silver', {
      what: 'plan_tier refreshed',
    });
  });
});

describe('insights with custom dimensions', () => {
  beforeAll(async () => {
    for (let i = 3; i < 63; i++)
      await aResponse(s.deps.db, {
        portalId: PORTAL,
        contactId: contactIds[i]!,
        score: tierOf(i) === 'Gold' ? 10 : tierOf(i) === 'Silver' ? 8 : 2,
        comment: `comment ${i} (${tierOf(i)})`,
        answeredAt: new Date(Date.now() - 86_400_000),
      });
    await aResponse(s.deps.db, {
      portalId: PORTAL,
      contactId: contactIds[0]!,
      score: 9,
      answeredAt: new Date(Date.now() - 86_400_000),
    });
  });

  it('splits answers by a custom dimension, beating the noise and flagging small segments', async () => {
    const body = await (await api('/api/insights/segments?segment=contact.plan_tier')).json();
    expect(body.segments).toHaveLength(1);
    const split = body.segments[0];
    expect(split).toMatchObject({ name: 'contact.plan_tier', custom: true, label: 'Plan', n: 61 });
    const byValue = Object.fromEntries(split.values.map((v: { value: string }) => [v.value, v]));
    expect(byValue.Gold).toMatchObject({ n: 21, nps: 100, tooFew: true, vsRest: { direction: 'above' } });
    expect(byValue.Bronze).toMatchObject({ n: 20, nps: -100, vsRest: { direction: 'below' } });
    expect(byValue.Silver).toMatchObject({ n: 20, label: 'Silver', vsRest: { direction: null } });
  });

  it('bands date properties by the time from the date to the answer; all dimensions without a segment', async () => {
    const body = await (await api('/api/insights/segments?mode=latest')).json();
    const names = body.segments.map((x: { name: string }) => x.name);
    expect(names).toEqual(expect.arrayContaining(['trigger', 'contact.plan_tier', 'contact.renewal_date']));
    const renewal = body.segments.find((x: { name: string }) => x.name === 'contact.renewal_date');
    const labels = renewal.values.map((v: { value: string; label: string; n: number }) => [v.value, v.label, v.n]);
    expect(labels).toEqual(
      expect.arrayContaining([
        ['', '(unknown)', 53],
        ['lt3m', 'Under 3 months', 8],
      ]),
    );
  });

  it('filters comments by a custom segment value', async () => {
    const body = await (await api('/api/insights/comments?segment=contact.plan_tier:Gold&limit=100')).json();
    expect(body.comments.length).toBe(20);
    for (const c of body.comments) expect(c.comment).toContain('(Gold)');
  });

  it('the dashboard offers custom dimensions under "Segments by" and shows the split', async () => {
    const browser = new Browser(s.url);
    await browser.signIn(ADMIN);
    const res = await browser.fetch('/dashboard?split=contact.plan_tier');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<option value="contact.plan_tier" selected>Plan</option>');
    expect(html).toContain('Segments by plan');
    expect(html).toMatch(/segment=contact\.plan_tier%3AGold/);
  });

  it('moves a contact’s answers when its value changes', async () => {
    await updateContacts([{ id: contactIds[3]!, properties: { plan_tier: 'Bronze' } }]);
    await runFullSync(s.deps, PORTAL);
    for (const mode of ['all', 'latest']) {
      const body = await (await api(`/api/insights/segments?segment=contact.plan_tier&mode=${mode}`)).json();
      const n = Object.fromEntries(body.segments[0].values.map((v: { value: string; n: number }) => [v.value, v.n]));
      expect(n).toEqual({ Gold: 20, Silver: 20, Bronze: 21 });
    }
  });

  it('a dimension the portal has not configured is a 400 naming it', async () => {
    const res = await api('/api/insights/comments?segment=contact.shoe_size:42');
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain('unknown segment "contact.shoe_size"');
  });
});
