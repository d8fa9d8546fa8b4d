import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WAIT_FOR_TASK_MS } from '../../src/alerts/alert-outbox';
import { alertAnswerOutbox, alertDigestOutbox, alertsFeature, alertSendOutbox } from '../../src/alerts';
import { saveSettings } from '../../src/core/settings-service';
import { insightsFeature } from '../../src/insights';
import { Browser, hiddenCsrf } from './dashboard-http';
import type { OutboxKind } from '../../src/outbox';
import { drainDuePortals } from '../../src/outbox';
import { AlertSendError, postWebhook } from '../../src/alerts/webhook-send';
import { recordResponse } from '../../src/responses/record';
import { TEST_PORTAL_ID } from '../helpers/env';
import { startHookServer, type HookServer } from '../helpers/https-hook';
import { startTestServer, type TestServer } from '../helpers/server';
import { aContact, anInvitation } from '../factories';

// Slack and Teams alerts posted to a real HTTPS server on 127.0.0.1 (self-signed certificate made by the test,
// trusted through ALERTS_WEBHOOK_CA_FILE; loopback allowed only by ALERTS_ALLOW_PRIVATE_WEBHOOKS). Nothing is
// mocked between the app and that server. Workers are off: the test drains the outbox itself.

const ADMIN = { authorization: 'Bearer test-admin-token-0123456789', 'content-type': 'application/json' };

describe('alert webhooks', () => {
  let s: TestServer;
  let hook: HookServer;
  let offsetMs = 0;
  let nextContact = 700;
  const clock = { now: () => new Date(Date.now() + offsetMs) };

  beforeAll(async () => {
    hook = await startHookServer();
    s = await startTestServer(
      { RUN_WORKERS: 'false', ALERTS_ALLOW_PRIVATE_WEBHOOKS: 'true', ALERTS_WEBHOOK_CA_FILE: hook.caFile },
      { features: [insightsFeature, alertsFeature], clock },
    );
  });
  afterAll(async () => {
    await s?.close();
    await hook?.close();
  });
  beforeEach(() => {
    hook.received.length = 0;
    hook.nextStatuses.length = 0;
    offsetMs = 0;
  });

  const api = (method: string, body?: unknown) =>
    fetch(`${s.url}/api/alerts/webhook`, { method, headers: ADMIN, body: body ? JSON.stringify(body) : undefined });

  async function configure(kind: 'slack' | 'teams', webhookDelivery: 'immediate' | 'digest' = 'immediate') {
    const res = await api('PUT', { kind, url: `${hook.origin}/hooks/${kind}/secret-path` });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ configured: true, kind, hint: `${hook.origin}/…` });
    await saveSettings(s.deps.db, TEST_PORTAL_ID, {
      alerts: { enabled: true, ownerEmail: false, webhookDelivery },
    });
  }

  async function answerFromDeal(score: number, comment: string | null = null) {
    const contactId = nextContact++;
    await aContact(s.deps.db, TEST_PORTAL_ID, {
      contactId,
      email: `c${contactId}@example.com`,
      firstname: 'Ada',
      lastname: 'Lovelace',
    });
    const now = new Date();
    const inv = await anInvitation(s.deps.db, {
      portalId: TEST_PORTAL_ID,
      contactId,
      trigger: 'deal',
      milestoneKey: `deal:8001:closedwon:contact:${contactId}`,
      source: { objectType: 'deal', objectId: '8001', pipeline: 'default', stage: 'closedwon' },
      status: 'sent',
      scheduledFor: now,
      sentAt: now,
    });
    const answer = (sc: number, c: string | null = comment) =>
      recordResponse(s.deps, {
        portalId: TEST_PORTAL_ID,
        contactId,
        invitationId: inv.id,
        score: sc,
        comment: c,
        channel: 'page',
      });
    const first = await answer(score);
    return { contactId, responseId: first.responseId, answer };
  }

  const drain = async (kind: OutboxKind) => {
    await new Promise((r) => setTimeout(r, 10));
    return drainDuePortals(s.deps, kind, { hold: 0 });
  };
  /** Plans, then sends once the wait for the follow-up task (WAIT_FOR_TASK_MS) is over. */
  const flush = async () => {
    await drain(alertAnswerOutbox);
    offsetMs += WAIT_FOR_TASK_MS;
    await drain(alertSendOutbox);
  };

  it('posts a Slack message with blocks for a detractor', async () => {
    await configure('slack');
    const { contactId } = await answerFromDeal(2, 'Too slow <really>');
    await flush();
    expect(hook.received).toHaveLength(1);
    const got = hook.received[0]!;
    expect(got.path).toBe('/hooks/slack/secret-path');
    expect(got.contentType).toBe('application/json');
    expect(got.body.text).toBe('NPS detractor: Ada Lovelace scored 2');
    expect(got.body.blocks[0].type).toBe('header');
    expect(got.body.blocks[1].text.text).toContain('*Comment:* Too slow &lt;really&gt;');
    expect(got.body.blocks[1].text.text).toContain(`record/0-1/${contactId}|Ada Lovelace>`);
    expect(got.body.blocks[1].text.text).toContain('record/0-3/8001');
  });

  it('posts a Teams Adaptive Card', async () => {
    await configure('teams');
    await answerFromDeal(4, 'Meh');
    await flush();
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]!.path).toBe('/hooks/teams/secret-path');
    const msg = hook.received[0]!.body;
    expect(msg.type).toBe('message');
    expect(msg.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    const text = JSON.stringify(msg.attachments[0].content);
    expect(text).toContain('"text":"Ada Lovelace: 4 (detractor)"');
    expect(text).toContain('"text":"Meh"');
    expect(text).toContain('record/0-3/8001');
  });

  it('alerts once however often the outbox delivers, and again only when the answer gets worse', async () => {
    await configure('slack');
    const a = await answerFromDeal(5);
    await flush();
    await flush();
    await alertSendOutbox.mark(s.deps.db, TEST_PORTAL_ID, `${a.responseId}:webhook`); // a duplicate delivery
    await alertAnswerOutbox.mark(s.deps.db, TEST_PORTAL_ID, a.responseId);
    await flush();
    expect(hook.received).toHaveLength(1);
    await a.answer(6); // better: no alert
    await flush();
    expect(hook.received).toHaveLength(1);
    await a.answer(1); // worse: one more
    await flush();
    await flush();
    expect(hook.received).toHaveLength(2);
    expect(hook.received[1]!.body.text).toContain('scored 1');
  });

  it('does not alert promoters, nor anything while alerts are off', async () => {
    await configure('slack');
    await answerFromDeal(10);
    await saveSettings(s.deps.db, TEST_PORTAL_ID, { alerts: { enabled: false } });
    await answerFromDeal(0);
    await flush();
    expect(hook.received).toHaveLength(0);
  });

  it('retries through the outbox when the webhook answers 500, and sends once it works', async () => {
    await configure('slack');
    await answerFromDeal(3);
    hook.nextStatuses.push(500);
    await flush();
    expect(hook.received).toHaveLength(1);
    const waiting = await s.deps.db.query<{ attempts: number; last_error: string }>(
      `SELECT attempts, last_error FROM outbox WHERE kind = 'alert-send'`,
    );
    expect(waiting.rows).toEqual([{ attempts: 1, last_error: expect.stringContaining('500') }]);
    offsetMs += 5_000; // past the first backoff
    await drain(alertSendOutbox);
    expect(hook.received).toHaveLength(2);
    expect(hook.received[1]!.body).toEqual(hook.received[0]!.body);
    expect((await s.deps.db.query(`SELECT 1 FROM outbox WHERE kind = 'alert-send'`)).rows).toHaveLength(0);
  });

  it('sends one digest a day with the day’s answers, once', async () => {
    await configure('teams', 'digest');
    await answerFromDeal(1);
    await answerFromDeal(6);
    await flush();
    await drain(alertDigestOutbox);
    expect(hook.received).toHaveLength(0); // due at the next UTC midnight
    offsetMs += 86_400_000;
    await drain(alertDigestOutbox);
    expect(hook.received).toHaveLength(1);
    const card = hook.received[0]!.body.attachments[0].content;
    expect(card.body[0].inlines[0].text).toMatch(/^NPS alerts for \d{4}-\d{2}-\d{2}: 2 answers$/);
    expect(card.body.filter((b: any) => b.type === 'Container')).toHaveLength(2);
    await alertDigestOutbox.mark(s.deps.db, TEST_PORTAL_ID, `webhook:${new Date().toISOString().slice(0, 10)}`);
    await drain(alertDigestOutbox);
    expect(hook.received).toHaveLength(1);
  });

  it('checks the resolved addresses again at send time: a name resolving to loopback is not posted to', async () => {
    const port = new URL(hook.origin).port;
    const strictConfig = { alerts: { allowPrivateWebhooks: false, webhookCaFile: hook.caFile } };
    const err = await postWebhook(strictConfig, `https://localhost:${port}/hooks/x`, { text: 'hi' }).catch((e) => e);
    expect(err).toBeInstanceOf(AlertSendError);
    expect(err.message).toMatch(/resolves to (127\.0\.0\.1|::1), a private, loopback or link-local address/);
    expect(err.permanent).toBe(true);
    expect(hook.received).toHaveLength(0);
    // The same server, allowed by the switch, is reached: the refusal above was the address check.
    await postWebhook({ alerts: { ...strictConfig.alerts, allowPrivateWebhooks: true } }, `${hook.origin}/hooks/x`, {
      text: 'hi',
    });
    expect(hook.received).toEqual([{ path: '/hooks/x', contentType: 'application/json', body: { text: 'hi' } }]);
  });

  it('has an admin page that saves the webhook with the CSRF token and never shows the address again', async () => {
    const browser = new Browser(s.url);
    await browser.signIn('test-admin-token-0123456789');
    const page = await browser.fetch('/dashboard/settings/alerts/webhook');
    expect(page.status).toBe(200);
    const csrf = hiddenCsrf(await page.text());
    const url = `${hook.origin}/hooks/slack/T000/B000/very-secret-token`;
    const forged = await browser.form('/dashboard/settings/alerts/webhook', { kind: 'slack', url });
    expect(forged.status).toBe(403);
    const saved = await browser.form('/dashboard/settings/alerts/webhook', { kind: 'slack', url, _csrf: csrf });
    expect(saved.status).toBe(200);
    const html = await saved.text();
    expect(html).toContain('The webhook is saved.');
    expect(html).toContain(`${hook.origin}/…`);
    expect(html).not.toContain('very-secret-token');
    const bad = await browser.form('/dashboard/settings/alerts/webhook', {
      kind: 'slack',
      url: 'http://x.example/',
      _csrf: csrf,
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('invalid webhook: url: must start with https://');
    const stored = await s.deps.db.query<{ url_enc: string }>('SELECT url_enc FROM alert_webhooks');
    expect(stored.rows[0]!.url_enc).not.toContain('secret');
    expect(s.deps.cipher.decrypt(stored.rows[0]!.url_enc)).toBe(url);
    const removed = await browser.form('/dashboard/settings/alerts/webhook/delete', { _csrf: csrf });
    expect(removed.status).toBe(200);
    expect(await (await api('GET')).json()).toEqual({ configured: false });
  });

  it('refuses bad webhook input with a 400 naming the field', async () => {
    const http = await api('PUT', { kind: 'slack', url: 'http://hooks.slack.com/services/x' });
    expect(http.status).toBe(400);
    expect(((await http.json()) as any).error.message).toBe('invalid webhook: url: must start with https://');
    const kind = await api('PUT', { kind: 'discord', url: `${hook.origin}/x` });
    expect(kind.status).toBe(400);
    expect(((await kind.json()) as any).error.message).toMatch(/^invalid webhook: kind: /);
    const nul = await api('PUT', { kind: 'slack', url: `${hook.origin}/x\u0000` });
    expect(nul.status).toBe(400);
    expect(((await nul.json()) as any).error.message).toMatch(/url/);
  });

  it('refuses a webhook to a private address when it is saved, unless the switch is on', async () => {
    const strict = await startTestServer(
      { RUN_WORKERS: 'false', ALERTS_WEBHOOK_CA_FILE: hook.caFile },
      { features: [alertsFeature] },
    );
    try {
      const res = await fetch(`${strict.url}/api/alerts/webhook`, {
        method: 'PUT',
        headers: ADMIN,
        body: JSON.stringify({ kind: 'slack', url: `${hook.origin}/hooks/x` }),
      });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { message: string } };
      expect(body.error.message).toMatch(/^invalid webhook: url: .*private/);
    } finally {
      await strict.close();
    }
    expect(hook.received).toHaveLength(0);
  });
});
