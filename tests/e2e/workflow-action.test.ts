import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordResponse } from '../../src/responses/record';
import type { Sandbox } from '../../src/sandbox';
import { TEST_PORTAL_ID } from '../helpers/env';
import { startSandboxApp, type SandboxApp } from '../helpers/sandbox-app';
import type { TestServer } from '../helpers/server';
import { waitFor } from '../helpers/wait';

// The workflow action end to end: the sandbox plays HubSpot's workflow engine (signed execution requests, the
// callback completion endpoint), the whole app answers.

const PORTAL = TEST_PORTAL_ID;
let sandbox: Sandbox;
let s: TestServer;
let rig: SandboxApp;
let actionUrl: string;

beforeAll(async () => {
  rig = await startSandboxApp({ seed: { seed: 5, contacts: 5, companies: 2, deals: 0, tickets: 0, owners: 2 } });
  ({ sandbox, server: s } = rig);
  actionUrl = `${s.url}/hubspot/workflow-actions/send-survey`;
});
afterAll(async () => {
  await rig?.close();
});

describe('"Send NPS survey" against the sandbox', () => {
  it('blocks the enrollment, then resumes it with the score and category once the contact answers', async () => {
    const contact = sandbox.crm.createRecord('contacts', {
      email: 'linus@example.com',
      firstname: 'Linus',
      hs_language: 'sv',
    });
    const executed = await sandbox.workflowActions.execute({
      targetUrl: actionUrl,
      objectId: contact.id,
      properties: ['email', 'hs_language'],
      inputFields: { survey_label: 'Onboarding', wait_for_answer: true, max_wait_days: 10 },
    });
    expect(executed.status).toBe(200);
    expect(executed.body).toEqual({ outputFields: { hs_execution_state: 'BLOCK', hs_expiration_duration: 'P10D' } });

    // HubSpot retries the same execution: the same answer, still one invitation.
    const again = await sandbox.workflowActions.execute({
      targetUrl: actionUrl,
      objectId: contact.id,
      callbackId: executed.callbackId,
      inputFields: { wait_for_answer: true, max_wait_days: 10 },
    });
    expect(again.body).toEqual(executed.body);
    const invitations = await s.deps.db.query<{ id: string; language: string }>(
      'SELECT id, language FROM invitations WHERE milestone_key = $1',
      [`workflow:${executed.callbackId}`],
    );
    expect(invitations.rows).toHaveLength(1);
    expect(invitations.rows[0]!.language).toBe('sv');

    await recordResponse(s.deps, {
      portalId: PORTAL,
      contactId: Number(contact.id),
      invitationId: invitations.rows[0]!.id,
      score: 9,
      channel: 'page',
    });
    const [completion] = await waitFor(
      () => {
        const done = sandbox.callbacks.completed().filter((c) => c.callbackId === executed.callbackId);
        return done.length > 0 ? done : null;
      },
      { timeoutMs: 30_000, what: 'the workflow callback to be completed' },
    );
    expect(completion).toMatchObject({
      known: true,
      portalId: PORTAL,
      outputFields: {
        hs_execution_state: 'SUCCESS',
        nps_score: '9',
        nps_category: 'promoter',
        survey_outcome: 'answered',
        skip_reason: '',
      },
    });
  });

  it('answers at once with outcome skipped for a contact who opted out, without blocking', async () => {
    const contact = sandbox.crm.createRecord('contacts', {
      email: 'optout@example.com',
      firstname: 'Otto',
      hs_email_optout: 'true',
    });
    const executed = await sandbox.workflowActions.execute({
      targetUrl: actionUrl,
      objectId: contact.id,
      inputFields: { wait_for_answer: true },
    });
    expect(executed.body).toEqual({
      outputFields: { survey_outcome: 'skipped', skip_reason: 'opted_out', hs_execution_state: 'SUCCESS' },
    });
  });

  it.each([
    ['en-us', 'en'],
    ['en-gb', 'en'],
    ['fr', 'en'],
    ['fr-ca', 'en'],
    ['pt', 'en'],
    ['da', 'da'],
    [undefined, null],
  ])(
    'maps hs_language %j from the contact (as a workflow does): 200 and a survey in %s',
    async (hsLanguage, expected) => {
      const contact = sandbox.crm.createRecord('contacts', {
        email: `lang-${hsLanguage ?? 'none'}@example.com`,
        firstname: 'Lene',
        ...(hsLanguage ? { hs_language: hsLanguage } : {}),
      });
      const executed = await sandbox.workflowActions.execute({
        targetUrl: actionUrl,
        objectId: contact.id,
        properties: ['email', 'hs_language'],
        inputFields: { survey_label: 'Renewal', wait_for_answer: 'yes please', max_wait_days: -4 },
        inputsFromProperties: { language: 'hs_language' },
        retry: { attempts: 3, delayMs: 1000 },
      });
      expect(executed).toMatchObject({ outcome: 'completed', status: 200 });
      expect(executed.body).toEqual({
        outputFields: { survey_outcome: 'sent', skip_reason: '', hs_execution_state: 'SUCCESS' },
      });
      const invitations = await s.deps.db.query<{ language: string | null }>(
        'SELECT language FROM invitations WHERE milestone_key = $1',
        [`workflow:${executed.callbackId}`],
      );
      expect(invitations.rows).toEqual([{ language: expected }]);
    },
  );

  it('answers 503 while HubSpot is slow; HubSpot retries and the enrolment completes with one survey', async () => {
    const contact = sandbox.crm.createRecord('contacts', { email: 'slow@example.com', hs_language: 'en-gb' });
    sandbox.faults.set({ latencyMs: 7000, paths: ['/crm/v3/objects/contacts/batch/read'] });
    try {
      const executed = await sandbox.workflowActions.execute({
        targetUrl: actionUrl,
        objectId: contact.id,
        inputsFromProperties: { language: 'hs_language' },
        inputFields: { wait_for_answer: 'true', max_wait_days: '5' },
        retry: { attempts: 4, delayMs: 3000 },
      });
      expect(executed.attempts[0]!.status).toBe(503);
      expect(executed).toMatchObject({ outcome: 'completed', status: 200 });
      expect(executed.body).toEqual({ outputFields: { hs_execution_state: 'BLOCK', hs_expiration_duration: 'P5D' } });
      const invitations = await s.deps.db.query<{ language: string }>(
        'SELECT language FROM invitations WHERE milestone_key = $1',
        [`workflow:${executed.callbackId}`],
      );
      expect(invitations.rows).toEqual([{ language: 'en' }]);
    } finally {
      sandbox.faults.clear();
    }
  }, 30_000);
});
