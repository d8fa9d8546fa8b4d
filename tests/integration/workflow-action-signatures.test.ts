import { describe, expect, it } from 'vitest';
import { signV2, signV3 } from '../../src/shared/signature';
import { TEST_CLIENT_SECRET, TEST_PUBLIC_URL } from '../helpers/env';
import { signedFetch } from '../helpers/signed';
import { DEADLINE_MS, PATH, workflowActionHarness } from './workflow-action-fixture';

// Which signatures the workflow action accepts, and how it treats replays and HubSpot's retries.

describe('workflow action signatures', () => {
  const h = workflowActionHarness();

  it('accepts a v2 signature, as HubSpot documents for custom actions', async () => {
    const raw = JSON.stringify(h.execution(await h.contact()));
    const res = await fetch(`${h.s.url}${PATH}`, {
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
    fetch(`${h.s.url}${PATH}`, {
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
    const before = await h.storedCallbacks();
    const raw = JSON.stringify(h.execution(await h.contact()));
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
    expect(await h.storedCallbacks()).toBe(before);
  });

  it('a replayed v2-signed request gets the original answer and schedules nothing, even after the callback was erased', async () => {
    const id = await h.contact();
    const body = h.execution(id, { wait_for_answer: 'true', max_wait_days: '2' });
    const raw = JSON.stringify(body);
    const first = await v2Fetch(raw);
    expect(first.status).toBe(200);
    const answer = await first.json();
    expect(answer).toEqual({ outputFields: { hs_execution_state: 'BLOCK', hs_expiration_duration: 'P2D' } });
    const replay = await v2Fetch(raw);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual(answer);
    expect(await h.invitations(body.callbackId)).toHaveLength(1);
    // A privacy deletion removes the callback's bookkeeping and invitation: a replay still runs nothing.
    await h.s.deps.db.query('DELETE FROM workflow_callbacks WHERE callback_id = $1', [body.callbackId]);
    await h.s.deps.db.query('DELETE FROM invitations WHERE milestone_key = $1', [`workflow:${body.callbackId}`]);
    const later = await v2Fetch(raw);
    expect(later.status).toBe(200);
    expect(await later.json()).toEqual(answer);
    expect(await h.invitations(body.callbackId)).toHaveLength(0);
  });

  it("HubSpot's identical v2 retry of an execution that got a 503 runs, with one survey", async () => {
    h.contactReadDelayMs = DEADLINE_MS + 1000;
    const body = h.execution(4992, { wait_for_answer: 'false' });
    const raw = JSON.stringify(body);
    expect((await v2Fetch(raw)).status).toBe(503);
    await new Promise((r) => setTimeout(r, 1500));
    const retry = await v2Fetch(raw);
    expect(retry.status).toBe(200);
    expect(await retry.json()).toMatchObject({ outputFields: { survey_outcome: 'sent' } });
    expect(await h.invitations(body.callbackId)).toHaveLength(1);
    expect((await v2Fetch(raw)).status).toBe(200);
    expect(await h.invitations(body.callbackId)).toHaveLength(1);
  });

  it.each([
    [
      'unsigned',
      (raw: string) =>
        fetch(`${h.s.url}${PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw }),
    ],
    [
      'forged (wrong secret)',
      (raw: string) => signedFetch(h.s.url, PATH, { rawBody: raw, secret: 'not-the-app-secret-0000' }),
    ],
    [
      'forged v2',
      (raw: string) =>
        fetch(`${h.s.url}${PATH}`, {
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
    const before = await h.storedCallbacks();
    const res = await send(JSON.stringify(h.execution(await h.contact())));
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('invalid_signature');
    expect(await h.storedCallbacks()).toBe(before);
  });
});
