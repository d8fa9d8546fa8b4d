import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { opsFeature } from '../../src/ops';
import { saveOAuthTokens } from '../../src/core/portals.repo';
import { responsesFeature } from '../../src/responses';
import { claimLease, releaseLease } from '../../src/outbox';
import { recordResponse } from '../../src/responses/record';
import { TEST_ACCESS_TOKEN, TEST_PORTAL_ID } from '../helpers/env';
import { HUBSPOT, hubspotAlreadySetUp, useNockedServer } from '../helpers/nocked-server';
import type { TestServer } from '../helpers/server';
import { waitFor } from '../helpers/wait';
import { someContacts } from '../factories';

const OTHER_PORTAL = 2002;
const OTHER_TOKEN = 'other-portal-access-token';

type Reply = (
  inputs: Array<{ id: string; properties: Record<string, string> }>,
  token: string,
) => [number, unknown, Record<string, string>?];
const ok: Reply = (inputs) => [
  200,
  { status: 'COMPLETE', results: inputs.map((i) => ({ id: i.id, properties: i.properties })) },
];

/** Batch updates of contacts, captured per call; `reply` decides HubSpot's answer. */
function contactBatchUpdates(reply: { current: Reply }) {
  const calls: Array<{
    token: string;
    inputs: Array<{ id: string; properties: Record<string, string> }>;
    status: number;
  }> = [];
  nock(HUBSPOT)
    .persist()
    .post('/crm/v3/objects/contacts/batch/update')
    .reply(function (_uri, body: any) {
      const token = String(this.req.headers.authorization).replace(/^Bearer /, '');
      const [status, answer, headers] = reply.current(body.inputs, token);
      calls.push({ token, inputs: body.inputs, status });
      return [status, answer as any, headers ?? {}];
    });
  return calls;
}

async function seedContacts(s: TestServer, portalId: number, ids: number[]) {
  await someContacts(
    s.deps.db,
    portalId,
    ids.map((id) => ({ contactId: id, email: `c${id}@example.com` })),
  );
}

const pending = async (s: TestServer) =>
  Number(
    (await s.deps.db.query<{ n: string }>(`SELECT count(*) AS n FROM outbox WHERE kind = 'contact-properties'`))
      .rows[0]!.n,
  );

/** The last properties HubSpot accepted for each contact. */
function landed(calls: ReturnType<typeof contactBatchUpdates>, token = TEST_ACCESS_TOKEN) {
  const out = new Map<string, Record<string, string>>();
  for (const c of calls)
    if (c.status === 200 && c.token === token) for (const i of c.inputs) out.set(i.id, i.properties);
  return out;
}

describe('contact property write-back', () => {
  const reply = { current: ok };
  let calls: ReturnType<typeof contactBatchUpdates>;
  const server = useNockedServer({
    env: { HUBSPOT_CLIENT_ID: 'client-id', HUBSPOT_REDIRECT_URI: 'https://nps.test/oauth/callback' },
    start: { features: [opsFeature, responsesFeature] },
    before: () => {
      hubspotAlreadySetUp();
      calls = contactBatchUpdates(reply);
    },
    seed: (s) =>
      saveOAuthTokens(s.deps.db, OTHER_PORTAL, {
        accessTokenEnc: s.deps.cipher.encrypt(OTHER_TOKEN),
        refreshTokenEnc: s.deps.cipher.encrypt('other-refresh-token'),
        expiresAt: new Date(Date.now() + 3_600_000),
        scopes: [],
      }),
  });
  afterEach(() => {
    reply.current = ok;
    calls.length = 0;
  });

  it('250 answers reach HubSpot within seconds in 3 batch calls, each contact with its own properties', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => 10_000 + i);
    await seedContacts(server(), TEST_PORTAL_ID, ids);
    const answeredAt = new Date(Date.now() - 60_000);
    // Holding the portal's flush lease while recording makes the test independent of how fast this machine
    // records: the answers arrive "at once", as they would while another app copy is busy with the portal.
    expect(await claimLease(server().deps.db, TEST_PORTAL_ID, 'contact-properties', 'test', 60_000)).toBe(true);
    for (const [i, contactId] of ids.entries()) {
      await recordResponse(server().deps, {
        portalId: TEST_PORTAL_ID,
        contactId,
        score: i % 11,
        comment: `comment ${i}`,
        channel: 'manual',
        trigger: 'manual',
        answeredAt,
      });
    }
    await releaseLease(server().deps.db, TEST_PORTAL_ID, 'contact-properties', 'test');
    await waitFor(async () => (await pending(server())) === 0, { timeoutMs: 20_000, what: 'the write-back to drain' });
    expect(calls.map((c) => c.inputs.length)).toEqual([100, 100, 50]);
    const props = landed(calls);
    expect(props.size).toBe(250);
    expect(props.get('10009')).toEqual({
      nps_score: '9',
      nps_category: 'promoter',
      nps_last_response_at: String(answeredAt.getTime()),
      nps_last_comment: 'comment 9',
      nps_response_count: '1',
      nps_last_survey_sent_at: '',
      nps_survey_status: 'answered',
      nps_survey_link: '',
      nps_review_link_clicked_at: '',
      nps_last_follow_up_answer: '',
      nps_previous_score: '',
      nps_score_change: '',
      nps_trend: 'first',
    });
    expect(props.get('10007')).toMatchObject({ nps_score: '7', nps_category: 'passive' });
    expect(props.get('10011')).toMatchObject({ nps_score: '0', nps_category: 'detractor' });
  });

  it('an outage and 429s delay the write-back; it is retried until it lands', async () => {
    await seedContacts(server(), TEST_PORTAL_ID, [20_001, 20_002]);
    let n = 0;
    reply.current = (inputs, token) => {
      n++;
      // Five 503s exhaust the HubSpot client's retries for one flush; then a 429; then HubSpot is back.
      if (n <= 5)
        return [
          503,
          '<html><title>503 Service Temporarily Unavailable</title></html>',
          { 'content-type': 'text/html' },
        ];
      if (n === 6)
        return [
          429,
          {
            status: 'error',
            errorType: 'RATE_LIMIT',
            policyName: 'TEN_SECONDLY_ROLLING',
            message: 'You have reached your ten_secondly_rolling limit.',
          },
          { 'retry-after': '1' },
        ];
      return ok(inputs, token);
    };
    await recordResponse(server().deps, {
      portalId: TEST_PORTAL_ID,
      contactId: 20_001,
      score: 3,
      channel: 'manual',
      trigger: 'manual',
    });
    await recordResponse(server().deps, {
      portalId: TEST_PORTAL_ID,
      contactId: 20_002,
      score: 10,
      channel: 'manual',
      trigger: 'manual',
    });
    await waitFor(
      async () =>
        (
          await server().deps.db.query(
            `SELECT 1 FROM outbox WHERE kind = 'contact-properties' AND attempts > 0 AND last_error LIKE '503%'`,
          )
        ).rows.length > 0,
      { timeoutMs: 20_000, what: 'the failed flush to be recorded on the outbox item' },
    );
    await waitFor(async () => (await pending(server())) === 0, {
      timeoutMs: 30_000,
      what: 'the write-back to land after the outage',
    });
    expect(calls.map((c) => c.status)).toEqual([503, 503, 503, 503, 503, 429, 200]);
    expect(landed(calls).get('20001')).toMatchObject({ nps_score: '3', nps_category: 'detractor' });
    expect(landed(calls).get('20002')).toMatchObject({ nps_score: '10', nps_category: 'promoter' });
  });

  it('a HubSpot 400 shows on /healthz, the items back off, and another portal still gets its writes', async () => {
    await seedContacts(server(), TEST_PORTAL_ID, [30_001]);
    await seedContacts(server(), OTHER_PORTAL, [40_001]);
    let broken = true;
    reply.current = (inputs, token) =>
      token === TEST_ACCESS_TOKEN && broken
        ? [
            400,
            {
              status: 'error',
              category: 'VALIDATION_ERROR',
              correlationId: 'c-1',
              message: `Property values were not valid: ${JSON.stringify([{ isValid: false, message: 'Property "nps_score" does not exist', error: 'PROPERTY_DOESNT_EXIST', name: 'nps_score' }])}`,
            },
          ]
        : ok(inputs, token);
    await recordResponse(server().deps, {
      portalId: TEST_PORTAL_ID,
      contactId: 30_001,
      score: 8,
      channel: 'manual',
      trigger: 'manual',
    });
    await recordResponse(server().deps, {
      portalId: OTHER_PORTAL,
      contactId: 40_001,
      score: 9,
      channel: 'manual',
      trigger: 'manual',
    });

    await waitFor(() => landed(calls, OTHER_TOKEN).get('40001'), { what: 'the other portal to get its write' });
    const health = await waitFor(
      async () => {
        const h = await fetch(`${server().url}/healthz`).then((r) => r.json());
        return h.problems.find((p: { key: string }) => p.key === `writeback:${TEST_PORTAL_ID}:contacts`) ? h : null;
      },
      { what: 'the 400 to show on /healthz' },
    );
    expect(health.status).toBe('degraded');
    expect(
      health.problems.find((p: { key: string }) => p.key === `writeback:${TEST_PORTAL_ID}:contacts`),
    ).toMatchObject({
      portalId: TEST_PORTAL_ID,
      message: expect.stringContaining('PROPERTY_DOESNT_EXIST'),
    });
    const item = await server().deps.db.query<{ attempts: number; last_error: string; due_at: Date }>(
      `SELECT attempts, last_error, due_at FROM outbox WHERE portal_id = $1 AND kind = 'contact-properties' AND item_key = '30001'`,
      [TEST_PORTAL_ID],
    );
    expect(item.rows[0]!.attempts).toBeGreaterThanOrEqual(1);
    expect(item.rows[0]!.last_error).toMatch(/^rejected: /);

    // The admin restores the property: the backed-off item lands and the problem clears.
    broken = false;
    await waitFor(async () => (await pending(server())) === 0, {
      timeoutMs: 20_000,
      what: 'the retried write to land',
    });
    expect(landed(calls).get('30001')).toMatchObject({ nps_score: '8' });
    const after = await fetch(`${server().url}/healthz`).then((r) => r.json());
    expect(after.problems.map((p: { key: string }) => p.key)).not.toContain(`writeback:${TEST_PORTAL_ID}:contacts`);
  });

  it.each([
    [
      'a 207 answer naming the deleted contact',
      (inputs: Array<{ id: string; properties: Record<string, string> }>) =>
        [
          207,
          {
            status: 'COMPLETE',
            results: inputs.filter((i) => i.id !== '50003').map((i) => ({ id: i.id, properties: i.properties })),
            errors: [
              {
                status: 'error',
                category: 'OBJECT_NOT_FOUND',
                message: 'Could not update some contacts, they may be deleted or not exist.',
                context: { ids: ['50003'] },
              },
            ],
          },
        ] as [number, unknown],
    ],
    [
      'a whole-batch refusal naming the deleted contact',
      (inputs: Array<{ id: string; properties: Record<string, string> }>) =>
        inputs.some((i) => i.id === '50003')
          ? ([
              400,
              {
                status: 'error',
                category: 'OBJECT_NOT_FOUND',
                message: 'Could not update some contacts, they may be deleted or not exist.',
                context: { ids: ['50003'] },
              },
            ] as [number, unknown])
          : ok(inputs, ''),
    ],
  ])('a contact deleted in HubSpot does not hold back the rest of its batch (%s)', async (_name, answer) => {
    await server().deps.db.query(`DELETE FROM contacts WHERE contact_id BETWEEN 50001 AND 50005`);
    await seedContacts(server(), TEST_PORTAL_ID, [50_001, 50_002, 50_003, 50_004, 50_005]);
    reply.current = (inputs) => answer(inputs) as [number, unknown];
    for (const contactId of [50_001, 50_002, 50_003, 50_004, 50_005]) {
      await recordResponse(server().deps, {
        portalId: TEST_PORTAL_ID,
        contactId,
        score: 6,
        channel: 'manual',
        trigger: 'manual',
      });
    }
    await waitFor(async () => (await pending(server())) === 0, { timeoutMs: 20_000, what: 'the batch to be settled' });
    const accepted = new Set(
      calls
        .filter((c) => c.status === 200 || c.status === 207)
        .flatMap((c) => c.inputs.map((i) => i.id))
        .filter((id) => id !== '50003'),
    );
    expect([...accepted].sort()).toEqual(['50001', '50002', '50004', '50005']);
    const h = await fetch(`${server().url}/healthz`).then((r) => r.json());
    expect(h.problems.map((p: { key: string }) => p.key)).not.toContain(`writeback:${TEST_PORTAL_ID}:contacts`);
  });
});
