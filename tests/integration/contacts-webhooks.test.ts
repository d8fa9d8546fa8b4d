import nock from 'nock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { signedFetch } from '../helpers/signed';
import { TEST_PORTAL_ID } from '../helpers/env';
import { waitFor } from '../helpers/wait';
import { webhooksFeature } from '../../src/webhooks';
import { contactsFeature } from '../../src/contacts';
import { DAY_MS } from '../../src/shared/clock';
import { followUpOutbox } from '../../src/follow-ups/tasks';
import { workflowCallbackOutbox } from '../../src/workflow-action/callbacks';
import { contactPropertiesOutbox } from '../../src/responses/writeback';
import { aFollowUp, anInvitation, anOptOut, anOutboxItem, aResponse } from '../factories';

// Incremental contact updates through signed deliveries to the real POST /webhooks/hubspot; HubSpot's current
// state is served by a fake portal behind nock (batch read of contacts and companies).

const API = 'https://api.hubapi.com';
const PORTAL = TEST_PORTAL_ID;
let s: TestServer;
let hubspotContacts: Record<string, Record<string, string | null>>;
let seq = 0;

function fakeHubSpot(): void {
  nock(API)
    .persist()
    .post('/crm/v3/objects/contacts/batch/read')
    .reply((_uri, body) => {
      const ids = (body as { inputs: Array<{ id: string }> }).inputs.map((i) => i.id);
      return [
        200,
        {
          status: 'COMPLETE',
          results: ids.filter((id) => hubspotContacts[id]).map((id) => ({ id, properties: hubspotContacts[id] })),
        },
      ];
    })
    .post('/crm/v3/objects/companies/batch/read')
    .reply((_uri, body) => {
      const ids = (body as { inputs: Array<{ id: string }> }).inputs.map((i) => i.id);
      return [
        200,
        {
          status: 'COMPLETE',
          results: ids.map((id) => ({
            id,
            properties: { name: `Company ${id}`, domain: `c${id}.test`, industry: 'RETAIL' },
          })),
        },
      ];
    });
}

const event = (subscriptionType: string, objectId: number, extra: Record<string, unknown> = {}) => ({
  eventId: ++seq,
  subscriptionId: 3,
  portalId: PORTAL,
  appId: 1,
  occurredAt: Date.now() + seq,
  attemptNumber: 0,
  objectId,
  subscriptionType,
  changeSource: 'CRM_UI',
  ...extra,
});

async function deliver(events: object[]): Promise<void> {
  expect((await signedFetch(s.url, '/webhooks/hubspot', { body: events })).status).toBe(200);
  await waitFor(
    async () =>
      Number(
        (await s.deps.db.query<{ n: string }>(`SELECT count(*) AS n FROM webhook_events WHERE status = 'pending'`))
          .rows[0]!.n,
      ) === 0,
    { what: 'events processed' },
  );
}

const row = async (id: number) =>
  (
    await s.deps.db.query<Record<string, any>>('SELECT * FROM contacts WHERE portal_id = $1 AND contact_id = $2', [
      PORTAL,
      id,
    ])
  ).rows[0];
const outbox = async (kind: string) =>
  (
    await s.deps.db.query<{ item_key: string }>('SELECT item_key FROM outbox WHERE kind = $1 ORDER BY item_key', [kind])
  ).rows.map((r) => r.item_key);
const count = async (sql: string, params: unknown[] = []) =>
  Number((await s.deps.db.query<{ n: string }>(sql, params)).rows[0]!.n);

async function answered(
  contactId: number,
  companyId: number | null,
): Promise<{ invitationId: string; responseId: string }> {
  const now = new Date();
  const inv = await anInvitation(s.deps.db, {
    portalId: PORTAL,
    contactId,
    trigger: 'deal',
    milestoneKey: `answered:${contactId}:${++seq}`,
    status: 'answered',
    scheduledFor: now,
    sentAt: now,
    answeredAt: now,
  });
  const res = await aResponse(s.deps.db, {
    portalId: PORTAL,
    contactId,
    invitationId: inv.id,
    score: 2,
    category: 'detractor',
    comment: 'private words',
    channel: 'page',
    trigger: 'deal',
    companyId,
    answeredAt: now,
  });
  return { invitationId: inv.id, responseId: res.id };
}
const scheduled = (contactId: number, key: string, dueInMs = DAY_MS) =>
  anInvitation(s.deps.db, {
    portalId: PORTAL,
    contactId,
    trigger: 'deal',
    milestoneKey: key,
    status: 'scheduled',
    scheduledFor: new Date(Date.now() + dueInMs),
  });

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  s = await startTestServer({}, { features: [webhooksFeature, contactsFeature] });
});
afterAll(async () => {
  await s.close();
  nock.cleanAll();
  nock.enableNetConnect();
});
beforeEach(() => {
  nock.cleanAll();
  hubspotContacts = {};
  fakeHubSpot();
});

describe('contact webhooks', () => {
  it("mirrors HubSpot's current state whatever order creation and property changes arrive in", async () => {
    hubspotContacts['701'] = {
      email: 'now@example.com',
      firstname: 'Now',
      hs_language: 'de',
      lastmodifieddate: '2026-05-02T00:00:00.000Z',
    };
    await deliver([
      event('contact.propertyChange', 701, { propertyName: 'email', propertyValue: 'now@example.com' }),
      event('contact.creation', 701),
      event('contact.propertyChange', 701, {
        propertyName: 'email',
        propertyValue: 'older@example.com',
        occurredAt: Date.now() - 60_000,
      }),
    ]);
    expect(await row(701)).toMatchObject({ email: 'now@example.com', firstname: 'Now', language: 'de' });
    // Changes of properties we do not mirror are not even read.
    await deliver([event('contact.propertyChange', 701, { propertyName: 'jobtitle', propertyValue: 'CEO' })]);
    expect(
      (await s.deps.db.query(`SELECT status FROM webhook_events WHERE payload->>'propertyName' = 'jobtitle'`)).rows,
    ).toEqual([{ status: 'ignored' }]);
  });

  it('marks both companies for an NPS rollup when a contact with answers moves company, and mirrors the new company', async () => {
    hubspotContacts['702'] = {
      email: 'mover@example.com',
      associatedcompanyid: '8001',
      lastmodifieddate: '2026-05-01T00:00:00.000Z',
    };
    await deliver([event('contact.creation', 702)]);
    await answered(702, 8001);
    hubspotContacts['702'] = {
      ...hubspotContacts['702'],
      associatedcompanyid: '8002',
      lastmodifieddate: '2026-05-03T00:00:00.000Z',
    };
    await deliver([
      event('object.propertyChange', 702, {
        objectTypeId: '0-1',
        propertyName: 'associatedcompanyid',
        propertyValue: '8002',
      }),
    ]);
    expect(String((await row(702))!.company_id)).toBe('8002');
    expect(await outbox('company-rollup')).toEqual(expect.arrayContaining(['8001', '8002']));
    expect((await s.deps.db.query(`SELECT name FROM companies WHERE company_id = 8002`)).rows).toEqual([
      { name: 'Company 8002' },
    ]);
  });

  it('on deletion keeps the history, cancels scheduled surveys as contact_deleted, and a late change does not revive the contact', async () => {
    hubspotContacts['703'] = { email: 'leaving@example.com', lastmodifieddate: '2026-05-01T00:00:00.000Z' };
    await deliver([event('contact.creation', 703)]);
    await scheduled(703, 'deal:1:closedwon:contact:703');
    delete hubspotContacts['703'];
    await deliver([
      event('contact.deletion', 703),
      event('contact.propertyChange', 703, { propertyName: 'firstname', propertyValue: 'Late' }),
    ]);
    expect((await row(703))!.deleted_at).not.toBeNull();
    expect((await s.deps.db.query(`SELECT status, skip_reason FROM invitations WHERE contact_id = 703`)).rows).toEqual([
      { status: 'skipped', skip_reason: 'contact_deleted' },
    ]);
  });

  it('on merge moves invitations and answers to the surviving contact and marks its NPS properties for write-back', async () => {
    hubspotContacts['704'] = { email: 'keeper@example.com', lastmodifieddate: '2026-05-01T00:00:00.000Z' };
    hubspotContacts['705'] = { email: 'dupe@example.com', lastmodifieddate: '2026-05-01T00:00:00.000Z' };
    await deliver([event('contact.creation', 704), event('contact.creation', 705)]);
    const { responseId } = await answered(705, null);
    // The survivor's survey is due first, so it is the one a merge keeps (the earlier of two stays).
    await scheduled(704, 'deal:50:closedwon:contact:704', DAY_MS);
    await scheduled(705, 'deal:51:closedwon:contact:705', DAY_MS + 60_000);
    await anOptOut(s.deps.db, PORTAL, 705);
    delete hubspotContacts['705'];
    hubspotContacts['704'] = { ...hubspotContacts['704'], lastmodifieddate: '2026-05-04T00:00:00.000Z' };
    const merge = event('contact.merge', 704, {
      primaryObjectId: 704,
      mergedObjectIds: [705],
      newObjectId: 704,
      numberOfPropertiesMoved: 0,
    });
    await deliver([merge]);
    await deliver([
      { ...merge, attemptNumber: 1 },
      { ...merge, occurredAt: merge.occurredAt + 1 },
    ]);
    expect(String((await row(705))!.merged_into)).toBe('704');
    expect((await row(705))!.deleted_at).not.toBeNull();
    expect(
      String(
        (await s.deps.db.query<{ contact_id: string }>('SELECT contact_id FROM responses WHERE id = $1', [responseId]))
          .rows[0]!.contact_id,
      ),
    ).toBe('704');
    expect(await count('SELECT count(*) AS n FROM invitations WHERE contact_id = 705')).toBe(0);
    expect(await outbox('contact-properties')).toContain('704');
    // One person, one survey at a time; and the unsubscribe given on the merged record stands.
    expect(await count(`SELECT count(*) AS n FROM invitations WHERE contact_id = 704 AND status = 'scheduled'`)).toBe(
      1,
    );
    expect(
      (
        await s.deps.db.query(
          `SELECT milestone_key, skip_reason FROM invitations WHERE contact_id = 704 AND status = 'skipped'`,
        )
      ).rows,
    ).toEqual([{ milestone_key: 'deal:51:closedwon:contact:705', skip_reason: 'quiet_period' }]);
    expect(await count('SELECT count(*) AS n FROM survey_opt_outs WHERE contact_id = 704')).toBe(1);
    expect(await count('SELECT count(*) AS n FROM survey_opt_outs WHERE contact_id = 705')).toBe(0);
  });

  it("on privacy deletion erases the person's personal and survey data", async () => {
    hubspotContacts['706'] = {
      email: 'forget.me@example.com',
      firstname: 'Forget',
      lastname: 'Me',
      lastmodifieddate: '2026-05-01T00:00:00.000Z',
    };
    await deliver([
      event('contact.creation', 706),
      event('contact.propertyChange', 706, { propertyName: 'email', propertyValue: 'forget.me@example.com' }),
    ]);
    const { responseId, invitationId } = await answered(706, null);
    await scheduled(706, 'ticket:9:4:contact:706');
    await aFollowUp(s.deps.db, { portalId: PORTAL, responseId, contactId: 706, category: 'detractor' });
    await anOutboxItem(s.deps.db, PORTAL, followUpOutbox, responseId);
    await anOutboxItem(s.deps.db, PORTAL, workflowCallbackOutbox, invitationId);
    await anOutboxItem(s.deps.db, PORTAL, contactPropertiesOutbox, '706');
    delete hubspotContacts['706'];

    await deliver([event('contact.privacyDeletion', 706), event('contact.deletion', 706)]);

    expect(
      await count(
        `SELECT count(*) AS n FROM contacts WHERE email = 'forget.me@example.com' OR firstname = 'Forget' OR lastname = 'Me'`,
      ),
    ).toBe(0);
    expect(await count('SELECT count(*) AS n FROM responses WHERE contact_id = 706')).toBe(0);
    expect(
      await count(`SELECT count(*) AS n FROM responses WHERE comment = 'private words' AND id = $1`, [responseId]),
    ).toBe(0);
    expect(await count('SELECT count(*) AS n FROM invitations WHERE contact_id = 706')).toBe(0);
    expect(await count('SELECT count(*) AS n FROM follow_ups WHERE contact_id = 706')).toBe(0);
    expect(
      await count(`SELECT count(*) AS n FROM outbox WHERE item_key IN ('706', $1, $2)`, [responseId, invitationId]),
    ).toBe(0);
    expect(
      await count(`SELECT count(*) AS n FROM webhook_events WHERE payload::text LIKE '%forget.me@example.com%'`),
    ).toBe(0);
    expect(await row(706)).toMatchObject({ email: null, firstname: null, lastname: null, erased_at: expect.any(Date) });
  });
});
