import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedV3, startReceiver, startSandbox, type Running } from './helpers';

let s: Running;
beforeAll(async () => {
  s = await startSandbox({ seed: { contacts: 40, tasks: 5 } });
});
afterAll(() => s.sandbox.close());

describe('Custom workflow actions', () => {
  it('executes a signed "Send NPS survey" request for an enrolled contact and returns the app’s answer', async () => {
    const receiver = await startReceiver(() => 200, '/hubspot/workflow-actions/send-survey');
    try {
      const contact = s.sandbox.seedReport()!.idRanges.contacts!.first;
      const res = await s.control('/workflow-actions/execute', 'POST', {
        targetUrl: receiver.url,
        objectId: contact,
        inputFields: { surveyType: 'NPS', delayDays: 0 },
        properties: ['email', 'hs_language'],
      });
      const result = await res.json();
      expect(result).toMatchObject({ status: 200, body: { outputFields: { hs_execution_state: 'BLOCK' } } });
      const request = receiver.requests[0]!;
      expect(request.body).toMatchObject({
        callbackId: result.callbackId,
        origin: { portalId: 1001, actionDefinitionId: expect.any(Number), actionDefinitionVersion: 1 },
        context: { source: 'WORKFLOWS', workflowId: expect.any(Number) },
        object: {
          objectId: Number(contact),
          objectType: 'CONTACT',
          properties: { email: expect.any(String), hs_language: expect.any(String) },
        },
        inputFields: { surveyType: 'NPS', delayDays: '0' },
      });
      const secret = 'sandbox-client-secret';
      expect(request.headers['x-hubspot-signature-version']).toBe('v2');
      expect(request.headers['x-hubspot-signature']).toBe(
        createHash('sha256').update(`${secret}POST${receiver.url}${request.rawBody}`).digest('hex'),
      );
      const timestamp = String(request.headers['x-hubspot-request-timestamp']);
      expect(request.headers['x-hubspot-signature-v3']).toBe(
        expectedV3(secret, receiver.url, request.rawBody, timestamp),
      );
    } finally {
      await receiver.close();
    }
  });

  it('maps inputs from contact properties as stored (free-form, empty when unset), every value a string', async () => {
    const receiver = await startReceiver(() => 200, '/hubspot/workflow-actions/send-survey');
    try {
      for (const [hsLanguage, sent] of [
        ['en-us', 'en-us'],
        ['fr', 'fr'],
        [undefined, ''],
      ] as const) {
        const contact = s.sandbox.crm.createRecord('contacts', {
          email: `free-${sent || 'none'}@example.com`,
          ...(hsLanguage ? { hs_language: hsLanguage } : {}),
        });
        const res = await s.control('/workflow-actions/execute', 'POST', {
          targetUrl: receiver.url,
          objectId: contact.id,
          inputFields: { language: 'da', max_wait_days: 3, wait_for_answer: true },
          inputsFromProperties: { language: 'hs_language' },
        });
        s.sandbox.crm.deleteContact(contact.id);
        expect((await res.json()).outcome).toBe('completed');
        expect((receiver.requests.at(-1)!.body as { inputFields: unknown }).inputFields).toEqual({
          language: sent,
          max_wait_days: '3',
          wait_for_answer: 'true',
        });
      }
    } finally {
      await receiver.close();
    }
  });

  it('retries a 5xx or timeout with the same callbackId, re-signed, and never retries another 4xx', async () => {
    const flaky = await startReceiver(
      (n) => (n === 1 ? 503 : n === 2 ? { status: 200, delayMs: 1000 } : 200),
      '/hubspot/workflow-actions/send-survey',
    );
    const refusing = await startReceiver(() => 400, '/hubspot/workflow-actions/send-survey');
    try {
      const contact = s.sandbox.seedReport()!.idRanges.contacts!.first;
      const retried = await s.sandbox.workflowActions.execute({
        targetUrl: flaky.url,
        objectId: contact,
        timeoutMs: 300,
        retry: { attempts: 5, delayMs: 50 },
      });
      expect(retried.outcome).toBe('completed');
      expect(retried.attempts.map((a) => a.status)).toEqual([503, null, 200]);
      expect(new Set(flaky.requests.map((r) => (r.body as { callbackId: string }).callbackId))).toEqual(
        new Set([retried.callbackId]),
      );

      const failed = await s.sandbox.workflowActions.execute({
        targetUrl: refusing.url,
        objectId: contact,
        retry: { attempts: 5, delayMs: 10 },
      });
      expect(failed).toMatchObject({ outcome: 'failed', status: 400, attempts: [{ status: 400 }] });
      expect(refusing.requests).toHaveLength(1);

      const exhausted = await s.sandbox.workflowActions.execute({
        targetUrl: flaky.url.replace(/:\d+\//, ':1/'),
        objectId: contact,
        retry: { attempts: 2, delayMs: 10 },
      });
      expect(exhausted).toMatchObject({ outcome: 'retrying', status: null });
      expect(exhausted.attempts).toHaveLength(2);
    } finally {
      await flaky.close();
      await refusing.close();
    }
  });

  it('refuses a completion whose output values are not strings, as CallbackCompletionRequest types them', async () => {
    const res = await s.api('/automation/v4/actions/callbacks/ap-1001-9-7-0/complete', {
      method: 'POST',
      body: JSON.stringify({ outputFields: { hs_execution_state: 'SUCCESS', nps_score: 9 } }),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('outputFields values must be strings, got number');
  });

  it('records completed callbacks from the SDK, single and batch, and lists them on the control API', async () => {
    const callbacks = s.client().automation.actions.callbacksApi;
    await callbacks.complete('ap-1001-1-7-0', { outputFields: { hs_execution_state: 'SUCCESS', score: '9' } } as never);
    await callbacks.completeBatch({
      inputs: [{ callbackId: 'ap-1001-2-7-0', outputFields: { hs_execution_state: 'FAIL_CONTINUE' } }],
    } as never);
    const bad = await s.api('/automation/v4/actions/callbacks/x/complete', {
      method: 'POST',
      body: JSON.stringify({ outputFields: { hs_execution_state: 'MAYBE' } }),
    });
    expect(bad.status).toBe(400);
    const listed = await (await s.control('/callbacks')).json();
    expect(
      listed.completions.map((c: { callbackId: string; outputFields: object }) => [c.callbackId, c.outputFields]),
    ).toEqual([
      ['ap-1001-1-7-0', { hs_execution_state: 'SUCCESS', score: '9' }],
      ['ap-1001-2-7-0', { hs_execution_state: 'FAIL_CONTINUE' }],
    ]);
  });
});

describe('Control API', () => {
  it('summarises the state with counts per portal', async () => {
    const state = await (await s.control('/state')).json();
    expect(state.portals[0]).toMatchObject({
      portalId: 1001,
      installed: true,
      staticTokens: ['sandbox-token'],
      counts: { contacts: 40, companies: 50, deals: 80, tickets: 40, tasks: 5, owners: 8 },
    });
  });

  it('creates, reads, updates and deletes contacts, including HubSpot-reserved opt-out values', async () => {
    const created = await (
      await s.control('/contacts', 'POST', { properties: { email: 'ctl@example.com', hs_email_optout: 'true' } })
    ).json();
    expect(created.properties).toMatchObject({
      email: 'ctl@example.com',
      hs_email_optout: 'true',
      hs_object_id: created.id,
    });
    const updated = await (
      await s.control(`/contacts/${created.id}`, 'PATCH', { properties: { hs_language: 'da' } })
    ).json();
    expect(updated.properties.hs_language).toBe('da');
    expect((await s.control(`/contacts/${created.id}`, 'DELETE')).status).toBe(204);
    expect((await s.control(`/contacts/${created.id}`)).status).toBe(404);
    expect((await s.control('/contacts', 'POST', { properties: { hs_language: 'xx' } })).status).toBe(400);
  });

  it('lists tasks with their associations, filtered by contact', async () => {
    const all = (await (await s.control('/tasks')).json()).results;
    expect(all).toHaveLength(5);
    const contactId = all[0].associations.contacts[0].id;
    const mine = (await (await s.control(`/tasks?contactId=${contactId}`)).json()).results;
    expect(mine.length).toBeGreaterThanOrEqual(1);
    expect(
      mine.every((t: { associations: { contacts: Array<{ id: string }> } }) =>
        t.associations.contacts.some((c) => c.id === contactId),
      ),
    ).toBe(true);
  });

  it('reseeds deterministically and resets to an empty portal', async () => {
    const seeded = await (await s.control('/seed', 'POST', { seed: 3, contacts: 12, deals: 4, tickets: 2 })).json();
    expect(seeded.counts).toMatchObject({ contacts: 12, deals: 4, tickets: 2 });
    expect(seeded.contactsWithoutEmail).toEqual([String(5_100_000_010)]);
    expect(seeded.optedOutContacts).toEqual([String(5_100_000_005)]);
    expect(s.sandbox.crm.getContact(seeded.optedOutContacts[0]).properties.hs_email_optout).toBe('true');
    await s.control('/reset', 'POST', {});
    const page = await s.client().crm.contacts.basicApi.getPage(10);
    expect(page.results).toHaveLength(0);
  });

  it('answers bad control input with 400, not 500', async () => {
    const res = await s.control('/webhooks/config', 'PUT', {
      subscriptions: [{ subscriptionType: 'contact.propertyChange' }],
    });
    expect(res.status).toBe(400);
    expect((await res.json()).message).toMatch(/propertyName/);
  });
});
