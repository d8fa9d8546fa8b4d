import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { followUpsFeature, flushFollowUps } from '../../src/follow-ups';
import { recordResponse } from '../../src/responses/record';
import { saveSettings } from '../../src/core/settings-service';
import { TEST_PORTAL_ID } from '../helpers/env';
import { startTestServer, type TestServer } from '../helpers/server';
import { aContact, anInvitation, someContacts } from '../factories';

// Follow-up tasks through the real HubSpot client against HubSpot's HTTP API (nock), with the bodies HubSpot received
// captured. Workers are off: each test runs the flush job's function itself, as often as it wants.

const HUBSPOT = 'https://api.hubapi.com';

interface FakeTask {
  id: string;
  properties: Record<string, string>;
  associations: Array<{ to: { id: string }; types: Array<{ associationTypeId: number }> }>;
}

/** Just enough of HubSpot’s tasks API: batch create/update/read, and the v4 batch read of contacts’ tasks. */
class FakeTasks {
  tasks = new Map<string, FakeTask>();
  creates: Array<Array<{ properties: Record<string, string>; associations: FakeTask['associations'] }>> = [];
  updates: Array<Array<{ id: string; properties: Record<string, string> }>> = [];
  dealReads: string[][] = [];
  deals = new Map<string, string>();
  /** Decides the next create's fate: 'ok', 'lost' (created, but the answer never arrives) or 'down' (502, nothing created). */
  nextCreates: Array<'ok' | 'lost' | 'down'> = [];
  private nextId = 9000;

  install() {
    nock(HUBSPOT)
      .persist()
      .post('/crm/v3/objects/tasks/batch/create')
      .reply((_uri, body: any) => {
        this.creates.push(body.inputs);
        const fate = this.nextCreates.shift() ?? 'ok';
        if (fate === 'down')
          return [502, '<html><title>502 Bad Gateway</title></html>', { 'content-type': 'text/html' }];
        const results = body.inputs.map((input: any) => {
          const task = { id: String(this.nextId++), properties: input.properties, associations: input.associations };
          this.tasks.set(task.id, task);
          return {
            id: task.id,
            properties: task.properties,
            createdAt: '2026-03-06T15:00:00Z',
            updatedAt: '2026-03-06T15:00:00Z',
            archived: false,
          };
        });
        if (fate === 'lost') return [500, { status: 'error', category: 'INTERNAL_ERROR', message: 'internal error' }];
        return [201, { status: 'COMPLETE', results }];
      })
      .post('/crm/v3/objects/tasks/batch/update')
      .reply((_uri, body: any) => {
        this.updates.push(body.inputs);
        const results = body.inputs.map((i: any) => {
          const task = this.tasks.get(i.id)!;
          Object.assign(task.properties, i.properties);
          return { id: task.id, properties: task.properties };
        });
        return [200, { status: 'COMPLETE', results }];
      })
      .post('/crm/v3/objects/tasks/batch/read')
      .reply((_uri, body: any) => {
        const found = body.inputs.map((i: any) => this.tasks.get(i.id)).filter(Boolean);
        return [
          200,
          { status: 'COMPLETE', results: found.map((t: FakeTask) => ({ id: t.id, properties: t.properties })) },
        ];
      })
      .post('/crm/v4/associations/contacts/tasks/batch/read')
      .reply((_uri, body: any) => {
        const results = body.inputs.map((i: { id: string }) => ({
          from: { id: i.id },
          to: [...this.tasks.values()]
            .filter((t) => t.associations.some((a) => a.to.id === i.id && a.types[0]!.associationTypeId === 204))
            .map((t) => ({
              toObjectId: Number(t.id),
              associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 203, label: null }],
            })),
        }));
        return [200, { status: 'COMPLETE', results }];
      })
      .post('/crm/v3/objects/deals/batch/read')
      .reply((_uri, body: any) => {
        this.dealReads.push(body.inputs.map((i: any) => i.id));
        const results = body.inputs
          .filter((i: any) => this.deals.has(i.id))
          .map((i: any) => ({ id: i.id, properties: { hubspot_owner_id: this.deals.get(i.id) } }));
        return [200, { status: 'COMPLETE', results }];
      });
  }

  tasksOfContact(contactId: number | string) {
    return [...this.tasks.values()].filter((t) => t.associations.some((a) => a.to.id === String(contactId)));
  }
}

describe('follow-up tasks', () => {
  let s: TestServer;
  const hubspot = new FakeTasks();
  let nextContact = 500;

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    hubspot.install();
    s = await startTestServer({ RUN_WORKERS: 'false' }, { features: [followUpsFeature] });
  });
  afterEach(() => {
    hubspot.creates.length = 0;
    hubspot.updates.length = 0;
    hubspot.dealReads.length = 0;
    hubspot.nextCreates = [];
  });
  afterAll(async () => {
    await s?.close();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  // Outbox items are stamped with the database's clock (microseconds) and read with ours (milliseconds): a flush
  // in the same millisecond as the answer would find nothing due yet, so the test lets that millisecond pass.
  const flush = async () => {
    await new Promise((r) => setTimeout(r, 10));
    return flushFollowUps(s.deps, { holdMs: 0 });
  };

  /** A contact and an invitation from a deal reaching closedwon; returns ids to answer it with. */
  async function surveyedAboutDeal(opts: { ownerId?: string | null; dealId?: string; firstname?: string } = {}) {
    const contactId = nextContact++;
    await aContact(s.deps.db, TEST_PORTAL_ID, {
      contactId,
      email: `c${contactId}@example.com`,
      firstname: opts.firstname ?? 'Ada',
      lastname: 'Lovelace',
      ownerId: opts.ownerId === undefined ? '11' : opts.ownerId,
    });
    const now = new Date();
    const r = await anInvitation(s.deps.db, {
      portalId: TEST_PORTAL_ID,
      contactId,
      trigger: 'deal',
      milestoneKey: `deal:${opts.dealId ?? '7001'}:closedwon:contact:${contactId}`,
      source: { objectType: 'deal', objectId: opts.dealId ?? '7001', pipeline: 'default', stage: 'closedwon' },
      status: 'sent',
      scheduledFor: now,
      sentAt: now,
    });
    return { contactId, invitationId: r.id };
  }

  const answer = (ids: { contactId: number; invitationId: string }, score: number, comment: string | null = null) =>
    recordResponse(s.deps, {
      portalId: TEST_PORTAL_ID,
      contactId: ids.contactId,
      invitationId: ids.invitationId,
      score,
      comment,
      channel: 'page',
    });

  const followUp = async (responseId: string) =>
    (
      await s.deps.db.query<{
        status: string;
        hubspot_task_id: string | null;
        owner_id: string | null;
        priority: string;
      }>('SELECT status, hubspot_task_id, owner_id, priority FROM follow_ups WHERE response_id = $1', [responseId])
    ).rows[0];

  it('when a detractor answers, one HIGH CALL task is opened for the contact owner, on the contact and the deal', async () => {
    const ids = await surveyedAboutDeal({ ownerId: '11', dealId: '7001' });
    const { responseId } = await answer(ids, 3, 'Support took <b>ages</b> & nobody called');
    const totals = await flush();

    expect(totals).toMatchObject({ created: 1, failed: 0 });
    expect(hubspot.creates).toHaveLength(1);
    const [sent] = hubspot.creates[0]!;
    expect(sent!.properties).toMatchObject({
      hs_task_subject: 'Call Ada Lovelace: NPS 3 (detractor)',
      hs_task_priority: 'HIGH',
      hs_task_type: 'CALL',
      hs_task_status: 'NOT_STARTED',
      hubspot_owner_id: '11',
    });
    expect(sent!.properties.hs_task_body).toContain('NPS score: 3/10');
    expect(sent!.properties.hs_task_body).toContain('Support took &lt;b&gt;ages&lt;/b&gt; &amp; nobody called');
    expect(sent!.properties.hs_task_body).toContain('deal 7001 (pipeline default, stage closedwon)');
    expect(sent!.associations).toEqual([
      {
        to: { id: String(ids.contactId) },
        types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 204 }],
      },
      { to: { id: '7001' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 216 }] },
    ]);
    const due = new Date(sent!.properties.hs_timestamp!);
    expect(due.getTime()).toBeGreaterThan(Date.now());
    expect([1, 2, 3, 4, 5]).toContain(due.getUTCDay());
    expect(await followUp(responseId)).toMatchObject({
      status: 'open',
      hubspot_task_id: [...hubspot.tasks.keys()].at(-1),
      owner_id: '11',
      priority: 'HIGH',
    });
  });

  it('gives the task to the deal owner when the contact has none, and reads deal owners in one batch', async () => {
    hubspot.deals.set('7100', '22');
    const a = await surveyedAboutDeal({ ownerId: null, dealId: '7100' });
    const b = await surveyedAboutDeal({ ownerId: null, dealId: '7101' });
    await answer(a, 5);
    await answer(b, 8);
    await flush();
    expect(hubspot.dealReads).toEqual([['7100', '7101']]);
    const [first, second] = hubspot.creates[0]!;
    expect(first!.properties.hubspot_owner_id).toBe('22');
    // No deal owner and no default owner in settings: the task is created unassigned rather than not at all.
    expect(second!.properties.hubspot_owner_id).toBeUndefined();
    expect(second!.properties).toMatchObject({ hs_task_priority: 'MEDIUM', hs_task_type: 'TODO' });
  });

  it('running the flush job 3 times still makes one task per answer', async () => {
    const ids = await surveyedAboutDeal();
    await answer(ids, 2);
    await flush();
    await flush();
    await flush();
    expect(hubspot.creates).toHaveLength(1);
    expect(hubspot.tasksOfContact(ids.contactId)).toHaveLength(1);
  });

  it('when HubSpot created the task but the answer was lost, the retry finds it instead of creating a second one', async () => {
    const ids = await surveyedAboutDeal();
    const { responseId } = await answer(ids, 1);
    hubspot.nextCreates = ['lost'];
    expect((await flush()).failed).toBe(1);
    expect(await followUp(responseId)).toMatchObject({ status: 'pending', hubspot_task_id: null });

    await s.deps.db.query(`UPDATE outbox SET due_at = now() WHERE kind = 'follow-up'`);
    await flush();
    expect(hubspot.creates).toHaveLength(1);
    const tasks = hubspot.tasksOfContact(ids.contactId);
    expect(tasks).toHaveLength(1);
    expect(await followUp(responseId)).toMatchObject({ status: 'open', hubspot_task_id: tasks[0]!.id });
  });

  it('when HubSpot was down, the retry creates the task once it is back', async () => {
    const ids = await surveyedAboutDeal();
    const { responseId } = await answer(ids, 4);
    hubspot.nextCreates = ['down'];
    await flush();
    expect(hubspot.tasksOfContact(ids.contactId)).toHaveLength(0);
    await s.deps.db.query(`UPDATE outbox SET due_at = now() WHERE kind = 'follow-up'`);
    await flush();
    expect(hubspot.tasksOfContact(ids.contactId)).toHaveLength(1);
    expect((await followUp(responseId))!.status).toBe('open');
  });

  it('a changed answer updates its task instead of adding one', async () => {
    const ids = await surveyedAboutDeal();
    const { responseId } = await answer(ids, 2, 'slow');
    await flush();
    const taskId = (await followUp(responseId))!.hubspot_task_id!;
    hubspot.creates.length = 0;

    const changed = await answer(ids, 8, 'actually fine');
    expect(changed.responseId).toBe(responseId);
    await flush();
    expect(hubspot.creates).toHaveLength(0);
    expect(hubspot.updates).toHaveLength(1);
    expect(hubspot.updates[0]).toEqual([
      {
        id: taskId,
        properties: expect.objectContaining({
          hs_task_priority: 'MEDIUM',
          hs_task_type: 'TODO',
          hs_task_subject: 'Follow up with Ada Lovelace: NPS 8 (passive)',
        }),
      },
    ]);
    expect(hubspot.updates[0]![0]!.properties.hs_task_body).toContain('actually fine');
    expect(hubspot.tasksOfContact(ids.contactId)).toHaveLength(1);
  });

  it('a changed answer whose category needs no follow-up rewrites the task but closes nothing', async () => {
    await saveSettings(s.deps.db, TEST_PORTAL_ID, { followUps: { promoter: { enabled: false } } });
    try {
      const ids = await surveyedAboutDeal();
      const { responseId } = await answer(ids, 0);
      await flush();
      await answer(ids, 10);
      await flush();
      const [update] = hubspot.updates.at(-1)!;
      expect(update!.properties.hs_task_subject).toBe(
        'No follow-up needed: Ada Lovelace changed their NPS answer to 10 (promoter)',
      );
      expect(update!.properties.hs_task_status).toBeUndefined();
      expect((await followUp(responseId))!.status).toBe('open');
    } finally {
      await saveSettings(s.deps.db, TEST_PORTAL_ID, {});
    }
  });

  it('120 answers are created in batch calls of 100 and 20', async () => {
    const contactIds = Array.from({ length: 120 }, (_, i) => 20_000 + i);
    await someContacts(
      s.deps.db,
      TEST_PORTAL_ID,
      contactIds.map((id) => ({ contactId: id, email: `b${id}@example.com`, ownerId: '11' })),
    );
    const now = new Date();
    const invitations = [];
    for (const id of contactIds) {
      invitations.push(
        await anInvitation(s.deps.db, {
          portalId: TEST_PORTAL_ID,
          contactId: id,
          trigger: 'deal',
          milestoneKey: `deal:${id - 12000}:closedwon:contact:${id}`,
          source: { objectType: 'deal', objectId: id - 12000 },
          status: 'sent',
          scheduledFor: now,
          sentAt: now,
        }),
      );
    }
    for (const [i, inv] of invitations.entries())
      await answer({ contactId: Number(inv.contactId), invitationId: inv.id }, i % 11);
    const totals = await flush();
    expect(totals.created).toBe(120);
    expect(hubspot.creates.map((c) => c.length)).toEqual([100, 20]);
    const pending = await s.deps.db.query(`SELECT 1 FROM outbox WHERE kind = 'follow-up'`);
    expect(pending.rows).toHaveLength(0);
  });
});
