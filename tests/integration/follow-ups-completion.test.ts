import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FOLLOW_UPS_CHECK_QUEUE,
  followUpsFeature,
  openFollowUpsForCompany,
  openFollowUpsForContact,
} from '../../src/follow-ups';
import { webhooksFeature } from '../../src/webhooks';
import { TEST_PORTAL_ID } from '../helpers/env';
import { startTestServer, type TestServer } from '../helpers/server';
import { signedFetch } from '../helpers/signed';
import { waitFor } from '../helpers/wait';
import { aContact, aFollowUp, aResponse, type FollowUpStatus } from '../factories';

// Closing the loop: task completions reach follow_ups through signed webhooks (processed by the real workers)
// and through the periodic check, which batch-reads open tasks from HubSpot (nock).

const HUBSPOT = 'https://api.hubapi.com';

describe('follow-up completion', () => {
  let s: TestServer;
  let seq = 0;
  const taskReads: Array<{ ids: string[]; properties: string[] }> = [];
  const hubspotTasks = new Map<string, Record<string, string>>();

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    nock(HUBSPOT)
      .persist()
      .post('/crm/v3/objects/tasks/batch/read')
      .reply((_uri, body: any) => {
        const ids: string[] = body.inputs.map((i: any) => i.id);
        taskReads.push({ ids, properties: body.properties });
        const results = ids
          .filter((id) => hubspotTasks.has(id))
          .map((id) => ({ id, properties: hubspotTasks.get(id) }));
        const missing = ids.filter((id) => !hubspotTasks.has(id));
        const errors = missing.length
          ? [
              {
                status: 'error',
                category: 'OBJECT_NOT_FOUND',
                message: 'Could not get some TASK objects',
                context: { ids: missing },
              },
            ]
          : [];
        return [missing.length ? 207 : 200, { status: 'COMPLETE', results, errors }];
      });
    s = await startTestServer({}, { features: [webhooksFeature, followUpsFeature] });
  });
  afterAll(async () => {
    await s?.close();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  /** An answer with an open follow-up task in HubSpot (stored directly: creation is covered in follow-ups.test.ts). */
  async function openFollowUp(opts: { status?: FollowUpStatus; companyId?: number; answeredAt?: Date } = {}) {
    const n = seq++;
    const contactId = 6000 + n;
    const taskId = String(70_000 + n);
    await aContact(s.deps.db, TEST_PORTAL_ID, {
      contactId,
      email: `x${n}@example.com`,
      companyId: opts.companyId ?? null,
    });
    const r = await aResponse(s.deps.db, {
      portalId: TEST_PORTAL_ID,
      contactId,
      score: 2,
      category: 'detractor',
      channel: 'manual',
      trigger: 'manual',
      answeredAt: opts.answeredAt ?? new Date('2026-03-02T09:00:00Z'),
    });
    const f = await aFollowUp(s.deps.db, {
      portalId: TEST_PORTAL_ID,
      responseId: r.id,
      contactId,
      category: 'detractor',
      hubspotTaskId: taskId,
      subject: 'Call them',
      priority: 'HIGH',
      taskType: 'CALL',
      dueAt: new Date('2026-03-03T09:00:00Z'),
      status: opts.status ?? 'open',
    });
    return { contactId, taskId, followUpId: f.id, responseId: r.id };
  }

  const state = async (followUpId: string) =>
    (
      await s.deps.db.query<{ status: string; completed_at: Date | null }>(
        'SELECT status, completed_at FROM follow_ups WHERE id = $1',
        [followUpId],
      )
    ).rows[0]!;

  function taskEvent(taskId: string, occurredAt: number, extra: Record<string, unknown>) {
    return {
      eventId: occurredAt,
      subscriptionId: 31,
      portalId: TEST_PORTAL_ID,
      appId: 77,
      occurredAt,
      attemptNumber: 0,
      objectId: Number(taskId),
      objectTypeId: '0-27',
      changeSource: 'CRM_UI',
      ...extra,
    };
  }
  const statusEvent = (taskId: string, occurredAt: number, value: string) =>
    taskEvent(taskId, occurredAt, {
      subscriptionType: 'object.propertyChange',
      propertyName: 'hs_task_status',
      propertyValue: value,
    });

  it('when someone completes the task in HubSpot, the webhook records completed_at and the close-the-loop time', async () => {
    const f = await openFollowUp({ answeredAt: new Date('2026-03-02T09:00:00Z') });
    const completedAt = Date.parse('2026-03-03T15:30:00Z');
    const res = await signedFetch(s.url, '/webhooks/hubspot', {
      body: [statusEvent(f.taskId, completedAt, 'COMPLETED')],
    });
    expect(res.status).toBe(200);
    await waitFor(async () => (await state(f.followUpId)).status === 'completed', {
      what: 'the follow-up to be completed',
    });
    expect(new Date((await state(f.followUpId)).completed_at!).toISOString()).toBe('2026-03-03T15:30:00.000Z');
    const loop = await s.deps.db.query<{ close_seconds: string }>(
      'SELECT close_seconds FROM follow_up_loop_times WHERE follow_up_id = $1',
      [f.followUpId],
    );
    expect(Number(loop.rows[0]!.close_seconds)).toBe(30.5 * 3600);
  });

  it('a late, older status event does not reopen a completed follow-up; a newer one does', async () => {
    const f = await openFollowUp();
    const t = Date.parse('2026-03-04T10:00:00Z');
    await signedFetch(s.url, '/webhooks/hubspot', { body: [statusEvent(f.taskId, t, 'COMPLETED')] });
    await waitFor(async () => (await state(f.followUpId)).status === 'completed', { what: 'completion' });
    await signedFetch(s.url, '/webhooks/hubspot', { body: [statusEvent(f.taskId, t - 60_000, 'IN_PROGRESS')] });
    await signedFetch(s.url, '/webhooks/hubspot', {
      body: [
        statusEvent(f.taskId, t + 60_000, 'NOT_STARTED'),
        taskEvent(String(Number(f.taskId) + 999), t, { subscriptionType: 'object.creation' }),
      ],
    });
    await waitFor(async () => (await state(f.followUpId)).status === 'open', { what: 'the newer event to reopen it' });
    expect((await state(f.followUpId)).completed_at).toBeNull();
  });

  it('a task deleted in HubSpot marks its follow-up deleted, so it is neither recreated nor polled', async () => {
    const f = await openFollowUp();
    await signedFetch(s.url, '/webhooks/hubspot', {
      body: [taskEvent(f.taskId, Date.now(), { subscriptionType: 'object.deletion' })],
    });
    await waitFor(async () => (await state(f.followUpId)).status === 'deleted', {
      what: 'the follow-up to be marked deleted',
    });
  });

  it('the periodic check completes follow-ups whose tasks were completed without a webhook', async () => {
    await s.deps.db.query(`UPDATE follow_ups SET checked_at = now() WHERE status = 'open'`);
    const done = await openFollowUp();
    const stillOpen = await openFollowUp();
    const gone = await openFollowUp();
    hubspotTasks.set(done.taskId, {
      hs_task_status: 'COMPLETED',
      hs_task_completion_date: String(Date.parse('2026-03-05T08:00:00Z')),
    });
    hubspotTasks.set(stillOpen.taskId, { hs_task_status: 'NOT_STARTED', hs_task_completion_date: '' });

    await s.deps.jobs.send(FOLLOW_UPS_CHECK_QUEUE, {});
    await waitFor(
      async () =>
        (await state(done.followUpId)).status === 'completed' && (await state(gone.followUpId)).status === 'deleted',
      {
        what: 'the check job to complete one follow-up and mark the missing task deleted',
      },
    );
    expect(new Date((await state(done.followUpId)).completed_at!).toISOString()).toBe('2026-03-05T08:00:00.000Z');
    expect((await state(stillOpen.followUpId)).status).toBe('open');
    expect((await state(gone.followUpId)).status).toBe('deleted');
    expect(taskReads.at(-1)).toEqual({
      ids: [done.taskId, stillOpen.taskId, gone.taskId],
      properties: ['hs_task_status', 'hs_task_completion_date'],
    });
  });

  it('lists open follow-ups for the CRM card by contact and by company, without completed ones', async () => {
    const open = await openFollowUp({ companyId: 880 });
    const pending = await openFollowUp({ companyId: 880, status: 'pending' });
    const completed = await openFollowUp({ companyId: 880, status: 'completed' });
    expect((await openFollowUpsForContact(s.deps.db, TEST_PORTAL_ID, open.contactId)).map((f) => f.id)).toEqual([
      open.followUpId,
    ]);
    expect(await openFollowUpsForContact(s.deps.db, TEST_PORTAL_ID, completed.contactId)).toEqual([]);
    const forCompany = await openFollowUpsForCompany(s.deps.db, TEST_PORTAL_ID, 880);
    expect(forCompany.map((f) => f.id).sort()).toEqual([open.followUpId, pending.followUpId].sort());
    expect(forCompany.find((f) => f.id === open.followUpId)).toMatchObject({
      status: 'open',
      category: 'detractor',
      score: 2,
      hubspotTaskId: open.taskId,
      priority: 'HIGH',
      taskType: 'CALL',
      subject: 'Call them',
    });
  });
});
