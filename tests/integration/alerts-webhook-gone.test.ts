import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WAIT_FOR_TASK_MS } from '../../src/alerts/alert-outbox';
import { alertAnswerOutbox, alertsFeature, alertSendOutbox } from '../../src/alerts';
import { saveSettings } from '../../src/core/settings-service';
import { insightsFeature } from '../../src/insights';
import { opsFeature } from '../../src/ops';
import type { OutboxKind } from '../../src/outbox';
import { drainDuePortals } from '../../src/outbox';
import { recordResponse } from '../../src/responses/record';
import { Browser, hiddenCsrf } from './dashboard-http';
import { TEST_PORTAL_ID } from '../helpers/env';
import { startHookServer, type HookServer } from '../helpers/https-hook';
import { startTestServer, type TestServer } from '../helpers/server';
import { aContact, anInvitation } from '../factories';

// What a refusal by Slack or Teams does, against a real HTTPS server on 127.0.0.1 (see alerts-webhook.test.ts):
// 404/410/401/403 disable the webhook (shown on /healthz and the admin page, no retries, a new address turns it
// back on); 400 drops the one message and reports it; 429 is retried.

const ADMIN = { authorization: 'Bearer test-admin-token-0123456789', 'content-type': 'application/json' };
const KEY = `alerts-webhook:${TEST_PORTAL_ID}`;

describe('alert webhook refusals', () => {
  let s: TestServer;
  let hook: HookServer;
  let offsetMs = 0;
  let nextContact = 900;
  const clock = { now: () => new Date(Date.now() + offsetMs) };

  beforeAll(async () => {
    hook = await startHookServer();
    s = await startTestServer(
      { RUN_WORKERS: 'false', ALERTS_ALLOW_PRIVATE_WEBHOOKS: 'true', ALERTS_WEBHOOK_CA_FILE: hook.caFile },
      { features: [opsFeature, insightsFeature, alertsFeature], clock },
    );
    await saveSettings(s.deps.db, TEST_PORTAL_ID, { alerts: { enabled: true, ownerEmail: false } });
  });
  afterAll(async () => {
    await s?.close();
    await hook?.close();
  });
  beforeEach(async () => {
    hook.received.length = 0;
    hook.nextStatuses.length = 0;
    offsetMs = 0;
    expect((await api('PUT', { kind: 'slack', url: `${hook.origin}/hooks/first` })).status).toBe(200);
  });

  const api = (method: string, body?: unknown) =>
    fetch(`${s.url}/api/alerts/webhook`, { method, headers: ADMIN, body: body ? JSON.stringify(body) : undefined });
  const problems = async () =>
    ((await (await fetch(`${s.url}/healthz`)).json()) as { problems: Array<{ key: string; message: string }> })
      .problems;
  const outboxLeft = async () =>
    (await s.deps.db.query(`SELECT 1 FROM outbox WHERE kind LIKE 'alert-%' AND portal_id = $1`, [TEST_PORTAL_ID])).rows
      .length;

  async function detractorAnswers() {
    const contactId = nextContact++;
    await aContact(s.deps.db, TEST_PORTAL_ID, { contactId, email: `g${contactId}@example.com`, firstname: 'Grace' });
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
      score: 2,
      comment: null,
      channel: 'page',
    });
  }
  const drain = async (kind: OutboxKind) => {
    await new Promise((r) => setTimeout(r, 10));
    return drainDuePortals(s.deps, kind, { hold: 0 });
  };
  const flush = async () => {
    await drain(alertAnswerOutbox);
    offsetMs += WAIT_FOR_TASK_MS;
    await drain(alertSendOutbox);
  };

  it.each([410, 404, 403, 401])(
    'disables the webhook on a %i, shows it on /healthz and stops posting',
    async (status) => {
      await detractorAnswers();
      hook.nextStatuses.push(status);
      await flush();
      expect(hook.received).toHaveLength(1);
      expect(await outboxLeft()).toBe(0); // not retried
      const described = (await (await api('GET')).json()) as any;
      expect(described.disabled.reason).toMatch(new RegExp(`^the webhook answered ${status}`));
      const onHealth = (await problems()).find((p) => p.key === KEY);
      expect(onHealth?.message).toContain(`the alert webhook is disabled: the webhook answered ${status}`);

      // Later answers are not posted to it (nor even planned for it).
      await detractorAnswers();
      offsetMs += 3_600_000;
      await flush();
      expect(hook.received).toHaveLength(1);
      expect(await outboxLeft()).toBe(0);
    },
  );

  it('shows the disabled webhook and why on the admin page; saving a new address turns it back on', async () => {
    await detractorAnswers();
    hook.nextStatuses.push(410);
    await flush();
    const browser = new Browser(s.url);
    await browser.signIn('test-admin-token-0123456789');
    const page = await browser.fetch('/dashboard/settings/alerts/webhook');
    const html = await page.text();
    expect(html).toContain('This webhook is disabled');
    expect(html).toContain('the webhook answered 410 (channel_is_archived)');
    const saved = await browser.form('/dashboard/settings/alerts/webhook', {
      kind: 'slack',
      url: `${hook.origin}/hooks/second`,
      _csrf: hiddenCsrf(html),
    });
    expect(saved.status).toBe(200);
    expect(await saved.text()).not.toContain('This webhook is disabled');
    expect(((await (await api('GET')).json()) as any).disabled).toBeNull();
    expect((await problems()).map((p) => p.key)).not.toContain(KEY);

    await detractorAnswers();
    await flush();
    expect(hook.received.map((r) => r.path)).toEqual(['/hooks/first', '/hooks/second']);
  });

  it('keeps a disabled webhook on /healthz after a restart', async () => {
    await detractorAnswers();
    hook.nextStatuses.push(404);
    await flush();
    s.deps.health.clear(KEY); // what a fresh process starts with
    await alertsFeature.start!(s.deps);
    expect((await problems()).find((p) => p.key === KEY)?.message).toContain('the webhook answered 404 (no_service)');
  });

  it('drops a message refused with a 400 and reports it, keeping the webhook; a later success clears it', async () => {
    await detractorAnswers();
    hook.nextStatuses.push(400);
    await flush();
    expect(await outboxLeft()).toBe(0);
    expect(((await (await api('GET')).json()) as any).disabled).toBeNull();
    expect((await problems()).find((p) => p.key === KEY)?.message).toBe(
      'an alert message was refused by the webhook and dropped: the webhook answered 400 (invalid_payload)',
    );
    await detractorAnswers();
    await flush();
    expect(hook.received).toHaveLength(2);
    expect((await problems()).map((p) => p.key)).not.toContain(KEY);
  });

  it('retries a 429 through the outbox', async () => {
    await detractorAnswers();
    hook.nextStatuses.push(429);
    await flush();
    expect(await outboxLeft()).toBe(1);
    offsetMs += 5_000;
    await drain(alertSendOutbox);
    expect(hook.received).toHaveLength(2);
    expect(await outboxLeft()).toBe(0);
    expect(((await (await api('GET')).json()) as any).disabled).toBeNull();
  });
});
