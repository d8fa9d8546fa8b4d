import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDeliveryCycle } from '../../src/surveys/delivery';
import { createMailer } from '../../src/surveys/mailer';
import { startTestServer } from '../helpers/server';
import { startSmtpServer } from '../helpers/smtp';
import { TEST_PORTAL_ID, TEST_PUBLIC_URL } from '../helpers/env';
import { sized } from '../helpers/proof-size';
import { recordProof } from '../helpers/proof-report';
import { waitFor } from '../helpers/wait';
import { someContacts, anInvitation } from '../factories';

// Corporate mail filters and link checkers open every link of an incoming message before anyone reads it. Here N
// surveys leave the app over a real SMTP server; a scanner then fetches every one of the 11 score links of every
// mail (GET following redirects, and a HEAD), and the unsubscribe link too. Opening a link must never answer the
// survey or unsubscribe anyone: answers and opt-outs take a POST.

const MAILS = sized({ quick: 30, full: 500 });
/** Requests the scanner has in flight at once. */
const IN_FLIGHT = 8;

describe('proof: an email scanner opens every link', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it(`a scanner opening all 11 score links of ${MAILS} survey mails records no answer`, async () => {
    const smtp = await startSmtpServer();
    cleanups.push(() => smtp.close());
    const dir = mkdtempSync(join(tmpdir(), 'nps-proof-scanner-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const server = await startTestServer({ SMTP_URL: smtp.url, RUN_WORKERS: 'false', DATA_DIR: dir });
    cleanups.push(() => server.close());
    const db = server.deps.db;
    const count = async (sql: string) => Number((await db.query<{ n: string }>(sql)).rows[0]!.n);

    // N contacts, each due one survey, mailed by the app's own delivery cycle.
    const contacts = await someContacts(
      db,
      TEST_PORTAL_ID,
      Array.from({ length: MAILS }, (_, i) => ({ contactId: 9_100_000 + i, email: `scan${i}@example.com` })),
    );
    for (const c of contacts)
      await anInvitation(db, { portalId: TEST_PORTAL_ID, contactId: c.contactId, milestoneKey: `scan:${c.contactId}` });
    const mailer = createMailer(server.config);
    await waitFor(
      async () => {
        await runDeliveryCycle({ ...server.deps, mailer });
        return (await count(`SELECT count(*) AS n FROM invitations WHERE status = 'scheduled'`)) === 0;
      },
      { timeoutMs: sized({ quick: 20_000, full: 300_000 }), intervalMs: 0, what: 'every survey sent' },
    );
    expect(smtp.received).toHaveLength(MAILS);

    // Every link the scanner finds, pointed at the test server instead of PUBLIC_BASE_URL.
    const local = (href: string) => href.replace(/&amp;/g, '&').replace(TEST_PUBLIC_URL, server.url);
    const scoreLinks: string[] = [];
    const unsubscribeLinks: string[] = [];
    for (const m of smtp.received) {
      const hrefs = [...(m.mail.html ?? '').matchAll(/href="([^"]+)"/g)].map((x) => x[1]!);
      const scores = hrefs.filter((h) => /\/s\/[\w-]+\?score=\d+$/.test(h));
      expect(scores.map((h) => Number(/score=(\d+)$/.exec(h)![1])).sort((a, b) => a - b)).toEqual([
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
      ]);
      scoreLinks.push(...scores.map(local));
      unsubscribeLinks.push(...hrefs.filter((h) => /\/s\/[\w-]+\/unsubscribe$/.test(h)).map(local));
    }
    expect(unsubscribeLinks).toHaveLength(MAILS);

    // The scanner: GET (following redirects) and HEAD on each link.
    const requests = [...scoreLinks, ...unsubscribeLinks].flatMap((url) => [
      { url, method: 'GET' },
      { url, method: 'HEAD' },
    ]);
    const statuses = new Map<string, number>();
    const note = (key: string) => statuses.set(key, (statuses.get(key) ?? 0) + 1);
    let next = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < requests.length) {
          const { url, method } = requests[next++]!;
          const res = await fetch(url, { method, redirect: 'follow', headers: { 'user-agent': 'LinkScanner/1.0' } });
          await res.arrayBuffer();
          note(`${method} ${res.status}`);
        }
      }),
    );
    const opened = scoreLinks.length + unsubscribeLinks.length;

    const answers = await count(`SELECT count(*) AS n FROM responses`);
    const optOuts = await count(`SELECT count(*) AS n FROM survey_opt_outs`);
    const answered = await count(`SELECT count(*) AS n FROM invitations WHERE status <> 'sent'`);
    expect(Object.fromEntries(statuses)).toEqual({ 'GET 200': opened, 'HEAD 200': opened });
    expect(answers).toBe(0);
    expect(answered).toBe(0);
    expect(optOuts).toBe(0);

    recordProof({
      proof: 'an email scanner opens all 11 score links',
      passWhen: '0 answers recorded (answers need a POST), 0 opt-outs, every survey page answered 200',
      pass: true,
      figures: {
        mails: MAILS,
        'links opened': opened,
        'score links': scoreLinks.length,
        requests: requests.length,
        'answers recorded': answers,
        'opt-outs recorded': optOuts,
      },
    });
  }, 900_000);
});
