import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../helpers/db';
import { TEST_DATABASE_URL, TEST_PORTAL_ID, testConfig } from '../helpers/env';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp';
import { openDb, type Db } from '../../src/storage/db';
import { ensureStaticPortal } from '../../src/core/portals.repo';
import { saveSettings } from '../../src/core/settings-service';
import { DAY_MS, fixedClock } from '../../src/shared/clock';
import { silentLogger } from '../../src/shared/logger';
import { recordResponse } from '../../src/responses/record';
import { runDeliveryCycle, type DeliveryDeps } from '../../src/surveys/delivery';
import { claimDueInvitations, confirmClaim } from '../../src/surveys/delivery.repo';
import { createMailer } from '../../src/surveys/mailer';
import { openSurveyLinkFor, verifySurveyToken } from '../../src/core/survey-links';
import { aContact, anInvitation, anOptOut, aPortal } from '../factories';

// Survey delivery against a real SMTP server on loopback: what it receives is counted and parsed; recipients named
// reject@… get a 550, tempfail@… a 451.

const T0 = new Date('2026-03-02T09:00:00Z');
let smtp: TestSmtpServer;
let testDb: TestDb;
let db: Db;
let clock: ReturnType<typeof fixedClock>;
let deps: DeliveryDeps;
let nextContact = 1;

beforeAll(async () => {
  smtp = await startSmtpServer();
  testDb = await openTestDb();
  db = testDb.db;
  await ensureStaticPortal(db, TEST_PORTAL_ID);
  const config = testConfig({ SMTP_URL: smtp.url, MAIL_FROM: 'Surveys <nps@acme.example>' });
  clock = fixedClock(T0);
  deps = { db, clock, config, logger: silentLogger, mailer: createMailer(config) };
});

afterAll(async () => {
  await testDb?.cleanup();
  await smtp?.close();
});

beforeEach(async () => {
  clock.set(T0);
  smtp.received.length = 0;
  // Each test starts with nothing due: earlier tests' leftovers are closed.
  await db.query(
    `UPDATE invitations SET status = 'skipped', skip_reason = 'test_reset' WHERE status IN ('scheduled', 'sent', 'reminded')`,
  );
  await saveSettings(db, TEST_PORTAL_ID, { brand: { name: 'Acme', color: '#1f5fbf' } });
});

async function contact(
  fields: { email?: string | null; language?: string; optedOut?: boolean; bounced?: boolean; deleted?: boolean } = {},
): Promise<number> {
  const id = nextContact++;
  await aContact(db, TEST_PORTAL_ID, {
    contactId: id,
    email: fields.email === undefined ? `person${id}@example.com` : fields.email,
    firstname: `Person${id}`,
    language: fields.language ?? null,
    optedOut: fields.optedOut ?? false,
    bounced: fields.bounced ?? false,
    deletedAt: fields.deleted ? T0 : undefined,
  });
  return id;
}

async function schedule(
  contactId: number,
  opts: { at?: Date; channel?: 'email' | 'hubspot'; callback?: string } = {},
): Promise<string> {
  const r = await anInvitation(db, {
    portalId: TEST_PORTAL_ID,
    contactId,
    trigger: 'deal',
    milestoneKey: `deal:${contactId}:${Math.random()}`,
    channel: opts.channel ?? 'email',
    status: 'scheduled',
    scheduledFor: opts.at ?? T0,
    workflowCallbackId: opts.callback ?? null,
  });
  return r.id;
}

async function invitation(id: string) {
  const r = await db.query<{
    status: string;
    skip_reason: string | null;
    sent_at: Date | null;
    reminded_at: Date | null;
    expires_at: Date | null;
    reminder_skip_reason: string | null;
  }>(
    'SELECT status, skip_reason, sent_at, reminded_at, expires_at, reminder_skip_reason FROM invitations WHERE id = $1',
    [id],
  );
  return r.rows[0]!;
}

async function outboxKeys(kind: string): Promise<string[]> {
  const r = await db.query<{ item_key: string }>('SELECT item_key FROM outbox WHERE kind = $1 ORDER BY item_key', [
    kind,
  ]);
  return r.rows.map((x) => x.item_key);
}

describe('sending due invitations', () => {
  it('mails a due invitation once, in the Danish of a da-dk contact, with HTML and text parts, and marks it sent', async () => {
    const contactId = await contact({ language: 'da-dk', email: 'soren@example.com' });
    const id = await schedule(contactId);
    const result = await runDeliveryCycle(deps);
    expect(result.sent).toBe(1);
    expect(smtp.received).toHaveLength(1);
    const { to, mail } = smtp.received[0]!;
    expect(to).toEqual(['soren@example.com']);
    expect(mail.headers.subject).toBe('Hvor sandsynligt er det, at du vil anbefale Acme?');
    expect(mail.headers.from).toBe('Acme <nps@acme.example>');
    expect(mail.headers['message-id']).toBe(`<${id}.1@acme.example>`);
    expect(mail.headers['list-unsubscribe']).toMatch(/^<https:\/\/nps\.test\/s\/[\w-]{60}\/unsubscribe>$/);
    expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(mail.text).toContain('Klik på et tal fra 0 til 10:');
    expect(mail.html).toContain('lang="da"');
    const links = [...mail.html!.matchAll(/href="(https:\/\/nps\.test\/s\/[^"?]+)\?score=(\d+)"/g)];
    expect(links.map((m) => Number(m[2]))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const token = links[0]![1]!.split('/s/')[1]!;
    const check = verifySurveyToken(deps.config.surveySigningKey, token, T0);
    expect(check).toMatchObject({ ok: true, payload: { portalId: TEST_PORTAL_ID, invitationId: id } });

    const row = await invitation(id);
    expect(row.status).toBe('sent');
    expect(row.sent_at).toEqual(T0);
    expect(row.expires_at).toEqual(new Date(T0.getTime() + 30 * DAY_MS));
    expect(await outboxKeys('contact-properties')).toContain(String(contactId));

    expect((await runDeliveryCycle(deps)).sent).toBe(0);
    expect(smtp.received).toHaveLength(1);
  });

  it('leaves an invitation scheduled for later alone until its time comes', async () => {
    const id = await schedule(await contact(), { at: new Date(T0.getTime() + DAY_MS) });
    await runDeliveryCycle(deps);
    expect(smtp.received).toHaveLength(0);
    expect((await invitation(id)).status).toBe('scheduled');
    clock.advance(DAY_MS);
    await runDeliveryCycle(deps);
    expect(smtp.received).toHaveLength(1);
  });

  it.each([
    ['opted out after the survey was scheduled', { optedOut: true }, 'opted_out'],
    ['has no email address any more', { email: null }, 'no_email'],
    ['bounced', { bounced: true }, 'bounced'],
    ['was deleted in HubSpot', { deleted: true }, 'contact_deleted'],
  ])('skips a contact who %s, records why, and mails nothing', async (_what, fields, reason) => {
    const id = await schedule(await contact(fields));
    const result = await runDeliveryCycle(deps);
    expect(result).toMatchObject({ sent: 0, skipped: 1 });
    expect(smtp.received).toHaveLength(0);
    expect(await invitation(id)).toMatchObject({ status: 'skipped', skip_reason: reason, sent_at: null });
  });

  it('honours an unsubscribe given through a survey link even after a sync reset the mirrored opt-out flag', async () => {
    const contactId = await contact();
    await anOptOut(db, TEST_PORTAL_ID, contactId, { optedOutAt: T0 });
    const id = await schedule(contactId);
    await runDeliveryCycle(deps);
    expect(smtp.received).toHaveLength(0);
    expect(await invitation(id)).toMatchObject({ status: 'skipped', skip_reason: 'opted_out' });
  });

  it('sends nothing for a portal that uninstalled the app', async () => {
    await aPortal(db, { portalId: 2002, authMode: 'oauth', status: 'uninstalled' });
    await aContact(db, 2002, { contactId: 1, email: 'gone@example.com' });
    const gone = await anInvitation(db, {
      portalId: 2002,
      contactId: 1,
      trigger: 'deal',
      milestoneKey: 'gone',
      status: 'scheduled',
      scheduledFor: T0,
    });
    await runDeliveryCycle(deps);
    expect(smtp.received).toHaveLength(0);
    expect(await invitation(gone.id)).toMatchObject({ status: 'skipped', skip_reason: 'portal_uninstalled' });
  });

  it('tells a waiting workflow when its survey is skipped', async () => {
    const id = await schedule(await contact({ optedOut: true }), { callback: 'cb-skip-1' });
    await runDeliveryCycle(deps);
    expect(await outboxKeys('workflow-callback')).toContain(id);
  });

  it('does not mail a HubSpot-channel survey: it is marked sent and its link is handed to the write-back', async () => {
    const contactId = await contact();
    const id = await schedule(contactId, { channel: 'hubspot' });
    expect(await openSurveyLinkFor(db, deps.config, TEST_PORTAL_ID, contactId)).toBeNull();
    expect((await runDeliveryCycle(deps)).sent).toBe(1);
    expect(smtp.received).toHaveLength(0);
    expect(await invitation(id)).toMatchObject({
      status: 'sent',
      sent_at: T0,
      expires_at: new Date(T0.getTime() + 30 * DAY_MS),
    });
    expect(await outboxKeys('contact-properties')).toContain(String(contactId));
    const link = await openSurveyLinkFor(db, deps.config, TEST_PORTAL_ID, contactId);
    expect(link).toMatch(/^https:\/\/nps\.test\/s\/[\w-]{60}$/);
    expect(verifySurveyToken(deps.config.surveySigningKey, link!.split('/s/')[1]!, T0)).toMatchObject({
      ok: true,
      payload: { invitationId: id },
    });
    expect(
      await openSurveyLinkFor(db, deps.config, TEST_PORTAL_ID, contactId, new Date(T0.getTime() + 31 * DAY_MS)),
    ).toBeNull();
  });

  it('gives up at once on an address the server refuses for good (550)', async () => {
    const id = await schedule(await contact({ email: 'reject@example.com' }));
    const result = await runDeliveryCycle(deps);
    expect(result.skipped).toBe(1);
    expect(await invitation(id)).toMatchObject({ status: 'skipped', skip_reason: 'email_rejected' });
  });

  it('remembers a refused address: the next survey to it is skipped as bounced, a new address is mailed again', async () => {
    const contactId = await contact({ email: 'reject@example.com' });
    await schedule(contactId);
    await runDeliveryCycle(deps);
    const again = await schedule(contactId);
    await runDeliveryCycle(deps);
    expect(await invitation(again)).toMatchObject({ status: 'skipped', skip_reason: 'bounced' });
    await db.query('UPDATE contacts SET email = $3 WHERE portal_id = $1 AND contact_id = $2', [
      TEST_PORTAL_ID,
      contactId,
      `new${contactId}@example.com`,
    ]);
    const fresh = await schedule(contactId);
    await runDeliveryCycle(deps);
    expect(await invitation(fresh)).toMatchObject({ status: 'sent' });
    expect(smtp.received.map((m) => m.to)).toEqual([[`new${contactId}@example.com`]]);
  });

  it('retries a temporary failure (451) once the claim times out, and gives up after five attempts', async () => {
    const id = await schedule(await contact({ email: 'tempfail@example.com' }));
    expect((await runDeliveryCycle(deps)).failed).toBe(1);
    expect((await runDeliveryCycle(deps)).failed).toBe(0); // still claimed: not hammered every tick
    for (let attempt = 2; attempt <= 5; attempt++) {
      clock.advance(6 * 60_000);
      await runDeliveryCycle(deps);
    }
    expect(await invitation(id)).toMatchObject({ status: 'skipped', skip_reason: 'send_failed' });
  });
});

describe('exactly once', () => {
  it('mails each invitation once when two dispatchers race over the same rows', async () => {
    const ids = await Promise.all(Array.from({ length: 40 }, async () => schedule(await contact())));
    // On Postgres the second dispatcher has its own connection pool, like a second app copy.
    const other: Db = TEST_DATABASE_URL
      ? await openDb({ databaseUrl: TEST_DATABASE_URL, schema: testDb.schema, poolSize: 5 })
      : db;
    try {
      const [a, b] = await Promise.all([
        runDeliveryCycle(deps),
        runDeliveryCycle({ ...deps, db: other, mailer: createMailer(deps.config) }),
      ]);
      expect(a.sent + b.sent).toBe(40);
    } finally {
      if (other !== db) await other.close();
    }
    const messageIds = smtp.received.map((r) => r.mail.headers['message-id']);
    expect(messageIds).toHaveLength(40);
    expect(new Set(messageIds).size).toBe(40);
    for (const id of ids) expect((await invitation(id)).status).toBe('sent');
  });

  it('lets only the newest holder of a claim send, when a slow sender’s claim was taken over', async () => {
    await schedule(await contact());
    const [slow] = await claimDueInvitations(db, clock.now(), 10);
    clock.advance(6 * 60_000);
    const [takeover] = await claimDueInvitations(db, clock.now(), 10);
    expect(takeover!.id).toBe(slow!.id);
    expect(await confirmClaim(db, 'invitation', slow!, clock.now())).toBe(false);
    expect(await confirmClaim(db, 'invitation', takeover!, clock.now())).toBe(true);
  });

  it('sends an invitation claimed by a sender that died, once the claim has timed out', async () => {
    const id = await schedule(await contact());
    expect((await claimDueInvitations(db, clock.now(), 10)).map((r) => r.id)).toEqual([id]);
    clock.advance(60_000);
    await runDeliveryCycle(deps);
    expect(smtp.received).toHaveLength(0);
    clock.advance(5 * 60_000);
    await runDeliveryCycle(deps);
    await runDeliveryCycle(deps);
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.mail.headers['message-id']).toBe(`<${id}.1@acme.example>`);
  });
});

describe('reminders and expiry', () => {
  async function sentInvitation(fields: Parameters<typeof contact>[0] = {}) {
    const contactId = await contact(fields);
    const id = await schedule(contactId);
    await runDeliveryCycle(deps);
    smtp.received.length = 0;
    return { id, contactId };
  }

  it('sends one reminder after three days, with the same link, and never a second', async () => {
    const { id } = await sentInvitation();
    clock.advance(2 * DAY_MS);
    expect((await runDeliveryCycle(deps)).reminded).toBe(0);
    clock.advance(DAY_MS);
    expect((await runDeliveryCycle(deps)).reminded).toBe(1);
    expect(smtp.received).toHaveLength(1);
    const { mail } = smtp.received[0]!;
    expect(mail.headers.subject).toBe('Reminder: how likely are you to recommend Acme?');
    expect(mail.headers['message-id']).toBe(`<${id}.2@acme.example>`);
    expect(await invitation(id)).toMatchObject({ status: 'reminded', reminded_at: clock.now() });
    clock.advance(DAY_MS);
    await runDeliveryCycle(deps);
    expect(smtp.received).toHaveLength(1);
  });

  it('does not remind someone who answered meanwhile', async () => {
    const { id, contactId } = await sentInvitation();
    clock.advance(DAY_MS);
    await recordResponse(deps, { portalId: TEST_PORTAL_ID, contactId, score: 9, channel: 'email', invitationId: id });
    clock.advance(3 * DAY_MS);
    await runDeliveryCycle(deps);
    expect(smtp.received).toHaveLength(0);
    expect((await invitation(id)).status).toBe('answered');
  });

  it('does not remind someone who opted out meanwhile, and records why', async () => {
    const { id, contactId } = await sentInvitation();
    await db.query('UPDATE contacts SET opted_out = true WHERE portal_id = $1 AND contact_id = $2', [
      TEST_PORTAL_ID,
      contactId,
    ]);
    clock.advance(3 * DAY_MS);
    await runDeliveryCycle(deps);
    expect(smtp.received).toHaveLength(0);
    expect(await invitation(id)).toMatchObject({ status: 'sent', reminder_skip_reason: 'opted_out' });
  });

  it('sends no reminders when the portal turned them off', async () => {
    await saveSettings(db, TEST_PORTAL_ID, { brand: { name: 'Acme', color: '#1f5fbf' }, remindersEnabled: false });
    const { id } = await sentInvitation();
    clock.advance(4 * DAY_MS);
    await runDeliveryCycle(deps);
    expect(smtp.received).toHaveLength(0);
    expect((await invitation(id)).status).toBe('sent');
  });

  it('expires an unanswered link after 30 days and queues the contact status and the workflow callback', async () => {
    const contactId = await contact();
    const id = await schedule(contactId, { callback: 'cb-expire-1' });
    await runDeliveryCycle(deps);
    await db.query('DELETE FROM outbox');
    clock.advance(30 * DAY_MS - 1000);
    expect((await runDeliveryCycle(deps)).expired).toBe(0);
    clock.advance(1000);
    expect((await runDeliveryCycle(deps)).expired).toBe(1);
    expect((await invitation(id)).status).toBe('expired');
    expect(await outboxKeys('contact-properties')).toEqual([String(contactId)]);
    expect(await outboxKeys('workflow-callback')).toEqual([id]);
  });

  it('keeps an answered invitation answered when its link expires', async () => {
    const { id, contactId } = await sentInvitation();
    await recordResponse(deps, { portalId: TEST_PORTAL_ID, contactId, score: 3, channel: 'email', invitationId: id });
    clock.advance(31 * DAY_MS);
    expect((await runDeliveryCycle(deps)).expired).toBe(0);
    expect((await invitation(id)).status).toBe('answered');
  });
});
