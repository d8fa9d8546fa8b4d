import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { TEST_PORTAL_ID } from '../helpers/env';
import { Browser } from './dashboard-http';
import { features } from '../../src/app/feature-registry';
import { TICK_QUEUE } from '../../src/surveys';
import { contactWebhookHandlers } from '../../src/contacts/webhooks';
import { webhookEventSchema } from '../../src/core';
import { capturedMailDir, capturedMailTransport } from '../../src/cli/demo/mail-folder';
import { demoFeature } from '../../src/cli/demo/pages';
import { aContact, anInvitation } from '../factories';

// The demo's captured mail: `npm run demo` starts the app with a mail transport that writes survey mails into
// ${DATA_DIR}/mail and with the demo pages, which list them at /demo/mail behind the dashboard sign-in. `npm start`
// has neither: without SMTP_URL it exposes no mail page. This also proves the delivery job runs on its own.

const ADMIN_TOKEN = 'test-admin-token-0123456789';
let demo: TestServer;
let plain: TestServer;
let dataDir: string;
let mailDir: string;
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
  dataDir = mkdtempSync(join(tmpdir(), 'nps-demo-mail-'));
  mailDir = capturedMailDir(dataDir);
  demo = await startTestServer(
    { DATA_DIR: dataDir },
    { features: [...features, demoFeature], mailTransport: capturedMailTransport(mailDir) },
  );
  // What `npm start` without SMTP_URL runs: the product's features, no mail transport.
  plain = await startTestServer({ DATA_DIR: mkdtempSync(join(tmpdir(), 'nps-plain-')) });
  const db = demo.deps.db;
  await aContact(db, TEST_PORTAL_ID, {
    contactId: 1,
    email: 'ada@example.com',
    firstname: '<img src=x onerror=alert(1)>Ada',
  });
  invitationId = (
    await anInvitation(db, {
      portalId: TEST_PORTAL_ID,
      contactId: 1,
      trigger: 'manual',
      milestoneKey: 'demo-1',
      status: 'scheduled',
    })
  ).id;
  // Run the delivery job now rather than at the next 15-second boundary.
  await demo.deps.jobs.send(TICK_QUEUE, {});
});
afterAll(async () => {
  await demo?.close();
  await plain?.close();
});

describe('the demo mail folder', () => {
  it('receives the survey mail from the running app’s own delivery job, in DATA_DIR/mail', async () => {
    expect(mailDir).toBe(join(dataDir, 'mail'));
    const file = join(mailDir, `${invitationId}.1.eml`);
    await waitFor(() => (existsSync(file) ? true : undefined), 20_000);
    const status = await waitFor(async () => {
      const r = await demo.deps.db.query<{ status: string }>('SELECT status FROM invitations WHERE id = $1', [
        invitationId,
      ]);
      return r.rows[0]!.status === 'sent' ? 'sent' : undefined;
    }, 5_000);
    expect(status).toBe('sent');
    expect(readdirSync(mailDir).filter((f) => f.endsWith('.eml'))).toEqual([`${invitationId}.1.eml`]);
  }, 40_000);

  it('needs the dashboard sign-in: pages redirect to it and show nothing', async () => {
    for (const path of [
      '/demo/mail',
      `/demo/mail/${invitationId}.1.eml`,
      `/demo/mail/${invitationId}.1.eml/html`,
      '/demo/card/1',
    ]) {
      const res = await fetch(`${demo.url}${path}`, { redirect: 'manual' });
      expect(res.status, path).toBe(303);
      expect(res.headers.get('location')).toBe('/dashboard/sign-in');
      expect(await res.text()).not.toContain('ada@example.com');
    }
  });

  it('lists the mail at /demo/mail once signed in and shows it with every header and the text part escaped', async () => {
    const browser = new Browser(demo.url);
    await browser.signIn(ADMIN_TOKEN);
    const list = await browser.fetch('/demo/mail');
    expect(list.status).toBe(200);
    const listing = await list.text();
    expect(listing).toContain('How likely are you to recommend NPS Loop?');
    expect(listing).toContain(`href="/demo/mail/${invitationId}.1.eml"`);

    const one = await browser.fetch(`/demo/mail/${invitationId}.1.eml`);
    expect(one.status).toBe(200);
    expect(one.headers.get('content-security-policy')).toContain("default-src 'none'");
    const page = await one.text();
    expect(page).toContain('ada@example.com');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;Ada');
    expect(page).not.toContain('<img src=x');
    expect(page).toMatch(/<a href="https:\/\/nps\.test\/s\/[\w-]{60}\?score=10">/);

    const html = await browser.fetch(`/demo/mail/${invitationId}.1.eml/html`);
    expect(html.headers.get('content-security-policy')).toMatch(/^sandbox /);
    expect(await html.text()).toContain('&lt;img src=x onerror=alert(1)&gt;Ada');

    for (const path of ['/demo/mail/nope.eml', '/demo/mail/..%2F..%2Fetc%2Fpasswd', '/demo/mail/index.jsonl']) {
      expect((await browser.fetch(path)).status, path).toBe(404);
    }
  });

  it('is not there without the demo: 404 at /demo/mail (and at the old /outbox), signed in or not', async () => {
    const browser = new Browser(plain.url);
    for (const path of ['/demo/mail', `/demo/mail/${invitationId}.1.eml`, '/outbox', '/demo/card/1'])
      expect((await fetch(`${plain.url}${path}`)).status, path).toBe(404);
    await browser.signIn(ADMIN_TOKEN);
    expect((await browser.fetch('/demo/mail')).status).toBe(404);
    expect((await fetch(`${demo.url}/outbox`)).status).toBe(404);
  });
});

describe('a privacy deletion', () => {
  it('deletes the person’s mails from the folder and their lines, with the address, from its index', async () => {
    const event = webhookEventSchema.parse({
      portalId: TEST_PORTAL_ID,
      occurredAt: Date.now(),
      subscriptionType: 'contact.privacyDeletion',
      objectId: 1,
    });
    const handler = contactWebhookHandlers.find((h) => h.matches(event))!;
    expect(handler.name).toBe('contacts.privacyDeletion');
    await handler.handle(event, demo.deps);
    expect(readdirSync(mailDir).filter((f) => f.endsWith('.eml'))).toEqual([]);
    expect(readFileSync(join(mailDir, 'index.jsonl'), 'utf8')).not.toContain('ada@example.com');
    const browser = new Browser(demo.url);
    await browser.signIn(ADMIN_TOKEN);
    expect(await (await browser.fetch('/demo/mail')).text()).not.toContain('ada@example.com');
  });
});
