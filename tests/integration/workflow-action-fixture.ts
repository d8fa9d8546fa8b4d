import nock from 'nock';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createWorkflowActionFeature, flushWorkflowCallbacks as flushNow } from '../../src/workflow-action';
import { TEST_PORTAL_ID } from '../helpers/env';
import { startTestServer, type TestServer } from '../helpers/server';
import { aContact } from '../factories';

// The "Send NPS survey" workflow action through HTTP, and its callbacks through the real HubSpot client against
// HubSpot's API (nock). Workers are off: the callback flush is run by the test. Shared by the workflow-action*
// test files; call workflowActionHarness() inside a describe.

const HUBSPOT = 'https://api.hubapi.com';
export const PATH = '/hubspot/workflow-actions/send-survey';
/** The handler's answer bound in these tests (the app's default is 5 s). */
export const DEADLINE_MS = 1500;

export function workflowActionHarness() {
  let seq = 0;
  const h = {
    s: undefined as unknown as TestServer,
    completions: [] as Array<{ callbackId: string; body: any }>,
    /** Statuses HubSpot answers the next callback completions with (204 once the list is empty). */
    completionReplies: [] as number[],
    contactReads: [] as string[][],
    /** How long HubSpot takes to answer a contact read. */
    contactReadDelayMs: 0,

    // Outbox items are stamped with the database's clock (microseconds) and read with ours (milliseconds): a
    // flush in the same millisecond as the mark would find nothing due yet, so the test lets that millisecond pass.
    async flushWorkflowCallbacks(deps: TestServer['deps']) {
      await new Promise((r) => setTimeout(r, 10));
      return flushNow(deps);
    },

    async contact(opts: { optedOut?: boolean } = {}) {
      const id = 3000 + seq++;
      await aContact(h.s.deps.db, TEST_PORTAL_ID, {
        contactId: id,
        email: `p${id}@example.com`,
        firstname: 'Ada',
        optedOut: opts.optedOut ?? false,
      });
      return id;
    },

    execution(
      contactId: number,
      inputFields: Record<string, string> = {},
      callbackId = `ap-${TEST_PORTAL_ID}-${Date.now()}-${seq++}-7-0`,
    ) {
      return {
        callbackId,
        origin: { portalId: TEST_PORTAL_ID, actionDefinitionId: 4711, actionDefinitionVersion: 1 },
        context: { source: 'WORKFLOWS', workflowId: 90001 },
        object: { objectId: contactId, objectType: 'CONTACT', properties: { email: 'ignored@example.com' } },
        inputFields,
        fields: {},
      };
    },

    async invitations(callbackId: string) {
      return (
        await h.s.deps.db.query<{
          id: string;
          trigger: string;
          language: string | null;
          follow_up_question: string | null;
          status: string;
          workflow_callback_id: string | null;
          wait_until: Date | null;
          skip_reason: string | null;
        }>(
          `SELECT id, trigger, language, follow_up_question, status, workflow_callback_id, wait_until, skip_reason FROM invitations WHERE milestone_key = $1`,
          [`workflow:${callbackId}`],
        )
      ).rows;
    },

    async storedCallbacks() {
      return Number(
        (await h.s.deps.db.query<{ n: string }>('SELECT count(*) AS n FROM workflow_callbacks')).rows[0]!.n,
      );
    },
  };

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    nock(HUBSPOT)
      .persist()
      .post(/^\/automation\/v4\/actions\/callbacks\/[^/]+\/complete$/)
      .reply((uri, body) => {
        const status = h.completionReplies.shift() ?? 204;
        if (status < 300) h.completions.push({ callbackId: decodeURIComponent(uri.split('/')[5]!), body });
        return status < 300
          ? [status]
          : [status, { status: 'error', category: 'SERVICE_UNAVAILABLE', message: 'try later' }];
      })
      .post('/crm/v3/objects/contacts/batch/read')
      .reply(async (_uri, body: any) => {
        h.contactReads.push(body.inputs.map((i: any) => i.id));
        if (h.contactReadDelayMs) await new Promise((r) => setTimeout(r, h.contactReadDelayMs));
        const results = body.inputs.map((i: any) => ({
          id: i.id,
          properties: {
            email: `wf${i.id}@example.com`,
            firstname: 'Grace',
            hs_language: 'sv',
            lastmodifieddate: '2026-03-01T00:00:00Z',
          },
        }));
        return [200, { status: 'COMPLETE', results }];
      });
    h.s = await startTestServer(
      { RUN_WORKERS: 'false' },
      { features: [createWorkflowActionFeature({ deadlineMs: DEADLINE_MS })] },
    );
  });
  afterEach(() => {
    h.completions.length = 0;
    h.completionReplies.length = 0;
    h.contactReads.length = 0;
    h.contactReadDelayMs = 0;
  });
  afterAll(async () => {
    await h.s?.close();
    nock.cleanAll();
    nock.enableNetConnect();
  });
  return h;
}
