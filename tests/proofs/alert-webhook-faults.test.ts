import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertAnswerOutbox, alertsFeature, alertSendOutbox } from '../../src/alerts';
import { WAIT_FOR_TASK_MS } from '../../src/alerts/alert-outbox';
import { saveSettings } from '../../src/core/settings-service';
import { drainDuePortals } from '../../src/outbox';
import { recordResponse } from '../../src/responses/record';
import { createRng } from '../../src/sandbox/platform/random';
import { TEST_PORTAL_ID } from '../helpers/env';
import { startHookServer, type HookServer } from '../helpers/https-hook';
import { recordProof } from '../helpers/proof-report';
import { sized } from '../helpers/proof-size';
import { startTestServer, type TestServer } from '../helpers/server';
import { aContact, anInvitation } from '../factories';

// A Slack webhook (a real HTTPS server on 127.0.0.1) that fails half of the time, seeded: a 500 or a connection
// reset without an answer. N detractors answer; the outbox is drained by two drains at once, pass after pass, the
// clock moved past each backoff. The receiver must have accepted exactly one message per answer, none twice.

const ANSWERS = sized({ quick: 40, full: 500 });
const SEED = 15;
/**
 * A bound, so a bug cannot loop for ever. A drain stops a portal's pass at a failed batch (the webhook is
 * struggling), so passes grow with the size: 8 for 40 answers, 55 for 500 when measured.
 */
const MAX_PASSES = 400;

describe('proof: alerts to a webhook failing 50% of the time', () => {
  let s: TestServer;
  let hook: HookServer;
  let offsetMs = 0;
  const clock = { now: () => new Date(Date.now() + offsetMs) };

  beforeAll(async () => {
    hook = await startHookServer();
    s = await startTestServer(
      { RUN_WORKERS: 'false', ALERTS_ALLOW_PRIVATE_WEBHOOKS: 'true', ALERTS_WEBHOOK_CA_FILE: hook.caFile },
      { features: [alertsFeature], clock },
    );
  });
  afterAll(async () => {
    await s?.close();
    await hook?.close();
  });

  it(`${ANSWERS} detractor answers, the receiver failing half the requests: ${ANSWERS} messages, one per answer`, async () => {
    const put = await fetch(`${s.url}/api/alerts/webhook`, {
      method: 'PUT',
      headers: { authorization: 'Bearer test-admin-token-0123456789', 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'slack', url: `${hook.origin}/hooks/flaky` }),
    });
    expect(put.status).toBe(200);
    await saveSettings(s.deps.db, TEST_PORTAL_ID, { alerts: { enabled: true, ownerEmail: false } });

    for (let i = 0; i < ANSWERS; i++) {
      const contactId = 10_000 + i;
      await aContact(s.deps.db, TEST_PORTAL_ID, { contactId, email: `f${i}@example.com`, firstname: `Faulty${i}` });
      const now = new Date();
      const inv = await anInvitation(s.deps.db, {
        portalId: TEST_PORTAL_ID,
        contactId,
        status: 'sent',
        scheduledFor: now,
        sentAt: now,
      });
      await recordResponse(s.deps, {
        portalId: TEST_PORTAL_ID,
        contactId,
        invitationId: inv.id,
        score: i % 7,
        comment: null,
        channel: 'page',
      });
    }

    const rng = createRng(SEED);
    let failures = 0;
    hook.fallback = () => {
      if (rng() >= 0.5) return 200;
      failures++;
      return rng() < 0.5 ? 500 : 'reset';
    };
    const drainTwice = () =>
      Promise.all([
        drainDuePortals(s.deps, alertSendOutbox, { hold: 0 }),
        drainDuePortals(s.deps, alertSendOutbox, { hold: 0 }),
      ]);
    const left = async () =>
      Number(
        (await s.deps.db.query<{ n: string }>(`SELECT count(*) AS n FROM outbox WHERE kind LIKE 'alert-%'`)).rows[0]!.n,
      );

    while (await drainDuePortals(s.deps, alertAnswerOutbox, { hold: 0 }).then((o) => o.length > 0));
    offsetMs += WAIT_FOR_TASK_MS;
    let passes = 0;
    while ((await left()) > 0 && passes < MAX_PASSES) {
      await drainTwice();
      offsetMs += 600_000; // past the longest backoff
      passes++;
    }

    const perAnswer = new Map<string, number>();
    for (const body of hook.delivered) perAnswer.set(body.text, (perAnswer.get(body.text) ?? 0) + 1);
    const twice = [...perAnswer.values()].filter((n) => n > 1).length;
    const sentRows = await s.deps.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM alert_deliveries WHERE destination = 'webhook' AND sent_at IS NOT NULL`,
    );
    const pass = hook.delivered.length === ANSWERS && perAnswer.size === ANSWERS && twice === 0;
    recordProof({
      proof: 'alerts to a webhook failing 50% of the time',
      passWhen: 'exactly one message per answer reaches the receiver; none twice, none lost',
      pass,
      figures: {
        answers: ANSWERS,
        requests: hook.received.length,
        failedRequests: failures,
        delivered: hook.delivered.length,
        answersAlertedTwice: twice,
        drainPasses: passes,
      },
    });
    expect(await left()).toBe(0);
    expect(failures).toBeGreaterThan(ANSWERS / 4); // the receiver really was flaky
    expect(hook.received.length).toBe(hook.delivered.length + failures);
    expect(twice).toBe(0);
    expect(perAnswer.size).toBe(ANSWERS);
    expect(hook.delivered).toHaveLength(ANSWERS);
    expect(Number(sentRows.rows[0]!.n)).toBe(ANSWERS);
  });
});
