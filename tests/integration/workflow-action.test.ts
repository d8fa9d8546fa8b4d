import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createWorkflowActionFeature,
  flushWorkflowCallbacks as flushNow,
  sweepWaitingCallbacks,
} from '../../src/workflow-action';
import { recordResponse } from '../../src/responses/record';
import { markOutbox } from '../../src/outbox';
import { signV2, signV3 } from '../../src/shared/signature';
import { TEST_CLIENT_SECRET, TEST_PORTAL_ID, TEST_PUBLIC_URL } from '../helpers/env';
import { startTestServer, type TestServer } from '../helpers/server';
import { signedFetch } from '../helpers/signed';
import { aContact } from '../factories';

// The "Send NPS survey" workflow action through HTTP, and its callbacks through the real HubSpot client against
// HubSpot's API (nock). Workers are off: the callback flush is run by the test.

const HUBSPOT = 'https://api.hubapi.com';
const PATH = '/hubspot/workflow-actions/send-survey';
/** The handler's answer bound in this test (the app's default is 5 s). */
const DEADLINE_MS = 1500;

describe('workflow action "Send NPS survey"', () => {
  let s: TestServer;
  let seq = 0;
  const completions: Array<{ callbackId: string; body: any }> = [];
  const completionReplies: number[] = [];
  const contactReads: string[][] = [];
  let contactReadDelayMs = 0;

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    nock(HUBSPOT)
      .persist()
      .post(/^\/automation\/v4\/actions\/callbacks\/[^/]+\/complete$/)
      .reply((uri, body) => {
        const status = completionReplies.shift() ?? 204;
        if (status < 300) completions.push({ callbackId: decodeURIComponent(uri.split('/')[5]!), body });
        return status < 300
          ? [status]
          : [status, { status: 'error', category: 'SERVICE_UNAVAILABLE', message: 'try later' }];
      })
      .post('/crm/v3/objects/contacts/batch/read')
      .reply(async (_uri, body: any) => {
        contactReads.push(body.inputs.map((i: any) => i.id));
        if (contactReadDelayMs) await new Promise((r) => setTimeout(r, contactReadDelayMs));
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
    s = await startTestServer(
      { RUN_WORKERS: 'false' },
      { features: [createWorkflowActionFeature({ deadlineMs: DEADLINE_MS })] },
    );
  });
  afterEach(() => {
    completions.length = 0;
    completionReplies.length = 0;
    contactReads.length = 0;
    contactReadDelayMs = 0;
  });
  afterAll(async () => {
    await s?.close();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  // Outbox items are stamped with the database's clock (microseconds) and read with ours (milliseconds): a flush
  // in the same millisecond as the mark would find nothing due yet, so the test lets that millisecond pass.
  const flushWorkflowCallbacks = async (deps: TestServer['deps']) => {
    await new Promise((r) => setTimeout(r, 10));
    return flushNow(deps);
  };

  async function contact(opts: { optedOut?: boolean } = {}) {
    const id = 3000 + seq++;
    await aContact(s.deps.db, TEST_PORTAL_ID, {
      contactId: id,
      email: `p${id}@example.com`,
      firstname: 'Ada',
      optedOut: opts.optedOut ?? false,
    });
    return id;
  }

  function execution(
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
  }

  const invitations = async (callbackId: string) =>
    (
      await s.deps.db.query<{
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
  const storedCallbacks = async () =>
    Number((await s.deps.db.query<{ n: string }>('SELECT count(*) AS n FROM workflow_callbacks')).rows[0]!.n);

  it('sends a survey and answers at once with outcome sent', async () => {
    const body = execution(await contact(), {
      survey_label: 'Onboarding',
      follow_up_question: 'What could we do better?',
      language: 'de',
      wait_for_answer: 'false',
    });
    const res = await signedFetch(s.url, PATH, { body });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      outputFields: { survey_outcome: 'sent', skip_reason: '', hs_execution_state: 'SUCCESS' },
    });
    const [inv] = await invitations(body.callbackId);
    expect(inv).toMatchObject({
      trigger: 'workflow',
      language: 'de',
      follow_up_question: 'What could we do better?',
      status: 'scheduled',
      workflow_callback_id: null,
    });
  });

  it('a repeated call with the same callbackId gets the same answer and schedules nothing more', async () => {
    const body = execution(await contact(), { wait_for_answer: 'true', max_wait_days: '3' });
    const first = await (await signedFetch(s.url, PATH, { body })).json();
    const again = await signedFetch(s.url, PATH, { body });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(first);
    expect(first).toEqual({ outputFields: { hs_execution_state: 'BLOCK', hs_expiration_duration: 'P3D' } });
    expect(await invitations(body.callbackId)).toHaveLength(1);
  });

  it('a skipped survey answers SUCCESS with the reason, and never blocks', async () => {
    const body = execution(await contact({ optedOut: true }), { wait_for_answer: 'true' });
    const res = await signedFetch(s.url, PATH, { body });
    expect(await res.json()).toEqual({
      outputFields: { survey_outcome: 'skipped', skip_reason: 'opted_out', hs_execution_state: 'SUCCESS' },
    });
    expect((await invitations(body.callbackId))[0]).toMatchObject({ status: 'skipped', skip_reason: 'opted_out' });
  });

  it('reads a contact it has not mirrored yet from HubSpot before scheduling', async () => {
    const body = execution(4999);
    const res = await signedFetch(s.url, PATH, { body });
    expect(await res.json()).toMatchObject({ outputFields: { survey_outcome: 'sent' } });
    expect(contactReads).toEqual([['4999']]);
    expect((await invitations(body.callbackId))[0]).toMatchObject({ language: 'sv', status: 'scheduled' });
  });

  it('accepts a v2 signature, as HubSpot documents for custom actions', async () => {
    const raw = JSON.stringify(execution(await contact()));
    const res = await fetch(`${s.url}${PATH}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hubspot-signature': signV2(TEST_CLIENT_SECRET, 'POST', `${TEST_PUBLIC_URL}${PATH}`, raw),
        'x-hubspot-signature-version': 'v2',
      },
      body: raw,
    });
    expect(res.status).toBe(200);
  });

  const v2Fetch = (raw: string, extra: Record<string, string> = {}) =>
    fetch(`${s.url}${PATH}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-hubspot-signature': signV2(TEST_CLIENT_SECRET, 'POST', `${TEST_PUBLIC_URL}${PATH}`, raw),
        'x-hubspot-signature-version': 'v2',
        ...extra,
      },
      body: raw,
    });

  it('refuses a request whose v3 signature is wrong even when its v2 signature is right (no fallback)', async () => {
    const before = await storedCallbacks();
    const raw = JSON.stringify(execution(await contact()));
    const res = await v2Fetch(raw, {
      'x-hubspot-signature-v3': signV3('not-the-app-secret-0000', 'POST', `${TEST_PUBLIC_URL}${PATH}`, raw, Date.now()),
      'x-hubspot-request-timestamp': String(Date.now()),
    });
    expect(res.status).toBe(401);
    expect((await res.json()).error).toMatchObject({
      code: 'invalid_signature',
      message: expect.stringContaining('v3'),
    });
    const stale = Date.now() - 10 * 60_000;
    const old = await v2Fetch(raw, {
      'x-hubspot-signature-v3': signV3(TEST_CLIENT_SECRET, 'POST', `${TEST_PUBLIC_URL}${PATH}`, raw, stale),
      'x-hubspot-request-timestamp': String(stale),
    });
    expect(old.status).toBe(401);
    expect(await storedCallbacks()).toBe(before);
  });

  it('a replayed v2-signed request gets the original answer and schedules nothing, even after the callback was erased', async () => {
    const id = await contact();
    const body = execution(id, { wait_for_answer: 'true', max_wait_days: '2' });
    const raw = JSON.stringify(body);
    const first = await v2Fetch(raw);
    expect(first.status).toBe(200);
    const answer = await first.json();
    expect(answer).toEqual({ outputFields: { hs_execution_state: 'BLOCK', hs_expiration_duration: 'P2D' } });
    const replay = await v2Fetch(raw);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual(answer);
    expect(await invitations(body.callbackId)).toHaveLength(1);
    // A privacy deletion removes the callback's bookkeeping and invitation: a replay still runs nothing.
    await s.deps.db.query('DELETE FROM workflow_callbacks WHERE callback_id = $1', [body.callbackId]);
    await s.deps.db.query('DELETE FROM invitations WHERE milestone_key = $1', [`workflow:${body.callbackId}`]);
    const later = await v2Fetch(raw);
    expect(later.status).toBe(200);
    expect(await later.json()).toEqual(answer);
    expect(await invitations(body.callbackId)).toHaveLength(0);
  });

  it("HubSpot's identical v2 retry of an execution that got a 503 runs, with one survey", async () => {
    contactReadDelayMs = DEADLINE_MS + 1000;
    const body = execution(4992, { wait_for_answer: 'false' });
    const raw = JSON.stringify(body);
    expect((await v2Fetch(raw)).status).toBe(503);
    await new Promise((r) => setTimeout(r, 1500));
    const retry = await v2Fetch(raw);
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ outputFields: { survey_outcome: 'sent' } });
    expect(await invitations(body.callbackId)).toHaveLength(1);
    expect((await v2Fetch(raw)).status).toBe(200);
    expect(await invitations(body.callbackId)).toHaveLength(1);
  });

  it.each([
    [
      'unsigned',
      (raw: string) =>
        fetch(`${s.url}${PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw }),
    ],
    [
      'forged (wrong secret)',
      (raw: string) => signedFetch(s.url, PATH, { rawBody: raw, secret: 'not-the-app-secret-0000' }),
    ],
    [
      'forged v2',
      (raw: string) =>
        fetch(`${s.url}${PATH}`, {
          method: 'POST',
          body: raw,
          headers: {
            'content-type': 'application/json',
            'x-hubspot-signature': signV2('not-the-app-secret-0000', 'POST', `${TEST_PUBLIC_URL}${PATH}`, raw),
            'x-hubspot-signature-version': 'v2',
          },
        }),
    ],
  ])('rejects an %s call with 401 and stores nothing', async (_name, send) => {
    const before = await storedCallbacks();
    const res = await send(JSON.stringify(execution(await contact())));
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('invalid_signature');
    expect(await storedCallbacks()).toBe(before);
  });

  it.each([
    ['callbackId', (b: any) => ({ ...b, callbackId: undefined })],
    ['object.objectId', (b: any) => ({ ...b, object: { objectType: 'CONTACT' } })],
    ['object.objectId', (b: any) => ({ ...b, object: { objectId: 'not-an-id' } })],
  ])('answers 400 naming %s when it is missing or bad', async (field, mutate) => {
    const res = await signedFetch(s.url, PATH, { body: mutate(execution(await contact())) });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain(`${field}:`);
  });

  it('answers 400 with a message for a body that is not JSON', async () => {
    const res = await signedFetch(s.url, PATH, { rawBody: '{"callbackId": ' });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toEqual({ code: 'invalid_json', message: 'request body is not valid JSON' });
  });

  it('lets the enrolment go on (FAIL_CONTINUE, not a 4xx) for a portal that has not installed the app', async () => {
    const before = await storedCallbacks();
    const body = { ...execution(await contact()), origin: { portalId: 987654 } };
    const res = await signedFetch(s.url, PATH, { body });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      outputFields: { survey_outcome: 'skipped', skip_reason: 'not_installed', hs_execution_state: 'FAIL_CONTINUE' },
    });
    expect(await storedCallbacks()).toBe(before);
  });

  it.each([
    ['en-us', 'en'],
    ['EN', 'en'],
    ['da-DK', 'da'],
    ['sv_SE', 'sv'],
    ['fr', 'en'],
    ['pt-br', 'en'],
    ['', null],
  ])('language %j from a contact property: 200, the survey in %s', async (language, expected) => {
    const body = execution(await contact(), { language });
    const res = await signedFetch(s.url, PATH, { body });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outputFields: { survey_outcome: 'sent', hs_execution_state: 'SUCCESS' } });
    expect((await invitations(body.callbackId))[0]!.language).toBe(expected);
  });

  it("falls back to the portal's default language when it is set", async () => {
    await s.deps.db.query(
      `UPDATE portals SET settings = jsonb_set(settings, '{defaultLanguage}', '"da"') WHERE portal_id = $1`,
      [TEST_PORTAL_ID],
    );
    try {
      const body = execution(await contact(), { language: 'fr' });
      expect((await signedFetch(s.url, PATH, { body })).status).toBe(200);
      expect((await invitations(body.callbackId))[0]!.language).toBe('da');
    } finally {
      await s.deps.db.query(
        `UPDATE portals SET settings = jsonb_set(settings, '{defaultLanguage}', '"en"') WHERE portal_id = $1`,
        [TEST_PORTAL_ID],
      );
    }
  });

  it('answers 200 with defaults for out-of-range inputs (negative or huge days, garbage booleans, unknown fields)', async () => {
    for (const inputFields of [
      { wait_for_answer: 'true', max_wait_days: '-5' },
      { wait_for_answer: 'true', max_wait_days: '99999999' },
      { wait_for_answer: 'true', max_wait_days: 'a week' },
    ]) {
      const res = await signedFetch(s.url, PATH, { body: execution(await contact(), inputFields) });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        outputFields: { hs_execution_state: 'BLOCK', hs_expiration_duration: 'P7D' },
      });
    }
    const body = execution(await contact(), { wait_for_answer: 'perhaps', survey_type: 'CSAT', max_wait_days: '' });
    const res = await signedFetch(s.url, PATH, { body });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      outputFields: { survey_outcome: 'sent', skip_reason: '', hs_execution_state: 'SUCCESS' },
    });
  });

  it('every output value it sends is a string', async () => {
    const body = execution(await contact(), { wait_for_answer: 'true', max_wait_days: '5' });
    const answer = await (await signedFetch(s.url, PATH, { body })).json();
    for (const v of Object.values(answer.outputFields)) expect(typeof v).toBe('string');
  });

  it('answers 503 when HubSpot is slow, and the retry gets the answer with one survey only', async () => {
    contactReadDelayMs = DEADLINE_MS + 1000;
    const body = execution(4990, { wait_for_answer: 'true', max_wait_days: '4' });
    const started = Date.now();
    const slow = await signedFetch(s.url, PATH, { body });
    expect(slow.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(DEADLINE_MS + 900);
    // HubSpot retries later; the first execution's work has finished meanwhile.
    await new Promise((r) => setTimeout(r, 1500));
    const retry = await signedFetch(s.url, PATH, { body });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({
      outputFields: { hs_execution_state: 'BLOCK', hs_expiration_duration: 'P4D' },
    });
    expect(await invitations(body.callbackId)).toHaveLength(1);
  });

  it('answers 503 when the database is slow; a retry while the first is still running schedules one survey', async () => {
    const body = execution(await contact(), { wait_for_answer: 'true', max_wait_days: '6' });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = s.deps.db.transaction(async (tx) => {
      await tx.query('LOCK TABLE workflow_callbacks IN ACCESS EXCLUSIVE MODE');
      locked();
      await held;
    });
    await isLocked;
    try {
      const first = await signedFetch(s.url, PATH, { body });
      expect(first.status).toBe(503);
      expect((await first.json()).error.code).toBe('busy');
    } finally {
      release();
      await holder;
    }
    // The retry may arrive while the first execution's work is still on its way: both end in one answer.
    const [a, b] = await Promise.all([signedFetch(s.url, PATH, { body }), signedFetch(s.url, PATH, { body })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const expected = { outputFields: { hs_execution_state: 'BLOCK', hs_expiration_duration: 'P6D' } };
    expect(await a.json()).toEqual(expected);
    expect(await b.json()).toEqual(expected);
    expect(await invitations(body.callbackId)).toHaveLength(1);
    const rows = await s.deps.db.query('SELECT 1 FROM workflow_callbacks WHERE callback_id = $1', [body.callbackId]);
    expect(rows.rows).toHaveLength(1);
  });

  it('schedules no survey when the callback cannot be stored, and a retry then schedules exactly one', async () => {
    const body = execution(await contact(), { wait_for_answer: 'true' }, `refuse-${Date.now()}`);
    // A refusal of the callback row no check can foresee: a trigger rejects these callback ids for now.
    await s.deps.db.exec(`
      CREATE FUNCTION refuse_callback() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.callback_id LIKE 'refuse-%' THEN RAISE EXCEPTION 'refused by test trigger'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse_callback BEFORE INSERT ON workflow_callbacks FOR EACH ROW EXECUTE FUNCTION refuse_callback();
    `);
    try {
      const res = await signedFetch(s.url, PATH, { body });
      expect(res.status).toBe(500);
      expect(await invitations(body.callbackId)).toEqual([]);
    } finally {
      await s.deps.db.exec('DROP TRIGGER refuse_callback ON workflow_callbacks; DROP FUNCTION refuse_callback()');
    }
    const retry = await signedFetch(s.url, PATH, { body });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({
      outputFields: { hs_execution_state: 'BLOCK', hs_expiration_duration: 'P7D' },
    });
    expect(await invitations(body.callbackId)).toHaveLength(1);
  });

  it('cleans a NUL or a lone surrogate out of text inputs and schedules the survey once', async () => {
    const body = execution(await contact(), {
      survey_label: 'Onboarding\u0000',
      follow_up_question: 'Why\u0000 \ud800?',
    });
    const res = await signedFetch(s.url, PATH, { body });
    expect(res.status).toBe(200);
    expect((await res.json()).outputFields.survey_outcome).toBe('sent');
    const [inv] = await invitations(body.callbackId);
    expect(inv!.follow_up_question).toBe('Why \ufffd?');
    const cb = await s.deps.db.query<{ survey_label: string }>(
      'SELECT survey_label FROM workflow_callbacks WHERE callback_id = $1',
      [body.callbackId],
    );
    expect(cb.rows[0]!.survey_label).toBe('Onboarding');
  });

  it('refuses a callbackId holding a NUL before scheduling anything', async () => {
    const body = execution(await contact(), {}, `bad\u0000-${Date.now()}`);
    const res = await signedFetch(s.url, PATH, { body });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/callbackId/);
    const n = await s.deps.db.query<{ n: string }>(
      "SELECT count(*) AS n FROM invitations WHERE milestone_key LIKE 'workflow:bad%'",
    );
    expect(Number(n.rows[0]!.n)).toBe(0);
  });

  it('answers the doctor self-test without reading, storing or scheduling anything', async () => {
    const before = await storedCallbacks();
    const body = execution(4991, {}, 'nps-loop-self-test-123');
    const res = await signedFetch(s.url, PATH, { body });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      outputFields: { survey_outcome: 'skipped', skip_reason: 'self_test', hs_execution_state: 'SUCCESS' },
    });
    expect(contactReads).toEqual([]);
    expect(await invitations(body.callbackId)).toHaveLength(0);
    expect(await storedCallbacks()).toBe(before);
  });

  it('when waiting, answers BLOCK, then completes the callback once with the score and category after the answer', async () => {
    const contactId = await contact();
    const body = execution(contactId, { wait_for_answer: 'true', max_wait_days: '14' });
    expect(await (await signedFetch(s.url, PATH, { body })).json()).toEqual({
      outputFields: { hs_execution_state: 'BLOCK', hs_expiration_duration: 'P14D' },
    });
    const [inv] = await invitations(body.callbackId);
    expect(inv!.workflow_callback_id).toBe(body.callbackId);
    const waitDays = (new Date(inv!.wait_until!).getTime() - Date.now()) / 86_400_000;
    expect(waitDays).toBeGreaterThan(13.9);
    expect(waitDays).toBeLessThan(14);

    await flushWorkflowCallbacks(s.deps);
    expect(completions).toHaveLength(0);

    await recordResponse(s.deps, {
      portalId: TEST_PORTAL_ID,
      contactId,
      invitationId: inv!.id,
      score: 3,
      comment: 'meh',
      channel: 'page',
    });
    await flushWorkflowCallbacks(s.deps);
    expect(completions).toEqual([
      {
        callbackId: body.callbackId,
        body: {
          outputFields: {
            hs_execution_state: 'SUCCESS',
            nps_score: '3',
            nps_category: 'detractor',
            survey_outcome: 'answered',
            skip_reason: '',
          },
        },
      },
    ]);

    // A changed answer, a sweep and more flushes never complete the same callback twice.
    await recordResponse(s.deps, {
      portalId: TEST_PORTAL_ID,
      contactId,
      invitationId: inv!.id,
      score: 9,
      channel: 'page',
    });
    await sweepWaitingCallbacks(s.deps);
    await flushWorkflowCallbacks(s.deps);
    expect(completions).toHaveLength(1);
  });

  it('completes with outcome expired when the invitation expires', async () => {
    const body = execution(await contact(), { wait_for_answer: 'true' });
    await signedFetch(s.url, PATH, { body });
    const [inv] = await invitations(body.callbackId);
    // What the surveys expiry does: mark the invitation expired and queue its callback.
    await s.deps.db.query(`UPDATE invitations SET status = 'expired' WHERE id = $1`, [inv!.id]);
    await markOutbox(s.deps.db, TEST_PORTAL_ID, 'workflow-callback', inv!.id);
    await flushWorkflowCallbacks(s.deps);
    expect(completions).toEqual([
      {
        callbackId: body.callbackId,
        body: { outputFields: { hs_execution_state: 'SUCCESS', survey_outcome: 'expired', skip_reason: '' } },
      },
    ]);
  });

  it('completes with outcome expired when the wait runs out, retrying until HubSpot accepts it', async () => {
    const body = execution(await contact(), { wait_for_answer: 'true', max_wait_days: '1' });
    await signedFetch(s.url, PATH, { body });
    const [inv] = await invitations(body.callbackId);
    await s.deps.db.query(
      `UPDATE invitations SET status = 'sent', wait_until = now() - interval '1 minute' WHERE id = $1`,
      [inv!.id],
    );
    expect(await sweepWaitingCallbacks(s.deps)).toBe(1);

    completionReplies.push(503, 503, 503, 503, 503);
    expect(await flushWorkflowCallbacks(s.deps)).toMatchObject({ completed: 0, failed: 1 });
    expect(completions).toHaveLength(0);
    // The item backs off; once due again HubSpot is back.
    await s.deps.db.query(`UPDATE outbox SET due_at = now() WHERE kind = 'workflow-callback'`);
    expect(await flushWorkflowCallbacks(s.deps)).toMatchObject({ completed: 1 });
    expect(completions).toEqual([
      {
        callbackId: body.callbackId,
        body: { outputFields: { hs_execution_state: 'SUCCESS', survey_outcome: 'expired', skip_reason: '' } },
      },
    ]);
    const row = await s.deps.db.query<{ state: string; outcome: string }>(
      'SELECT state, outcome FROM workflow_callbacks WHERE callback_id = $1',
      [body.callbackId],
    );
    expect(row.rows[0]).toEqual({ state: 'completed', outcome: 'expired' });
  });
});
