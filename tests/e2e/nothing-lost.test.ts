import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox';
import { openDb } from '../../src/storage/db';
import { freePort } from '../../src/cli/demo/environment';
import { spawnTs, type Child } from '../helpers/child';
import { dropSchemas } from '../helpers/db';
import { TEST_DATABASE_URL, uniqueSchema } from '../helpers/env';
import { sized } from '../helpers/proof-size';
import { recordProof } from '../helpers/proof-report';
import { startSmtpServer } from '../helpers/smtp';
import { waitFor } from '../helpers/wait';

// The promise of "nothing lost, nothing doubled", tested the hard way: the real app in a child process is killed
// with SIGKILL at several points between HubSpot's webhook delivery being acknowledged and the survey email
// leaving, and restarted each time. A real SMTP server on loopback counts what arrives.
//
// Sized by NPS_PROOF_SIZE (tests/helpers/proof-size.ts). Full (`npm run proofs:crash`): 12 deals and all three
// kills; each kill that strands work costs a claim or job expiry (2 minutes), so this takes minutes. Quick
// (`npm test`): 4 deals and the kill right after HubSpot's delivery was acknowledged; the same assertions.

type KillPoint = 'after-ack' | 'after-restart' | 'first-email';
const KILLS: KillPoint[] = sized<KillPoint[]>({
  quick: ['after-ack'],
  full: ['after-ack', 'after-restart', 'first-email'],
});
const SECRET = 'crash-test-client-secret-0123456789';
const DEALS = sized({ quick: 4, full: 12 });
const ADMIN = 'crash-test-admin-token-0123456789';
/** Sends a process has in flight at once (src/surveys/delivery.ts): what one kill can strand at the SMTP handover. */
const SENDS_IN_FLIGHT = 4;

describe('nothing lost, nothing doubled', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  const handover = KILLS.includes('first-email')
    ? ' (a resend interrupted at the SMTP handover keeps its Message-ID)'
    : '';
  it(`when the app is SIGKILLed between webhook acknowledgement and email (kills: ${KILLS.join(', ')}), every due survey is sent once after restarts${handover}`, async () => {
    const smtp = await startSmtpServer();
    cleanups.push(() => smtp.close());
    const sandbox = createSandbox({
      app: { clientSecret: SECRET },
      seed: { seed: 5, contacts: 80, deals: 30, tickets: 0, companies: 10 },
    });
    const sb = await sandbox.listen(0);
    cleanups.push(() => sandbox.close());
    const port = await freePort(0);
    const publicBaseUrl = `http://127.0.0.1:${port}`;
    // While the app is down HubSpot keeps retrying (up to 10 times over a day); here every 1.5 s.
    sandbox.webhooks.configure({ targetUrl: `${publicBaseUrl}/webhooks/hubspot`, retryDelayMs: 1500, maxRetries: 10 });

    const dir = mkdtempSync(join(tmpdir(), 'nps-nothing-lost-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const schema = TEST_DATABASE_URL ? uniqueSchema('lost') : undefined;
    if (schema) cleanups.push(() => dropSchemas(schema));
    const settingsFile = join(dir, 'settings.json');
    writeFileSync(
      settingsFile,
      JSON.stringify({
        triggers: [{ id: 'won', objectType: 'deal', pipelineId: '*', stageId: 'closedwon', delayHours: 0 }],
      }),
    );
    const env = {
      PORT: String(port),
      PUBLIC_BASE_URL: publicBaseUrl,
      DATA_DIR: join(dir, 'data'),
      DATABASE_URL: TEST_DATABASE_URL,
      DATABASE_SCHEMA: schema,
      HUBSPOT_API_BASE_URL: sb.url,
      HUBSPOT_ACCESS_TOKEN: sandbox.defaultToken,
      HUBSPOT_PORTAL_ID: String(sandbox.defaultPortalId),
      HUBSPOT_CLIENT_SECRET: SECRET,
      SURVEY_SIGNING_KEY: 'crash-test-signing-key-0123456789',
      ENCRYPTION_KEY: 'crash-test-encryption-key-0123456789',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'NPS <nps@example.com>',
      NPS_SETTINGS_FILE: settingsFile,
      LOG_LEVEL: 'warn',
      ADMIN_TOKEN: ADMIN,
    };
    let app: Child | undefined;
    const start = async () => {
      app = spawnTs('src/app/main.ts', env);
      await waitFor(async () => (await fetch(`${publicBaseUrl}/healthz`)).ok, {
        timeoutMs: 120_000,
        what: 'the app to start',
      });
    };
    const kill = async () => {
      app!.proc.kill('SIGKILL');
      await app!.exited;
    };
    cleanups.push(() => void app?.proc.kill('SIGKILL'));

    await start();
    // The contacts who are due a survey: those on the deals that reach closed-won, with an email, not opted out.
    const deals = [...sandbox.portal().tables.deals.all()]
      .filter((d) => d.properties.dealstage !== 'closedwon')
      .slice(0, DEALS);
    const due = new Set<string>();
    for (const d of deals) {
      for (const c of sandbox.crm.getRecord('deals', d.id).associations.contacts ?? []) {
        const contact = sandbox.crm.getContact(c.id).properties;
        if (contact.email && contact.hs_email_optout !== 'true') due.add(contact.email.toLowerCase());
      }
    }
    for (const d of deals) sandbox.crm.moveDealToStage(d.id, 'closedwon');

    for (const [i, point] of KILLS.entries()) {
      if (i > 0) await start();
      if (point === 'after-ack') {
        // Right after HubSpot's delivery was acknowledged, before the events are processed.
        await waitFor(() => sandbox.webhooks.deliveries().some((d) => d.status === 200), {
          timeoutMs: 60_000,
          what: () =>
            `an acknowledged delivery (so far: ${JSON.stringify(sandbox.webhooks.deliveries().map((d) => [d.status, d.error]))})`,
        });
      } else if (point === 'after-restart') {
        // Shortly after restart, while events are processed and invitations scheduled.
        await new Promise((r) => setTimeout(r, 800));
      } else {
        // As soon as the first email has left, in the middle of sending. A processing job killed mid-way is
        // retried when it expires (120 s), so allow for that on a slow machine.
        await waitFor(() => smtp.received.length > 0, { timeoutMs: 240_000, what: 'the first email' });
      }
      await kill();
    }
    // Last run: let it finish.
    await start();
    await sandbox.webhooks.flush(60_000);
    // Sends in flight at the last kill are retried once their claim times out (2 minutes).
    const recipients = () => new Set(smtp.received.flatMap((m) => m.to.map((t) => t.toLowerCase()))).size;
    await waitFor(() => recipients() >= due.size, {
      timeoutMs: 200_000,
      what: `${due.size} recipients (got ${recipients()})`,
    });
    // Sends stranded by the last kill are retried once their claims expire (2 minutes): wait until the app itself
    // reports nothing scheduled, then one more delivery cycle, after which nothing further may arrive.
    await waitFor(
      async () => {
        const res = await fetch(`${publicBaseUrl}/api/invitations?status=scheduled`, {
          headers: { authorization: `Bearer ${ADMIN}` },
        });
        return res.ok && ((await res.json()) as { invitations: unknown[] }).invitations.length === 0;
      },
      { timeoutMs: 200_000, intervalMs: 1000, what: 'no invitation left scheduled' },
    );
    await new Promise((r) => setTimeout(r, 16_000));
    app!.proc.kill('SIGTERM');
    await app!.exited;

    // Nothing lost: every due contact received the survey. Nothing doubled: nobody received two different
    // messages. SMTP cannot tell a sender whether a message it handed over was accepted when the sender dies
    // between the server's 250 and its own commit (kill 3 aims at exactly that moment), so such a send is retried
    // with the same Message-ID, which receivers deduplicate; at most the sends in flight at that kill.
    const idsPerRecipient = new Map<string, Set<string>>();
    for (const m of smtp.received) {
      expect(m.messageId).toBeTruthy();
      for (const to of m.to)
        idsPerRecipient.set(to.toLowerCase(), (idsPerRecipient.get(to.toLowerCase()) ?? new Set()).add(m.messageId!));
    }
    expect(new Set(idsPerRecipient.keys())).toEqual(due);
    expect([...idsPerRecipient.entries()].filter(([, ids]) => ids.size > 1)).toEqual([]);
    expect(smtp.received.length - due.size).toBeLessThanOrEqual(SENDS_IN_FLIGHT);

    const db = await openDb({
      databaseUrl: TEST_DATABASE_URL,
      dataDir: TEST_DATABASE_URL ? undefined : env.DATA_DIR,
      schema,
    });
    try {
      const r = await db.query<{ status: string; n: string }>(
        `SELECT status, count(*) AS n FROM invitations GROUP BY status`,
      );
      const byStatus = Object.fromEntries(r.rows.map((x) => [x.status, Number(x.n)]));
      expect(byStatus.scheduled ?? 0).toBe(0);
      expect(byStatus.sent).toBe(due.size);
      const pending = await db.query(`SELECT 1 FROM webhook_events WHERE status = 'pending'`);
      expect(pending.rowCount).toBe(0);
      recordProof({
        proof: 'app SIGKILLed between webhook and email',
        passWhen:
          'every due survey delivered once (a resend at the SMTP handover keeps its Message-ID), nothing left scheduled',
        pass: true,
        figures: {
          deals: DEALS,
          kills: KILLS.length,
          'due surveys': due.size,
          'messages received': smtp.received.length,
          'left scheduled': byStatus.scheduled ?? 0,
        },
      });
    } finally {
      await db.close();
    }
  }, 850_000);
});
