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
import { startKillingProxy } from './nothing-lost.proxy';
import { createRng, describeKill, killPlan, planDueWave, waveSchedule, type KillAt } from './nothing-lost.plan';

// The promise of "nothing lost, nothing doubled", tested the hard way: the real app in a child process is killed
// with SIGKILL at random points while a wave of deals closes (mid-ingest, mid-scheduling, mid-sending), and
// restarted each time. A real SMTP server on loopback counts what arrives.
//
// Sized by NPS_PROOF_SIZE (tests/helpers/proof-size.ts). Full (`npm run proofs:crash`): a wave of 1,000 due surveys
// moved over 30 s and 5 kills at seeded random delays after each restart, one of them instead as soon as an email
// arrives (the SMTP handover); each kill strands work that is retried when its claim or job expires (2 minutes), so
// this takes minutes. Quick (`npm test`): a dozen due surveys closing at once and one kill while the app reads
// HubSpot's delivery (a kill that strands no job, so the run stays short); the same assertions. CRASH_SEED replays a run (the seed is printed).

const SEED = Number(process.env.CRASH_SEED ?? Date.now() % 2_147_483_647);
const DUE = sized({ quick: 12, full: 1000 });
const WAVE_MS = sized({ quick: 0, full: 30_000 });
const SECRET = 'crash-test-client-secret-0123456789';
const ADMIN = 'crash-test-admin-token-0123456789';
/** Sends a process has in flight at once (src/surveys/delivery.ts): what one kill can strand at the SMTP handover. */
const SENDS_IN_FLIGHT = 4;

interface KillRecord {
  at: KillAt;
  /** Since the wave started. */
  atMs: number;
  upMs: number;
  dealsMoved: number;
  eventsAcked: number;
  /** Messages received and distinct recipients once the process was gone. */
  emails: number;
  recipients: number;
}

describe('nothing lost, nothing doubled', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  const rng = createRng(SEED);
  const KILLS: KillAt[] = sized<KillAt[]>({
    quick: [{ kind: 'midIngest' }],
    full: killPlan(rng, 5, 1000, 30_000),
  });

  const killed = KILLS.length === 1 ? 'once, while it reads a webhook delivery' : `${KILLS.length}× at random points`;
  it(`a wave of ${DUE} due surveys with the app SIGKILLed ${killed}: every due survey is delivered once (a resend at the SMTP handover keeps its Message-ID), nothing left scheduled`, async () => {
    const began = Date.now();
    const smtp = await startSmtpServer();
    cleanups.push(() => smtp.close());
    const sandbox = createSandbox({
      app: { clientSecret: SECRET },
      // Enough open deals that DUE distinct contacts close, with contacts on two deals, without email or opted out.
      seed: sized({
        quick: { seed: 5, contacts: 80, deals: 30, tickets: 0, companies: 10 },
        full: { seed: 5, contacts: 3000, deals: 2400, tickets: 0, companies: 200 },
      }),
    });
    const sb = await sandbox.listen(0);
    cleanups.push(() => sandbox.close());
    // The app listens on its own port behind a pass-through at its public address (the kill inside a delivery).
    const port = await freePort(0);
    const proxy = await startKillingProxy(() => port);
    cleanups.push(() => proxy.close());
    const publicBaseUrl = proxy.url;
    // While the app is down HubSpot keeps retrying (up to 10 times over a day); here backing off from 1 s to 15 s.
    sandbox.webhooks.configure({
      targetUrl: `${publicBaseUrl}/webhooks/hubspot`,
      retryDelayMs: (retry) => Math.min(1000 * 2 ** (retry - 1), 15_000),
      maxRetries: 10,
      logLimit: 100_000,
    });
    const wave = planDueWave(sandbox, DUE);
    const due = wave.due;
    const steps = waveSchedule(rng, wave.deals, WAVE_MS);
    console.log(
      `nothing-lost: seed ${SEED}; ${wave.deals.length} deals close over ${WAVE_MS / 1000} s, ${due.size} due surveys ` +
        `(${JSON.stringify(wave.expected)}); kills: ${KILLS.map(describeKill).join(', ')}`,
    );

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
    let startedAt = 0;
    const start = async () => {
      app = spawnTs('src/app/main.ts', env);
      await waitFor(async () => (await fetch(`${publicBaseUrl}/healthz`)).ok, {
        timeoutMs: 120_000,
        what: 'the app to start',
      });
      startedAt = Date.now();
    };
    cleanups.push(() => void app?.proc.kill('SIGKILL'));
    const recipients = () => new Set(smtp.received.flatMap((m) => m.to.map((t) => t.toLowerCase()))).size;
    const eventsAcked = () =>
      new Set(
        sandbox.webhooks
          .deliveries()
          .filter((d) => d.ok)
          .flatMap((d) => d.eventIds),
      ).size;

    await start();
    // The wave: deals close in chunks at random moments while the app is killed and restarted underneath.
    const waveStart = Date.now();
    let dealsMoved = 0;
    const waveDone = (async () => {
      for (const step of steps) {
        const wait = waveStart + step.atMs - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        for (const id of step.dealIds) sandbox.crm.moveDealToStage(id, 'closedwon');
        dealsMoved += step.dealIds.length;
      }
    })();

    const kills: KillRecord[] = [];
    for (const [i, at] of KILLS.entries()) {
      if (i > 0) await start();
      if (at.kind === 'midIngest') {
        // While the app reads HubSpot's first delivery, before it answers: HubSpot sees no 2xx and delivers again.
        await proxy.armOnNextDelivery(() => app!.proc.kill('SIGKILL'));
      } else if (at.kind === 'delay') {
        await new Promise((r) => setTimeout(r, Math.max(0, startedAt + at.ms - Date.now())));
      } else {
        // As soon as an email arrives after this restart: the others in flight are mid-handover. Work stranded by
        // an earlier kill is retried when it expires (120 s), so allow for that on a slow machine.
        const before = smtp.received.length;
        await waitFor(() => smtp.received.length > before, { timeoutMs: 300_000, intervalMs: 5, what: 'an email' });
      }
      app!.proc.kill('SIGKILL');
      const atMs = Date.now() - waveStart;
      const upMs = Date.now() - startedAt;
      await app!.exited;
      await new Promise((r) => setTimeout(r, 200));
      const k: KillRecord = {
        at,
        atMs,
        upMs,
        dealsMoved,
        eventsAcked: eventsAcked(),
        emails: smtp.received.length,
        recipients: recipients(),
      };
      kills.push(k);
      console.log(
        `nothing-lost: kill ${i + 1} (${describeKill(at)}) at ${(atMs / 1000).toFixed(1)} s into the wave, ` +
          `${(upMs / 1000).toFixed(1)} s after start: ${k.dealsMoved}/${wave.deals.length} deals moved, ` +
          `${k.eventsAcked} events acknowledged, ${k.emails} emails to ${k.recipients}/${due.size} recipients`,
      );
    }
    // Last run: let it finish.
    await waveDone;
    await start();
    const lastStart = Date.now();
    await sandbox.webhooks.flush(180_000);
    // Work stranded by the last kill (processing jobs, send claims) is retried once it expires (2 minutes).
    await waitFor(() => recipients() >= due.size, {
      timeoutMs: 600_000,
      intervalMs: 500,
      what: () => `${due.size} recipients (got ${recipients()})`,
    });
    const deliveredAfterS = ((Date.now() - lastStart) / 1000).toFixed(1);
    // Wait until the app itself reports nothing scheduled, then one more delivery cycle, after which nothing further
    // may arrive.
    await waitFor(
      async () => {
        const res = await fetch(`${publicBaseUrl}/api/invitations?status=scheduled`, {
          headers: { authorization: `Bearer ${ADMIN}` },
        });
        return res.ok && ((await res.json()) as { invitations: unknown[] }).invitations.length === 0;
      },
      { timeoutMs: 300_000, intervalMs: 1000, what: 'no invitation left scheduled' },
    );
    await new Promise((r) => setTimeout(r, 16_000));
    app!.proc.kill('SIGTERM');
    await app!.exited;

    // Nothing lost: every due contact received the survey. Nothing doubled: nobody received two different
    // messages. SMTP cannot tell a sender whether a message it handed over was accepted when the sender dies
    // between the server's 250 and its own commit (the nextEmail kill aims at exactly that moment), so such a send
    // is retried with the same Message-ID, which receivers deduplicate. Each kill that lands while emails are
    // going out can strand at most the sends the process had in flight, hence the bound.
    const idsPerRecipient = new Map<string, Set<string>>();
    for (const m of smtp.received) {
      expect(m.messageId).toBeTruthy();
      for (const to of m.to)
        idsPerRecipient.set(to.toLowerCase(), (idsPerRecipient.get(to.toLowerCase()) ?? new Set()).add(m.messageId!));
    }
    expect(new Set(idsPerRecipient.keys())).toEqual(due);
    expect([...idsPerRecipient.entries()].filter(([, ids]) => ids.size > 1)).toEqual([]);
    const killsWhileSending = kills.filter((k) => k.emails > 0 && k.recipients < due.size).length;
    const resent = smtp.received.length - due.size;
    expect(resent).toBeLessThanOrEqual(SENDS_IN_FLIGHT * killsWhileSending);

    const db = await openDb({
      databaseUrl: TEST_DATABASE_URL,
      dataDir: TEST_DATABASE_URL ? undefined : env.DATA_DIR,
      schema,
    });
    try {
      // Every milestone was recorded once, with the outcome the fatigue rules give it: one survey per due
      // contact, the rest skipped for the reason worked out from the CRM before the wave.
      const r = await db.query<{ outcome: string; n: string }>(
        `SELECT COALESCE(skip_reason, status) AS outcome, count(*) AS n FROM invitations GROUP BY 1`,
      );
      const byOutcome = Object.fromEntries(r.rows.map((x) => [x.outcome, Number(x.n)]));
      const expected = Object.fromEntries(Object.entries(wave.expected).filter(([, n]) => n > 0));
      expect(byOutcome).toEqual(expected);
      const pending = await db.query(`SELECT 1 FROM webhook_events WHERE status = 'pending'`);
      expect(pending.rowCount).toBe(0);
      const minutes = ((Date.now() - began) / 60_000).toFixed(1);
      console.log(
        `nothing-lost: ${due.size} due, ${smtp.received.length} messages (${resent} resent at the handover, same ` +
          `Message-ID), ${killsWhileSending} kills while sending, all delivered ${deliveredAfterS} s after the ` +
          `last restart, ${minutes} min`,
      );
      recordProof({
        proof: 'app SIGKILLed between webhook and email',
        passWhen:
          'every due survey delivered once (a resend at the SMTP handover keeps its Message-ID), nothing left scheduled',
        pass: true,
        figures: {
          'due surveys': due.size,
          'deals closed': wave.deals.length,
          milestones: Object.values(wave.expected).reduce((a, b) => a + b, 0),
          kills: kills.length,
          'kill times (s)': kills.map((k) => (k.atMs / 1000).toFixed(1)).join(' '),
          'kills while sending': killsWhileSending,
          'messages received': smtp.received.length,
          'resent at handover': resent,
          'left scheduled': byOutcome.scheduled ?? 0,
          'all delivered after the last restart (s)': deliveredAfterS,
          seed: SEED,
          minutes,
        },
      });
    } finally {
      await db.close();
    }
  }, 900_000);
});
