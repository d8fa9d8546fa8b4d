import nock from 'nock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { signedFetch } from '../helpers/signed';
import { TEST_PORTAL_ID } from '../helpers/env';
import { waitFor } from '../helpers/wait';
import { webhooksFeature } from '../../src/webhooks';
import { createSettingsFeature } from '../../src/core';
import { requireAdmin, requireAdminRole } from '../../src/auth';
import { contactsFeature } from '../../src/contacts';
import { triggersFeature } from '../../src/triggers';
import { duplicatesSuppressed } from '../../src/triggers/metrics';

// Signed webhook deliveries through the real POST /webhooks/hubspot and queue, with HubSpot mocked at its HTTP
// boundary by a tiny fake portal (deals, tickets, contacts, v4 associations).

const API = 'https://api.hubapi.com';
const HOUR = 3_600_000;
let s: TestServer;
let deals: Record<string, { pipeline: string; dealstage: string }>;
let tickets: Record<string, { hs_pipeline: string; hs_pipeline_stage: string }>;
let contacts: Record<string, Record<string, string | null>>;
let associations: Record<string, string[]>;
let eventSeq = 0;

const person = (id: string, over: Record<string, string | null> = {}) => ({
  email: `p${id}@example.com`,
  firstname: `P${id}`,
  lastname: 'Tester',
  hs_language: 'sv',
  hs_email_optout: 'false',
  lifecyclestage: 'customer',
  lastmodifieddate: '2026-01-01T00:00:00.000Z',
  ...over,
});

function fakeHubSpot(): void {
  nock(API)
    .persist()
    .get(/^\/crm\/v3\/objects\/(deals|tickets)\/\d+/)
    .query(true)
    .reply((uri) => {
      const [, type, id] = /objects\/(deals|tickets)\/(\d+)/.exec(uri)!;
      const record = type === 'deals' ? deals[id!] : tickets[id!];
      return record
        ? [200, { id, properties: record }]
        : [404, { status: 'error', category: 'OBJECT_NOT_FOUND', message: 'resource not found' }];
    })
    .get(/^\/crm\/v4\/objects\/(deals|tickets)\/\d+\/associations\/contacts/)
    .query(true)
    .reply((uri) => {
      const [, type, id] = /objects\/(deals|tickets)\/(\d+)/.exec(uri)!;
      return [
        200,
        {
          results: (associations[`${type}:${id}`] ?? []).map((c) => ({ toObjectId: Number(c), associationTypes: [] })),
        },
      ];
    })
    .post('/crm/v3/objects/contacts/batch/read')
    .reply((_uri, body) => {
      const ids = (body as { inputs: Array<{ id: string }> }).inputs.map((i) => i.id);
      return [
        200,
        {
          status: 'COMPLETE',
          results: ids.filter((id) => contacts[id]).map((id) => ({ id, properties: contacts[id] })),
        },
      ];
    })
    .post('/crm/v3/objects/companies/batch/read')
    .reply(() => [200, { status: 'COMPLETE', results: [] }]);
}

function stageEvent(objectType: 'deal' | 'ticket', objectId: number, stage: string, occurredAt: number) {
  return {
    eventId: ++eventSeq,
    subscriptionId: 11,
    portalId: TEST_PORTAL_ID,
    appId: 1,
    occurredAt,
    attemptNumber: 0,
    objectId,
    subscriptionType: `${objectType}.propertyChange`,
    propertyName: objectType === 'deal' ? 'dealstage' : 'hs_pipeline_stage',
    propertyValue: stage,
    changeSource: 'CRM_UI',
  };
}

async function deliver(events: object[]): Promise<void> {
  const res = await signedFetch(s.url, '/webhooks/hubspot', { body: events });
  expect(res.status).toBe(200);
  await waitFor(
    async () => {
      const r = await s.deps.db.query<{ n: string }>(
        `SELECT count(*) AS n FROM webhook_events WHERE status = 'pending'`,
      );
      return Number(r.rows[0]!.n) === 0;
    },
    { what: 'webhook events processed' },
  );
}

const invitationsOf = async (objectId: number) =>
  (
    await s.deps.db.query<Record<string, any>>(
      'SELECT * FROM invitations WHERE source_object_id = $1 ORDER BY contact_id',
      [objectId],
    )
  ).rows;
const api = (path: string, token = s.config.adminToken) =>
  fetch(`${s.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  s = await startTestServer(
    {},
    {
      features: [
        webhooksFeature,
        createSettingsFeature(requireAdmin, requireAdminRole),
        contactsFeature,
        triggersFeature,
      ],
    },
  );
});
afterAll(async () => {
  await s.close();
  nock.cleanAll();
  nock.enableNetConnect();
});
beforeEach(() => {
  nock.cleanAll();
  deals = {};
  tickets = {};
  contacts = {};
  associations = {};
  fakeHubSpot();
});

describe('milestone triggers from webhooks', () => {
  it('schedules one invitation per associated contact a day after the deal is won, recording its source, and skips an opted-out contact', async () => {
    deals['101'] = { pipeline: 'default', dealstage: 'closedwon' };
    contacts['501'] = person('501');
    contacts['502'] = person('502', { hs_email_optout: 'true' });
    associations['deals:101'] = ['501', '502'];
    const at = Date.now();
    await deliver([stageEvent('deal', 101, 'closedwon', at)]);

    const rows = await invitationsOf(101);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      trigger: 'deal',
      rule_id: 'deal-closed-won',
      milestone_key: 'deal:101:closedwon:contact:501',
      status: 'scheduled',
      source_object_type: 'deal',
      source_pipeline: 'default',
      source_stage: 'closedwon',
      channel: 'email',
      language: 'sv',
    });
    expect(new Date(rows[0]!.scheduled_for).getTime()).toBe(at + 24 * HOUR);
    expect(rows[1]).toMatchObject({
      milestone_key: 'deal:101:closedwon:contact:502',
      status: 'skipped',
      skip_reason: 'opted_out',
    });
    // The contacts were not mirrored yet: the trigger fetched them.
    expect((await s.deps.db.query('SELECT 1 FROM contacts WHERE contact_id IN (501, 502)')).rowCount).toBe(2);
  });

  it('creates exactly one invitation when the same delivery is posted three times and its events arrive reordered', async () => {
    tickets['201'] = { hs_pipeline: '0', hs_pipeline_stage: '4' };
    deals['202'] = { pipeline: 'default', dealstage: 'closedwon' };
    contacts['511'] = person('511');
    contacts['512'] = person('512');
    associations['tickets:201'] = ['511'];
    associations['deals:202'] = ['512'];
    const at = Date.now();
    const delivery = [stageEvent('ticket', 201, '4', at), stageEvent('deal', 202, 'closedwon', at + 1)];
    const before = await duplicatesSuppressed(s.deps.metrics);
    await deliver(delivery);
    await deliver(delivery);
    await deliver(delivery.map((e) => ({ ...e, attemptNumber: 3 })).reverse());
    // A late duplicate HubSpot re-sent with another occurredAt still names the same milestone.
    await deliver([stageEvent('ticket', 201, '4', at + 5000)]);
    expect(await invitationsOf(201)).toMatchObject([
      {
        milestone_key: 'ticket:201:4:contact:511',
        trigger: 'ticket',
        rule_id: 'ticket-closed',
        source_pipeline: '0',
        status: 'scheduled',
      },
    ]);
    expect(await invitationsOf(202)).toHaveLength(1);
    expect(await duplicatesSuppressed(s.deps.metrics)).toBe(before + 1);
  });

  it('does not re-survey when a deal moves back and forth through closed won, in whatever order the events arrive', async () => {
    deals['301'] = { pipeline: 'default', dealstage: 'closedwon' };
    contacts['521'] = person('521');
    associations['deals:301'] = ['521'];
    const at = Date.now();
    await deliver([
      stageEvent('deal', 301, 'closedwon', at + 2000),
      stageEvent('deal', 301, 'contractsent', at + 1000),
    ]);
    await deliver([stageEvent('deal', 301, 'closedwon', at)]);
    expect(await invitationsOf(301)).toHaveLength(1);
  });

  it('ignores stages no rule names, pipelines a rule excludes, and records that no longer exist, without scheduling anything', async () => {
    tickets['401'] = { hs_pipeline: '77', hs_pipeline_stage: '4' };
    associations['tickets:401'] = ['531'];
    contacts['531'] = person('531');
    await deliver([
      stageEvent('deal', 402, 'appointmentscheduled', Date.now()),
      stageEvent('ticket', 401, '4', Date.now()),
      stageEvent('deal', 403, 'closedwon', Date.now()),
    ]);
    const r = await s.deps.db.query('SELECT 1 FROM invitations WHERE source_object_id IN (401, 402, 403)');
    expect(r.rowCount).toBe(0);
  });

  it('skips a contact without email and one in the quiet period, and the skips are readable through the API', async () => {
    deals['601'] = { pipeline: 'default', dealstage: 'closedwon' };
    tickets['602'] = { hs_pipeline: '0', hs_pipeline_stage: '4' };
    contacts['541'] = person('541', { email: null });
    contacts['542'] = person('542');
    associations['deals:601'] = ['541', '542'];
    associations['tickets:602'] = ['542'];
    await deliver([stageEvent('deal', 601, 'closedwon', Date.now())]);
    await deliver([stageEvent('ticket', 602, '4', Date.now())]);

    const res = await api('/api/invitations?contactId=542');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.invitations.map((i: any) => [i.milestoneKey, i.status, i.skipReason])).toEqual([
      ['ticket:602:4:contact:542', 'skipped', 'quiet_period'],
      ['deal:601:closedwon:contact:542', 'scheduled', null],
    ]);
    expect(body.invitations[0].source).toEqual({ objectType: 'ticket', objectId: '602', pipeline: '0', stage: '4' });

    const skipped = await (await api('/api/invitations?status=skipped&contactId=541')).json();
    expect(skipped.invitations).toMatchObject([{ contactId: '541', skipReason: 'no_email' }]);
    const summary = await (await api('/api/invitations/skips/summary')).json();
    expect(summary.byReason).toMatchObject({ no_email: expect.any(Number), quiet_period: expect.any(Number) });
    expect(summary.total).toBe(Object.values(summary.byReason as Record<string, number>).reduce((a, b) => a + b, 0));
  });
});

describe('invitations API', () => {
  it('pages newest first with a cursor', async () => {
    const all = (await (await api('/api/invitations?limit=200')).json()).invitations as Array<{ id: string }>;
    expect(all.length).toBeGreaterThan(3);
    const first = await (await api('/api/invitations?limit=2')).json();
    const second = await (await api(`/api/invitations?limit=2&after=${first.next}`)).json();
    expect([...first.invitations, ...second.invitations].map((i: any) => i.id)).toEqual(
      all.slice(0, 4).map((i) => i.id),
    );
  });

  it.each([
    ['/api/invitations?limit=0', 'limit'],
    ['/api/invitations?status=lost', 'status'],
    ['/api/invitations?contactId=abc', 'contactId'],
    ['/api/invitations?after=%%%', 'after'],
    ['/api/invitations?after=bm90LWEtY3Vyc29y', 'after'],
    ['/api/invitations?colour=red', 'colour'],
    ['/api/invitations/skips/summary?since=yesterday', 'since'],
  ])('answers %s with a 400 naming %s', async (path, field) => {
    const res = await api(path);
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain(field);
  });

  it('requires an admin', async () => {
    expect((await api('/api/invitations', '')).status).toBe(401);
    expect((await api('/api/invitations/skips/summary', 'wrong-token-wrong-token')).status).toBe(401);
  });
});
