import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { startTestServer, type TestServer } from '../helpers/server';
import { TEST_PORTAL_ID } from '../helpers/env';
import { buildApp } from '../../src/app/http-app';
import { TICK_QUEUE, surveysFeature } from '../../src/surveys';
import { contactWebhookHandlers } from '../../src/contacts/webhooks';
import { webhookEventSchema } from '../../src/core/webhook-event';

// Demo mode: without SMTP_URL the running app writes survey mails into ${DATA_DIR}/outbox and lists them at
// /outbox. This also proves the delivery job runs on its own inside the app.

let server: TestServer;
let dataDir: string;
let invitationId: string;

async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'nps-outbox-'));
  server = await startTestServer({ DATA_DIR: dataDir });
  const db = server.deps.db;
  await db.query(`INSERT INTO contacts (portal_id, contact_id, email, firstname) VALUES ($1, 1, 'ada@example.com', $2)`, [TEST_PORTAL_ID, '<img src=x onerror=alert(1)>Ada']);
  const r = await db.query<{ id: string }>(
    `INSERT INTO invitations (portal_id, contact_id, trigger, milestone_key, status, scheduled_for) VALUES ($1, 1, 'manual', 'demo-1', 'scheduled', now()) RETURNING id`,
    [TEST_PORTAL_ID],
  );
  invitationId = r.rows[0]!.id;
  // Run the delivery job now rather than at the next 15-second boundary.
  await server.deps.jobs.send(TICK_QUEUE, {});
});
afterAll(async () => server?.close());

describe('the demo outbox', () => {
  it('receives the survey mail from the running app’s own delivery job', async () => {
    const file = join(dataDir, 'outbox', `${invitationId}.1.eml`);
    await waitFor(() => (existsSync(file) ? true : undefined), 20_000);
    const status = await waitFor(async () => {
      const r = await server.deps.db.query<{ status: string }>('SELECT status FROM invitations WHERE id = $1', [invitationId]);
      return r.rows[0]!.status === 'sent' ? 'sent' : undefined;
    }, 5_000);
    expect(status).toBe('sent');
    expect(readdirSync(join(dataDir, 'outbox')).filter((f) => f.endsWith('.eml'))).toEqual([`${invitationId}.1.eml`]);
  }, 40_000);

  it('lists the mail at /outbox and shows it with every header and the text part escaped', async () => {
    const list = await fetch(`${server.url}/outbox`);
    expect(list.status).toBe(200);
    const listing = await list.text();
    expect(listing).toContain('How likely are you to recommend NPS Loop?');
    expect(listing).toContain(`href="/outbox/${invitationId}.1.eml"`);

    const one = await fetch(`${server.url}/outbox/${invitationId}.1.eml`);
    expect(one.status).toBe(200);
    expect(one.headers.get('content-security-policy')).toContain("default-src 'none'");
    const page = await one.text();
    expect(page).toContain('ada@example.com');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;Ada');
    expect(page).not.toContain('<img src=x');
    expect(page).toMatch(/<a href="https:\/\/nps\.test\/s\/[\w-]{60}\?score=10">/);

    const html = await fetch(`${server.url}/outbox/${invitationId}.1.eml/html`);
    expect(html.headers.get('content-security-policy')).toMatch(/^sandbox /);
    expect(await html.text()).toContain('&lt;img src=x onerror=alert(1)&gt;Ada');
  });

  it('answers 404 for a mail that is not there, path tricks included', async () => {
    for (const path of ['/outbox/nope.eml', '/outbox/..%2F..%2Fetc%2Fpasswd', '/outbox/index.jsonl']) {
      expect((await fetch(`${server.url}${path}`)).status).toBe(404);
    }
  });
});

describe('a privacy deletion', () => {
  it('deletes the person’s mails from the outbox and their lines, with the address, from its index', async () => {
    const event = webhookEventSchema.parse({ portalId: TEST_PORTAL_ID, occurredAt: Date.now(), subscriptionType: 'contact.privacyDeletion', objectId: 1 });
    const handler = contactWebhookHandlers.find((h) => h.matches(event))!;
    expect(handler.name).toBe('contacts.privacyDeletion');
    await handler.handle(event, server.deps);
    expect(readdirSync(join(dataDir, 'outbox')).filter((f) => f.endsWith('.eml'))).toEqual([]);
    expect(readFileSync(join(dataDir, 'outbox', 'index.jsonl'), 'utf8')).not.toContain('ada@example.com');
    expect(await (await fetch(`${server.url}/outbox`)).text()).not.toContain('ada@example.com');
  });
});

describe('with SMTP configured', () => {
  it('does not expose an outbox', async () => {
    const app = buildApp({ ...server.deps, config: { ...server.config, smtpUrl: 'smtp://127.0.0.1:1' } }, [surveysFeature]);
    const listener = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => listener.once('listening', resolve));
    try {
      expect((await fetch(`http://127.0.0.1:${(listener.address() as AddressInfo).port}/outbox`)).status).toBe(404);
    } finally {
      await new Promise((resolve) => listener.close(resolve));
    }
  });
});
