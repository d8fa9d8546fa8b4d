import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRng, shuffle } from '../../src/sandbox/platform/random';
import { webhookHeaders } from '../../src/sandbox/webhooks/signing';
import { runDeliveryCycle } from '../../src/surveys/delivery';
import { createMailer } from '../../src/surveys/mailer';
import { startSandboxApp } from '../helpers/sandbox-app';
import { TEST_CLIENT_SECRET, TEST_PORTAL_ID } from '../helpers/env';
import { sized } from '../helpers/proof-size';
import { recordProof } from '../helpers/proof-report';
import { startSmtpServer } from '../helpers/smtp';
import { waitFor } from '../helpers/wait';

// HubSpot guarantees neither uniqueness nor order of webhook deliveries. N deals, each with its own contact, are
// won in the sandbox; the sandbox's signed deliveries are caught, then every one is delivered to the app three
// times, all shuffled, re-signed as HubSpot signs them. The app must schedule one survey per milestone and, after
// the delivery cycle, a real SMTP server on loopback must have received exactly N survey emails, one per contact.

const MILESTONES = sized({ quick: 40, full: 500 });
const COPIES = 3;
/** Deliveries in flight at once towards the app (HubSpot's own limit per app is 10). */
const IN_FLIGHT = 10;

/** Stands in for the app while the sandbox delivers: keeps each signed body and acknowledges it. */
async function startCatcher(): Promise<{ url: string; bodies: string[]; server: Server }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/hubspot`, bodies, server };
}

describe('proof: every webhook delivered 3×, shuffled', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it(`${MILESTONES} won deals, every delivery sent ${COPIES}× in shuffled order: one survey per milestone, ${MILESTONES} emails`, async () => {
    const smtp = await startSmtpServer();
    cleanups.push(() => smtp.close());
    const dir = mkdtempSync(join(tmpdir(), 'nps-proof-dup-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const settingsFile = join(dir, 'settings.json');
    writeFileSync(
      settingsFile,
      JSON.stringify({
        triggers: [{ id: 'won', objectType: 'deal', pipelineId: '*', stageId: 'closedwon', delayHours: 0 }],
      }),
    );
    const rig = await startSandboxApp({
      seed: { seed: 3, contacts: 0, companies: 0, deals: 0, tickets: 0 },
      env: { SMTP_URL: smtp.url, NPS_SETTINGS_FILE: settingsFile, DATA_DIR: join(dir, 'data') },
    });
    cleanups.push(() => rig.close());
    const { sandbox, server: app } = rig;
    const db = app.deps.db;

    // N deals, each with a contact of its own that can be surveyed; created before any webhook target is set.
    const emails = new Set<string>();
    const deals: string[] = [];
    for (let i = 0; i < MILESTONES; i++) {
      const email = `won${i}@example.com`;
      const contact = sandbox.crm.createContact({ email, firstname: `Won${i}` });
      emails.add(email);
      const deal = sandbox.crm.createRecord(
        'deals',
        { dealname: `Proof deal ${i}`, pipeline: 'default', dealstage: 'contractsent' },
        {
          associations: [
            { to: { id: contact.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 3 }] },
          ],
        },
      );
      deals.push(deal.id);
    }

    // The sandbox delivers the stage changes, signed, in small batches (shuffled); a catcher keeps them.
    const catcher = await startCatcher();
    cleanups.push(() => new Promise<void>((resolve) => catcher.server.close(() => resolve())));
    sandbox.webhooks.configure({ targetUrl: catcher.url, maxBatchSize: 2, reorder: true, seed: 7 });
    for (const id of deals) sandbox.crm.moveDealToStage(id, 'closedwon');
    await sandbox.webhooks.flush(60_000);
    const caught = catcher.bodies;
    const events = caught.flatMap((b) => JSON.parse(b) as Array<{ objectId: number; subscriptionType: string }>);
    expect(new Set(events.map((e) => String(e.objectId)))).toEqual(new Set(deals));

    // Every delivery three times, all shuffled, each signed for the app's URL at the moment it is sent.
    const target = `${app.url}/webhooks/hubspot`;
    const sends = shuffle(
      createRng(11),
      caught.flatMap((body) => Array.from({ length: COPIES }, () => body)),
    );
    const statuses: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < sends.length) {
          const body = sends[next++]!;
          const res = await fetch(target, {
            method: 'POST',
            headers: webhookHeaders(TEST_CLIENT_SECRET, target, body),
            body,
          });
          await res.arrayBuffer();
          statuses.push(res.status);
        }
      }),
    );
    expect(statuses.filter((s) => s < 200 || s >= 300)).toEqual([]);

    // Everything processed, every invitation scheduled; then the delivery cycle sends what is due.
    const count = async (sql: string, params: unknown[] = []) =>
      Number((await db.query<{ n: string }>(sql, params)).rows[0]!.n);
    await waitFor(
      async () =>
        (await count(`SELECT count(*) AS n FROM webhook_events WHERE status = 'pending'`)) === 0 &&
        (await count(`SELECT count(*) AS n FROM invitations WHERE portal_id = $1`, [TEST_PORTAL_ID])) >= MILESTONES,
      { timeoutMs: sized({ quick: 25_000, full: 600_000 }), intervalMs: 200, what: 'webhook events processed' },
    );
    const mailer = createMailer(app.config);
    await waitFor(
      async () => {
        await runDeliveryCycle({ ...app.deps, mailer });
        return (await count(`SELECT count(*) AS n FROM invitations WHERE status = 'scheduled'`)) === 0;
      },
      { timeoutMs: sized({ quick: 25_000, full: 600_000 }), intervalMs: 0, what: 'every survey sent' },
    );
    // One more cycle (the app's own worker may also have run one): nothing further may leave.
    await runDeliveryCycle({ ...app.deps, mailer });

    const perMilestone = (
      await db.query<{ deal: string; n: string; statuses: string }>(
        `SELECT source_object_id AS deal, count(*) AS n, string_agg(status, ',') AS statuses FROM invitations
          WHERE source_object_type = 'deal' GROUP BY source_object_id`,
      )
    ).rows;
    const doubled = perMilestone.filter((r) => Number(r.n) > 1);
    const invitations = perMilestone.reduce((n, r) => n + Number(r.n), 0);
    const recipients = new Map<string, number>();
    for (const m of smtp.received) for (const to of m.to) recipients.set(to, (recipients.get(to) ?? 0) + 1);

    expect(doubled).toEqual([]);
    expect(perMilestone.map((r) => String(r.deal)).sort()).toEqual([...deals].sort());
    expect(perMilestone.every((r) => r.statuses === 'sent')).toBe(true);
    expect(smtp.received).toHaveLength(MILESTONES);
    expect(new Set(recipients.keys())).toEqual(emails);
    expect([...recipients.values()].every((n) => n === 1)).toBe(true);

    recordProof({
      proof: 'every webhook delivered 3×, shuffled',
      passWhen: 'exactly 1 survey per milestone, none doubled; after the delivery cycle exactly N survey emails',
      pass: true,
      figures: {
        milestones: MILESTONES,
        events: events.length,
        deliveries: sends.length,
        invitations,
        emails: smtp.received.length,
      },
    });
  }, 900_000);
});
