import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureContactsMirrored } from '../../src/contacts/mirror';
import { recordResponse } from '../../src/responses/record';
import type { Sandbox } from '../../src/sandbox';
import { scheduleInvitation } from '../../src/triggers/schedule';
import { TEST_PORTAL_ID } from '../helpers/env';
import { startSandboxApp, type SandboxApp } from '../helpers/sandbox-app';
import type { TestServer } from '../helpers/server';
import { waitFor } from '../helpers/wait';

// Closing the loop end to end: the whole app against the sandbox. An answer about a won deal becomes one task in
// the sandbox (on the contact and the deal, for the contact's owner) even while the sandbox fails calls, and
// completing that task in the sandbox reaches the app through a signed webhook.

const PORTAL = TEST_PORTAL_ID;
let sandbox: Sandbox;
let s: TestServer;
let rig: SandboxApp;

beforeAll(async () => {
  rig = await startSandboxApp({
    seed: { seed: 3, contacts: 5, companies: 2, deals: 0, tickets: 0, owners: 3 },
    webhooks: {
      subscriptions: [
        { subscriptionType: 'object.propertyChange', objectType: 'task', propertyName: 'hs_task_status' },
      ],
    },
  });
  ({ sandbox, server: s } = rig);
});
afterAll(async () => {
  await rig?.close();
});

describe('follow-up tasks against the sandbox', () => {
  it('a detractor answer about a won deal becomes one task for the contact owner, and completing it closes the loop', async () => {
    const owner = sandbox.seedReport(PORTAL)!.owners[0]!.id;
    const contact = sandbox.crm.createRecord('contacts', {
      email: 'grace@example.com',
      firstname: 'Grace',
      lastname: 'Hopper',
      hubspot_owner_id: owner,
    });
    const deal = sandbox.crm.createRecord(
      'deals',
      { dealname: 'Fleet renewal', pipeline: 'default', dealstage: 'closedwon' },
      {
        associations: [
          { to: { id: contact.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 }] },
        ],
      },
    );
    await ensureContactsMirrored(s.deps, PORTAL, [contact.id]);
    const invitation = await scheduleInvitation(s.deps, {
      portalId: PORTAL,
      contactId: contact.id,
      trigger: 'deal',
      milestoneKey: `deal:${deal.id}:closedwon:contact:${contact.id}`,
      scheduledFor: new Date(),
      channel: 'email',
      source: { objectType: 'deal', objectId: deal.id, pipeline: 'default', stage: 'closedwon' },
    });
    // Half the task calls fail (500/502) until the task is there: retries still make exactly one task.
    sandbox.faults.set({ errorRate: 0.5, errorStatuses: [500, 502], paths: ['/crm/v3/objects/tasks'], seed: 7 });
    const { responseId } = await recordResponse(s.deps, {
      portalId: PORTAL,
      contactId: Number(contact.id),
      invitationId: invitation.invitationId,
      score: 2,
      comment: 'The rollout <script>broke</script> twice',
      channel: 'page',
    });

    const [task] = await waitFor(
      () => {
        const tasks = sandbox.crm.listTasks({ contactId: contact.id });
        return tasks.length > 0 ? tasks : null;
      },
      { timeoutMs: 40_000, what: 'the follow-up task in the sandbox' },
    );
    expect(sandbox.faults.state().injected.errors).toBeGreaterThan(0);
    sandbox.faults.clear();
    expect(task!.properties).toMatchObject({
      hs_task_priority: 'HIGH',
      hs_task_type: 'CALL',
      hubspot_owner_id: owner,
      hs_task_subject: 'Call Grace Hopper: NPS 2 (detractor)',
    });
    expect(task!.properties.hs_task_body).toContain('The rollout &lt;script&gt;broke&lt;/script&gt; twice');
    expect(task!.associations.contacts?.map((c) => c.id)).toEqual([contact.id]);
    expect(task!.associations.deals?.map((d) => d.id)).toEqual([deal.id]);
    await waitFor(
      async () => (await s.deps.db.query(`SELECT 1 FROM outbox WHERE kind = 'follow-up'`)).rows.length === 0,
      { what: 'the follow-up outbox to drain' },
    );
    expect(sandbox.crm.listTasks({ contactId: contact.id })).toHaveLength(1);

    sandbox.crm.updateRecord('tasks', task!.id, { hs_task_status: 'COMPLETED' });
    await sandbox.webhooks.flush();
    const done = await waitFor(
      async () => {
        const r = await s.deps.db.query<{ status: string; completed_at: Date | null }>(
          'SELECT status, completed_at FROM follow_ups WHERE response_id = $1',
          [responseId],
        );
        return r.rows[0]?.status === 'completed' ? r.rows[0] : null;
      },
      { what: 'the completion webhook to close the follow-up' },
    );
    expect(done.completed_at).not.toBeNull();
  });
});
