import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../helpers/db';
import { ensureStaticPortal } from '../../src/core/portals.repo';
import { markContactsDeleted, saveContacts } from '../../src/contacts/contacts.repo';
import { eraseContact } from '../../src/contacts/privacy';
import type { ContactRecord } from '../../src/contacts/properties';
import { followUpOutbox } from '../../src/follow-ups/tasks';
import { workflowCallbackOutbox } from '../../src/workflow-action/callbacks';
import { contactPropertiesOutbox } from '../../src/responses/writeback';
import { aFollowUp, anInvitation, anOutboxItem, aResponse, aWebhookEvent } from '../factories';

const PORTAL = 4401;
let t: TestDb;

const contact = (id: string, over: Partial<ContactRecord> = {}): ContactRecord => ({
  contactId: id,
  email: `c${id}@example.com`,
  firstname: 'First',
  lastname: 'Last',
  language: 'en',
  ownerId: '5',
  companyId: null,
  lifecycleStage: 'customer',
  createdAt: new Date('2025-01-01T00:00:00Z'),
  customerSince: null,
  optedOut: false,
  bounced: false,
  updatedAt: new Date('2026-01-01T00:00:00Z'),
  ...over,
});
const save = (records: ContactRecord[], runId?: string) =>
  t.db.transaction((tx) => saveContacts(tx, PORTAL, records, runId));
const row = async (id: string) =>
  (
    await t.db.query<Record<string, any>>('SELECT * FROM contacts WHERE portal_id = $1 AND contact_id = $2', [
      PORTAL,
      id,
    ])
  ).rows[0];
const outbox = async (kind: string) =>
  (
    await t.db.query<{ item_key: string }>(
      'SELECT item_key FROM outbox WHERE portal_id = $1 AND kind = $2 ORDER BY item_key',
      [PORTAL, kind],
    )
  ).rows.map((r) => r.item_key);

beforeAll(async () => {
  t = await openTestDb();
  await ensureStaticPortal(t.db, PORTAL);
});
afterAll(() => t.cleanup());
beforeEach(async () => {
  for (const table of ['follow_ups', 'responses', 'invitations', 'outbox', 'contacts', 'webhook_events'])
    await t.db.query(`DELETE FROM ${table}`);
});

async function answer(
  contactId: string,
  companyId: string | null,
  score = 3,
): Promise<{ invitationId: string; responseId: string }> {
  const now = new Date();
  const inv = await anInvitation(t.db, {
    portalId: PORTAL,
    contactId,
    trigger: 'deal',
    milestoneKey: `deal:1:closedwon:contact:${contactId}:${Math.random()}`,
    status: 'answered',
    scheduledFor: now,
    sentAt: now,
  });
  const res = await aResponse(t.db, {
    portalId: PORTAL,
    contactId,
    invitationId: inv.id,
    score,
    category: 'detractor',
    comment: 'my secret complaint',
    channel: 'page',
    trigger: 'deal',
    companyId,
    answeredAt: now,
  });
  return { invitationId: inv.id, responseId: res.id };
}

describe('contact mirror upserts', () => {
  it('creates then updates a contact and counts each', async () => {
    expect(await save([contact('1'), contact('2')])).toEqual({ created: 2, updated: 0, unchanged: 0 });
    expect(await save([contact('1', { firstname: 'Changed', updatedAt: new Date('2026-02-01T00:00:00Z') })])).toEqual({
      created: 0,
      updated: 1,
      unchanged: 0,
    });
    expect((await row('1'))!.firstname).toBe('Changed');
  });

  it('changes nothing when the same state is read again', async () => {
    await save([contact('1')]);
    expect(await save([contact('1')])).toEqual({ created: 0, updated: 0, unchanged: 1 });
  });

  it('never lets an older lastmodifieddate overwrite a newer row', async () => {
    await save([contact('1', { email: 'new@example.com', updatedAt: new Date('2026-03-01T00:00:00Z') })]);
    expect(
      await save([contact('1', { email: 'old@example.com', updatedAt: new Date('2026-01-01T00:00:00Z') })]),
    ).toEqual({ created: 0, updated: 0, unchanged: 1 });
    expect((await row('1'))!.email).toBe('new@example.com');
  });

  it('stamps contacts seen by a sync run, even when their stored state is newer', async () => {
    await save([contact('1', { updatedAt: new Date('2026-03-01T00:00:00Z') })]);
    await save([contact('1'), contact('2')], 'run-a');
    const stamps = await t.db.query<{ sync_run_id: string }>(
      'SELECT sync_run_id FROM contacts WHERE portal_id = $1 ORDER BY contact_id',
      [PORTAL],
    );
    expect(stamps.rows.map((r) => r.sync_run_id)).toEqual(['run-a', 'run-a']);
  });

  it('marks the old and the new company for an NPS rollup when a contact with answers changes company', async () => {
    await save([contact('1', { companyId: '100' }), contact('2', { companyId: '300' })]);
    await answer('1', '100');
    await save([
      contact('1', { companyId: '200', updatedAt: new Date('2026-02-01T00:00:00Z') }),
      contact('2', { companyId: '400', updatedAt: new Date('2026-02-01T00:00:00Z') }),
    ]);
    expect(await outbox('company-rollup')).toEqual(['100', '200']);
  });

  it('keeps a deletion until HubSpot shows the contact modified after it (a restore)', async () => {
    await save([contact('1')]);
    await t.db.transaction((tx) => markContactsDeleted(tx, PORTAL, ['1'], new Date('2026-01-15T00:00:00Z')));
    await save([contact('1')]);
    expect((await row('1'))!.deleted_at).not.toBeNull();
    await save([contact('1', { updatedAt: new Date('2026-01-20T00:00:00Z') })]);
    expect((await row('1'))!.deleted_at).toBeNull();
  });

  it('ignores a deletion older than the state we hold when asked to', async () => {
    await save([contact('1', { updatedAt: new Date('2026-02-01T00:00:00Z') })]);
    const changed = await t.db.transaction((tx) =>
      markContactsDeleted(tx, PORTAL, ['1'], new Date('2026-01-15T00:00:00Z'), { onlyIfNotNewer: true }),
    );
    expect(changed).toEqual([]);
    expect((await row('1'))!.deleted_at).toBeNull();
  });

  it("turns a deleted contact's scheduled invitations into contact_deleted skips", async () => {
    await save([contact('1')]);
    await anInvitation(t.db, {
      portalId: PORTAL,
      contactId: 1,
      trigger: 'deal',
      milestoneKey: 'k1',
      status: 'scheduled',
    });
    await t.db.transaction((tx) => markContactsDeleted(tx, PORTAL, ['1'], new Date()));
    const inv = await t.db.query<{ status: string; skip_reason: string }>(
      'SELECT status, skip_reason FROM invitations WHERE portal_id = $1',
      [PORTAL],
    );
    expect(inv.rows).toEqual([{ status: 'skipped', skip_reason: 'contact_deleted' }]);
  });
});

describe('privacy deletion', () => {
  it("erases the person's personal and survey data and keeps a tombstone that a late sync cannot refill", async () => {
    await save([contact('1', { email: 'ada@example.com', firstname: 'Ada', companyId: '100' }), contact('2')]);
    const { responseId, invitationId } = await answer('1', '100');
    await answer('2', null);
    await aFollowUp(t.db, { portalId: PORTAL, responseId, contactId: 1, category: 'detractor' });
    await anOutboxItem(t.db, PORTAL, contactPropertiesOutbox, '1');
    await anOutboxItem(t.db, PORTAL, followUpOutbox, responseId);
    await anOutboxItem(t.db, PORTAL, workflowCallbackOutbox, invitationId);
    const occurredAt = new Date();
    await aWebhookEvent(t.db, {
      portalId: PORTAL,
      dedupeKey: 'a',
      subscriptionType: 'contact.propertyChange',
      objectId: 1,
      occurredAt,
      payload: { propertyName: 'email', propertyValue: 'ada@example.com' },
    });
    await aWebhookEvent(t.db, {
      portalId: PORTAL,
      dedupeKey: 'b',
      subscriptionType: 'contact.propertyChange',
      objectId: 2,
      occurredAt,
      payload: {},
    });

    const result = await eraseContact(t.db, PORTAL, '1');
    expect(result).toMatchObject({
      contactIds: ['1'],
      responses: 1,
      invitations: 1,
      followUps: 1,
      outboxItems: 3,
      webhookEvents: 1,
    });

    const left = await t.db.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM responses WHERE contact_id = 1) + (SELECT count(*) FROM invitations WHERE contact_id = 1)
            + (SELECT count(*) FROM follow_ups WHERE contact_id = 1) + (SELECT count(*) FROM webhook_events WHERE object_id = 1)
            + (SELECT count(*) FROM outbox WHERE item_key IN ('1', $1, $2) AND kind <> 'company-rollup') AS n`,
      [responseId, invitationId],
    );
    expect(Number(left.rows[0]!.n)).toBe(0);
    const found = await t.db.query(
      `SELECT 1 FROM contacts WHERE email = 'ada@example.com' OR firstname = 'Ada' UNION ALL SELECT 1 FROM responses WHERE comment = 'my secret complaint' AND contact_id = 1`,
    );
    expect(found.rowCount).toBe(0);
    expect(await outbox('company-rollup')).toEqual(['100']);
    // The other contact is untouched.
    expect((await t.db.query('SELECT 1 FROM responses WHERE contact_id = 2')).rowCount).toBe(1);

    await save([contact('1', { email: 'ada@example.com', updatedAt: new Date('2030-01-01T00:00:00Z') })]);
    expect((await row('1'))!.email).toBeNull();
  });

  it('erases records merged into the person too', async () => {
    await save([contact('1'), contact('3', { email: 'old-address@example.com' })]);
    await t.db.query('UPDATE contacts SET merged_into = 1, deleted_at = now() WHERE contact_id = 3');
    const result = await eraseContact(t.db, PORTAL, '1');
    expect(result.contactIds.sort()).toEqual(['1', '3']);
    expect((await t.db.query(`SELECT 1 FROM contacts WHERE email IS NOT NULL`)).rowCount).toBe(0);
  });
});
