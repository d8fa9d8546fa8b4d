import { describe, expect, it } from 'vitest';
import { TEST_PORTAL_ID } from '../helpers/env';
import { signedFetch } from '../helpers/signed';
import { DEADLINE_MS, PATH, workflowActionHarness } from './workflow-action-fixture';

// Sending, skipping, validation and slow dependencies of the workflow action (harness: workflow-action-fixture.ts).

describe('workflow action "Send NPS survey"', () => {
  const h = workflowActionHarness();

  it('sends a survey and answers at once with outcome sent', async () => {
    const body = h.execution(await h.contact(), {
      survey_label: 'Onboarding',
      follow_up_question: 'What could we do better?',
      language: 'de',
      wait_for_answer: 'false',
    });
    const res = await signedFetch(h.s.url, PATH, { body });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      outputFields: { survey_outcome: 'sent', skip_reason: '', hs_execution_state: 'SUCCESS' },
    });
    const [inv] = await h.invitations(body.callbackId);
    expect(inv).toMatchObject({
      trigger: 'workflow',
      language: 'de',
      follow_up_question: 'What could we do better?',
      status: 'scheduled',
      workflow_callback_id: null,
    });
  });

  it('a repeated call with the same callbackId gets the same answer and schedules nothing more', async () => {
    const body = h.execution(await h.contact(), { wait_for_answer: 'true', max_wait_days: '3' });
    const first = await (await signedFetch(h.s.url, PATH, { body })).json();
    const again = await signedFetch(h.s.url, PATH, { body });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(first);
    expect(first).toEqual({ outputFields: { hs_execution_state: 'BLOCK', hs_expiration_duration: 'P3D' } });
    expect(await h.invitations(body.callbackId)).toHaveLength(1);
  });

  it('a skipped survey answers SUCCESS with the reason, and never blocks', async () => {
    const body = h.execution(await h.contact({ optedOut: true }), { wait_for_answer: 'true' });
    const res = await signedFetch(h.s.url, PATH, { body });
    expect(await res.json()).toEqual({
      outputFields: { survey_outcome: 'skipped', skip_reason: 'opted_out', hs_execution_state: 'SUCCESS' },
    });
    expect((await h.invitations(body.callbackId))[0]).toMatchObject({ status: 'skipped', skip_reason: 'opted_out' });
  });

  it('reads a contact it has not mirrored yet from HubSpot before scheduling', async () => {
    const body = h.execution(4999);
    const res = await signedFetch(h.s.url, PATH, { body });
    expect(await res.json()).toMatchObject({ outputFields: { survey_outcome: 'sent' } });
    expect(h.contactReads).toEqual([['4999']]);
    expect((await h.invitations(body.callbackId))[0]).toMatchObject({ language: 'sv', status: 'scheduled' });
  });

  it.each([
    ['callbackId', (b: any) => ({ ...b, callbackId: undefined })],
    ['object.objectId', (b: any) => ({ ...b, object: { objectType: 'CONTACT' } })],
    ['object.objectId', (b: any) => ({ ...b, object: { objectId: 'not-an-id' } })],
  ])('answers 400 naming %s when it is missing or bad', async (field, mutate) => {
    const res = await signedFetch(h.s.url, PATH, { body: mutate(h.execution(await h.contact())) });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain(`${field}:`);
  });

  it('answers 400 with a message for a body that is not JSON', async () => {
    const res = await signedFetch(h.s.url, PATH, { rawBody: '{"callbackId": ' });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toEqual({ code: 'invalid_json', message: 'request body is not valid JSON' });
  });

  it('lets the enrolment go on (FAIL_CONTINUE, not a 4xx) for a portal that has not installed the app', async () => {
    const before = await h.storedCallbacks();
    const body = { ...h.execution(await h.contact()), origin: { portalId: 987654 } };
    const res = await signedFetch(h.s.url, PATH, { body });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      outputFields: { survey_outcome: 'skipped', skip_reason: 'not_installed', hs_execution_state: 'FAIL_CONTINUE' },
    });
    expect(await h.storedCallbacks()).toBe(before);
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
    const body = h.execution(await h.contact(), { language });
    const res = await signedFetch(h.s.url, PATH, { body });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ outputFields: { survey_outcome: 'sent', hs_execution_state: 'SUCCESS' } });
    expect((await h.invitations(body.callbackId))[0]!.language).toBe(expected);
  });

  it("falls back to the portal's default language when it is set", async () => {
    await h.s.deps.db.query(
      `UPDATE portals SET settings = jsonb_set(settings, '{defaultLanguage}', '"da"') WHERE portal_id = $1`,
      [TEST_PORTAL_ID],
    );
    try {
      const body = h.execution(await h.contact(), { language: 'fr' });
      expect((await signedFetch(h.s.url, PATH, { body })).status).toBe(200);
      expect((await h.invitations(body.callbackId))[0]!.language).toBe('da');
    } finally {
      await h.s.deps.db.query(
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
      const res = await signedFetch(h.s.url, PATH, { body: h.execution(await h.contact(), inputFields) });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        outputFields: { hs_execution_state: 'BLOCK', hs_expiration_duration: 'P7D' },
      });
    }
    const body = h.execution(await h.contact(), { wait_for_answer: 'perhaps', survey_type: 'CSAT', max_wait_days: '' });
    const res = await signedFetch(h.s.url, PATH, { body });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      outputFields: { survey_outcome: 'sent', skip_reason: '', hs_execution_state: 'SUCCESS' },
    });
  });

  it('every output value it sends is a string', async () => {
    const body = h.execution(await h.contact(), { wait_for_answer: 'true', max_wait_days: '5' });
    const answer = await (await signedFetch(h.s.url, PATH, { body })).json();
    for (const v of Object.values(answer.outputFields)) expect(typeof v).toBe('string');
  });

  it('answers 503 when HubSpot is slow, and the retry gets the answer with one survey only', async () => {
    h.contactReadDelayMs = DEADLINE_MS + 1000;
    const body = h.execution(4990, { wait_for_answer: 'true', max_wait_days: '4' });
    const started = Date.now();
    const slow = await signedFetch(h.s.url, PATH, { body });
    expect(slow.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(DEADLINE_MS + 900);
    // HubSpot retries later; the first execution's work has finished meanwhile.
    await new Promise((r) => setTimeout(r, 1500));
    const retry = await signedFetch(h.s.url, PATH, { body });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({
      outputFields: { hs_execution_state: 'BLOCK', hs_expiration_duration: 'P4D' },
    });
    expect(await h.invitations(body.callbackId)).toHaveLength(1);
  });

  it('answers 503 when the database is slow; a retry while the first is still running schedules one survey', async () => {
    const body = h.execution(await h.contact(), { wait_for_answer: 'true', max_wait_days: '6' });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = h.s.deps.db.transaction(async (tx) => {
      await tx.query('LOCK TABLE workflow_callbacks IN ACCESS EXCLUSIVE MODE');
      locked();
      await held;
    });
    await isLocked;
    try {
      const first = await signedFetch(h.s.url, PATH, { body });
      expect(first.status).toBe(503);
      expect((await first.json()).error.code).toBe('busy');
    } finally {
      release();
      await holder;
    }
    // The retry may arrive while the first execution's work is still on its way: both end in one answer.
    const [a, b] = await Promise.all([signedFetch(h.s.url, PATH, { body }), signedFetch(h.s.url, PATH, { body })]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const expected = { outputFields: { hs_execution_state: 'BLOCK', hs_expiration_duration: 'P6D' } };
    expect(await a.json()).toEqual(expected);
    expect(await b.json()).toEqual(expected);
    expect(await h.invitations(body.callbackId)).toHaveLength(1);
    const rows = await h.s.deps.db.query('SELECT 1 FROM workflow_callbacks WHERE callback_id = $1', [body.callbackId]);
    expect(rows.rows).toHaveLength(1);
  });

  it('schedules no survey when the callback cannot be stored, and a retry then schedules exactly one', async () => {
    const body = h.execution(await h.contact(), { wait_for_answer: 'true' }, `refuse-${Date.now()}`);
    // A refusal of the callback row no check can foresee: a trigger rejects these callback ids for now.
    await h.s.deps.db.exec(`
      CREATE FUNCTION refuse_callback() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.callback_id LIKE 'refuse-%' THEN RAISE EXCEPTION 'refused by test trigger'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse_callback BEFORE INSERT ON workflow_callbacks FOR EACH ROW EXECUTE FUNCTION refuse_callback();
    `);
    try {
      const res = await signedFetch(h.s.url, PATH, { body });
      expect(res.status).toBe(500);
      expect(await h.invitations(body.callbackId)).toEqual([]);
    } finally {
      await h.s.deps.db.exec('DROP TRIGGER refuse_callback ON workflow_callbacks; DROP FUNCTION refuse_callback()');
    }
    const retry = await signedFetch(h.s.url, PATH, { body });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({
      outputFields: { hs_execution_state: 'BLOCK', hs_expiration_duration: 'P7D' },
    });
    expect(await h.invitations(body.callbackId)).toHaveLength(1);
  });

  it('cleans a NUL or a lone surrogate out of text inputs and schedules the survey once', async () => {
    const body = h.execution(await h.contact(), {
      survey_label: 'Onboarding\u0000',
      follow_up_question: 'Why\u0000 \ud800?',
    });
    const res = await signedFetch(h.s.url, PATH, { body });
    expect(res.status).toBe(200);
    expect((await res.json()).outputFields.survey_outcome).toBe('sent');
    const [inv] = await h.invitations(body.callbackId);
    expect(inv!.follow_up_question).toBe('Why \ufffd?');
    const cb = await h.s.deps.db.query<{ survey_label: string }>(
      'SELECT survey_label FROM workflow_callbacks WHERE callback_id = $1',
      [body.callbackId],
    );
    expect(cb.rows[0]!.survey_label).toBe('Onboarding');
  });

  it('refuses a callbackId holding a NUL before scheduling anything', async () => {
    const body = h.execution(await h.contact(), {}, `bad\u0000-${Date.now()}`);
    const res = await signedFetch(h.s.url, PATH, { body });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/callbackId/);
    const n = await h.s.deps.db.query<{ n: string }>(
      "SELECT count(*) AS n FROM invitations WHERE milestone_key LIKE 'workflow:bad%'",
    );
    expect(Number(n.rows[0]!.n)).toBe(0);
  });

  it('answers the doctor self-test without reading, storing or scheduling anything', async () => {
    const before = await h.storedCallbacks();
    const body = h.execution(4991, {}, 'nps-loop-self-test-123');
    const res = await signedFetch(h.s.url, PATH, { body });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      outputFields: { survey_outcome: 'skipped', skip_reason: 'self_test', hs_execution_state: 'SUCCESS' },
    });
    expect(h.contactReads).toEqual([]);
    expect(await h.invitations(body.callbackId)).toHaveLength(0);
    expect(await h.storedCallbacks()).toBe(before);
  });
});
