import nock from 'nock';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { saveSettings } from '../../src/core/settings-service';
import { markOutbox, drainPortal } from '../../src/outbox';
import { smsFeature, smsSendOutbox } from '../../src/sms';
import { surveysFeature } from '../../src/surveys';
import { runDeliveryCycle } from '../../src/surveys/delivery';
import { createMailer } from '../../src/surveys/mailer';
import { scheduleInvitation, triggersFeature } from '../../src/triggers';
import { twilioSignature } from '../../src/sandbox';
import { TEST_PORTAL_ID, TEST_PUBLIC_URL } from '../helpers/env';
import { startTestServer, type TestServer } from '../helpers/server';
import { aContact, aWebSession } from '../factories';

// Survey texts with nock at Twilio's HTTP boundary (api.twilio.com, through the official SDK), the real app and
// database behind it. Workers are off: the test runs the delivery cycle and drains the outbox itself.

const SID = `AC${'1'.repeat(32)}`;
const TOKEN = 'twilio-auth-token-0123456789';
const FROM = '+15005550006';
const MESSAGES = `/2010-04-01/Accounts/${SID}/Messages.json`;
const DAY = 86_400_000;

describe('SMS channel', () => {
  let s: TestServer;
  let offsetMs = 0;
  let nextContact = 9100;
  const clock = { now: () => new Date(Date.now() + offsetMs) };

  beforeAll(async () => {
    s = await startTestServer(
      { RUN_WORKERS: 'false', TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: TOKEN, TWILIO_FROM: FROM },
      { features: [triggersFeature, surveysFeature, smsFeature], clock },
    );
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });
  afterAll(async () => {
    nock.enableNetConnect();
    await s?.close();
  });
  beforeEach(async () => {
    offsetMs = 0;
    await s.deps.db.query(
      `UPDATE invitations SET status = 'skipped', skip_reason = 'test_reset' WHERE status IN ('scheduled', 'sent', 'reminded')`,
    );
    await saveSettings(s.deps.db, TEST_PORTAL_ID, {
      brand: { name: 'Acme', color: '#1f5fbf' },
      sms: { defaultCountry: 'DK' },
      triggers: [
        { id: 'texted', objectType: 'deal', stageId: 'closedwon', channel: ['sms', 'email'], replyWithNumber: true },
        { id: 'text-only', objectType: 'deal', stageId: 'won2', channel: 'sms' },
      ],
    });
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
  });

  async function contact(fields: { mobilephone?: string | null; phone?: string | null; country?: string } = {}) {
    const contactId = nextContact++;
    await aContact(s.deps.db, TEST_PORTAL_ID, {
      contactId,
      email: `p${contactId}@example.com`,
      firstname: 'Ada',
      mobilephone: fields.mobilephone === undefined ? `+45 20 ${String(contactId).slice(-4)} 00` : fields.mobilephone,
      phone: fields.phone ?? null,
      country: fields.country ?? null,
    });
    return contactId;
  }

  const schedule = (
    contactId: number,
    ruleId = 'texted',
    channel: 'sms' | ['sms', 'email'] | 'web' | 'email' = ['sms', 'email'],
  ) =>
    scheduleInvitation(s.deps, {
      portalId: TEST_PORTAL_ID,
      contactId,
      trigger: 'deal',
      milestoneKey: `deal:${contactId}:${ruleId}:${Math.random()}`,
      scheduledFor: new Date(clock.now().getTime() - 1000),
      ruleId,
      channel,
    });

  const deliver = () => runDeliveryCycle({ ...s.deps, mailer: createMailer(s.deps.config, s.deps.mailTransport) });
  // Outbox items are stamped with the database's clock (microseconds) and read with ours (milliseconds): a drain in
  // the same millisecond as the mark would find nothing due yet, so the test lets that millisecond pass.
  const drain = async () => {
    await new Promise((r) => setTimeout(r, 10));
    return drainPortal(s.deps, smsSendOutbox, TEST_PORTAL_ID, { hold: 0 });
  };
  const invitation = async (id: string) =>
    (
      await s.deps.db.query<{
        status: string;
        channel: string;
        skip_reason: string | null;
        delivery_status: string | null;
        updated_at: Date;
      }>('SELECT status, channel, skip_reason, delivery_status, updated_at FROM invitations WHERE id = $1', [id])
    ).rows[0]!;

  function twilioAccepts(capture: Array<Record<string, string>>, sid = `SM${randomBytes(16).toString('hex')}`) {
    return nock('https://api.twilio.com')
      .post(MESSAGES, (body: Record<string, string>) => {
        capture.push(body);
        return true;
      })
      .basicAuth({ user: SID, pass: TOKEN })
      .reply(201, { sid, status: 'queued', to: capture.at(-1)?.To, from: FROM, body: capture.at(-1)?.Body });
  }

  async function signedPost(path: string, params: Record<string, string>, token = TOKEN) {
    return fetch(`${s.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(token, `${TEST_PUBLIC_URL}${path}`, params),
      },
      body: new URLSearchParams(params).toString(),
    });
  }

  async function sentText(sid: string) {
    const id = await contact();
    const outcome = await schedule(id);
    const sent: Array<Record<string, string>> = [];
    twilioAccepts(sent, sid);
    await deliver();
    await drain();
    return { contactId: id, invitationId: outcome.invitationId!, body: sent[0]! };
  }

  it('sends one text through the outbox, in E.164, with a short link and the status callback', async () => {
    const id = await contact({ mobilephone: '20 12 34 56' });
    const outcome = await schedule(id);
    expect(outcome).toMatchObject({ status: 'scheduled', channel: 'sms' });
    const sent: Array<Record<string, string>> = [];
    twilioAccepts(sent);
    expect((await deliver()).sent).toBe(1);
    expect((await drain()).counts).toMatchObject({ sent: 1 });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      To: '+4520123456',
      From: FROM,
      StatusCallback: `${TEST_PUBLIC_URL}/webhooks/twilio/status`,
    });
    expect(sent[0]!.Body).toMatch(
      /^Acme: How likely are you to recommend us\? Answer: https:\/\/nps\.test\/t\/[\w-]{12} Or reply 0-10\.$/,
    );
    expect(await invitation(outcome.invitationId!)).toMatchObject({
      status: 'sent',
      channel: 'sms',
      delivery_status: 'queued',
    });

    // The same item marked again (a retry, a second drain) sends nothing: the key is recorded.
    await markOutbox(s.deps.db, TEST_PORTAL_ID, 'sms-send', `${outcome.invitationId}:invitation`);
    expect((await drain()).counts).toMatchObject({ sent: 0 });

    // The short link leads to the signed survey page.
    const code = /\/t\/([\w-]{12})$/.exec(sent[0]!.Body!.split(' ').find((w) => w.includes('/t/'))!)![1]!;
    const res = await fetch(`${s.url}/t/${code}`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/^https:\/\/nps\.test\/s\/[\w-]{60}$/);
    expect((await fetch(`${s.url}/t/AAAAAAAAAAAA`, { redirect: 'manual' })).status).toBe(404);
  });

  it('says STOP in the US, in the contact’s language elsewhere', async () => {
    const us = await contact({ mobilephone: '(415) 555-2671', country: 'US' });
    await schedule(us);
    const sent: Array<Record<string, string>> = [];
    twilioAccepts(sent);
    await deliver();
    await drain();
    expect(sent[0]).toMatchObject({ To: '+14155552671' });
    expect(sent[0]!.Body).toMatch(/Reply STOP to opt out\.$/);
  });

  it('retries on 500 and 429 and sends exactly once', async () => {
    const id = await contact();
    await schedule(id);
    await deliver();
    nock('https://api.twilio.com')
      .post(MESSAGES)
      .reply(500, { code: 20500, message: 'Internal Server Error', status: 500 });
    expect(await drain()).toMatchObject({ failed: 1, counts: { sent: 0 } });
    offsetMs += 15 * 60_000;
    nock('https://api.twilio.com')
      .post(MESSAGES)
      .reply(429, { code: 20429, message: 'Too Many Requests', status: 429 });
    expect(await drain()).toMatchObject({ failed: 1, counts: { sent: 0 } });
    offsetMs += 30 * 60_000;
    const sent: Array<Record<string, string>> = [];
    twilioAccepts(sent);
    expect(await drain()).toMatchObject({ failed: 0, counts: { sent: 1 } });
    offsetMs += 60 * 60_000;
    expect(await drain()).toMatchObject({ done: 0, batches: 0 });
    expect(sent).toHaveLength(1);
  });

  it('gives up a text Twilio refuses for good, and marks a 21610 number opted out', async () => {
    const id = await contact();
    const outcome = await schedule(id);
    await deliver();
    nock('https://api.twilio.com')
      .post(MESSAGES)
      .reply(400, { code: 21610, message: 'Attempt to send to unsubscribed recipient', status: 400 });
    expect(await drain()).toMatchObject({ done: 1, failed: 0 });
    expect(await invitation(outcome.invitationId!)).toMatchObject({ delivery_status: 'sms_opted_out' });
    const again = await scheduleInvitation(s.deps, {
      portalId: TEST_PORTAL_ID,
      contactId: id,
      trigger: 'manual',
      milestoneKey: `manual:${id}:again`,
      scheduledFor: clock.now(),
      channel: 'sms',
      force: true,
    });
    expect(again).toMatchObject({ status: 'skipped', channel: 'sms', skipReason: 'sms_opted_out' });
  });

  it('skips with the channel and the reason, or falls back to email', async () => {
    const none = await contact({ mobilephone: null });
    expect(await schedule(none, 'text-only', 'sms')).toMatchObject({
      status: 'skipped',
      channel: 'sms',
      skipReason: 'no_phone',
    });
    const bad = await contact({ mobilephone: 'ring the office' });
    expect(await schedule(bad, 'text-only', 'sms')).toMatchObject({
      status: 'skipped',
      channel: 'sms',
      skipReason: 'invalid_phone',
    });
    const fallback = await contact({ mobilephone: null });
    const outcome = await schedule(fallback);
    expect(outcome).toMatchObject({ status: 'scheduled', channel: 'email' });
    expect(await invitation(outcome.invitationId!)).toMatchObject({ channel: 'email' });
    // One quiet period across channels: an email survey is skipped while a text one is pending.
    const texted = await contact();
    expect(await schedule(texted, 'text-only', 'sms')).toMatchObject({ status: 'scheduled', channel: 'sms' });
    expect(await schedule(texted, 'texted', 'email')).toMatchObject({
      status: 'skipped',
      skipReason: 'quiet_period',
    });
  });

  it('moves the status on a signed callback once, and refuses unsigned, forged or unknown callbacks', async () => {
    const sid = `SM${'b'.repeat(32)}`;
    const { invitationId, contactId } = await sentText(sid);
    const path = '/webhooks/twilio/status';
    const params = { MessageSid: sid, MessageStatus: 'delivered', AccountSid: SID, To: '+4520000000' };

    const unsigned = await fetch(`${s.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
    });
    expect(unsigned.status).toBe(403);
    expect((await signedPost(path, params, 'not-the-auth-token-000')).status).toBe(403);
    expect((await signedPost(path, { ...params, MessageSid: `SM${'c'.repeat(32)}` })).status).toBe(404);
    expect(await invitation(invitationId)).toMatchObject({ delivery_status: 'queued' });

    expect((await signedPost(path, params)).status).toBe(204);
    const first = await invitation(invitationId);
    expect(first.delivery_status).toBe('delivered');
    // Twice delivered, then a late "sent": the status moved once and stays.
    expect((await signedPost(path, params)).status).toBe(204);
    expect((await signedPost(path, { ...params, MessageStatus: 'sent' })).status).toBe(204);
    const after = await invitation(invitationId);
    expect(after.delivery_status).toBe('delivered');
    expect(new Date(after.updated_at).getTime()).toBe(new Date(first.updated_at).getTime());
    const listed = await fetch(`${s.url}/api/invitations?contactId=${contactId}`, {
      headers: { authorization: 'Bearer test-admin-token-0123456789' },
    });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { invitations: unknown[] }).invitations).toMatchObject([
      { id: invitationId, channel: 'sms', status: 'sent', deliveryStatus: 'delivered' },
    ]);
  });

  it('records STOP from the number and skips later texts; START lets them go again', async () => {
    const sid = `SM${'d'.repeat(32)}`;
    const { contactId, body } = await sentText(sid);
    const inbound = (text: string) =>
      signedPost('/webhooks/twilio/inbound', {
        From: body.To!,
        To: FROM,
        Body: text,
        MessageSid: `SM${'e'.repeat(32)}`,
      });
    const stop = await inbound('Stop');
    expect(stop.status).toBe(200);
    expect(stop.headers.get('content-type')).toMatch(/text\/xml/);
    offsetMs += 200 * DAY; // past the quiet period
    const skipped = await schedule(contactId, 'text-only', 'sms');
    expect(skipped).toMatchObject({ status: 'skipped', channel: 'sms', skipReason: 'sms_opted_out' });
    expect(await schedule(contactId)).toMatchObject({ status: 'scheduled', channel: 'email' });

    expect((await inbound('START')).status).toBe(200);
    offsetMs += 200 * DAY;
    expect(await schedule(contactId, 'text-only', 'sms')).toMatchObject({ status: 'scheduled', channel: 'sms' });
  });

  it('takes a reply that is just a number as the answer where the rule allows it', async () => {
    const { invitationId, body } = await sentText(`SM${'f'.repeat(32)}`);
    const reply = await signedPost('/webhooks/twilio/inbound', {
      From: body.To!,
      To: FROM,
      Body: ' 9 ',
      MessageSid: `SM${'0'.repeat(32)}`,
    });
    expect(reply.status).toBe(200);
    expect(await reply.text()).toContain('<Message>Thank you for your answer!</Message>');
    expect(await invitation(invitationId)).toMatchObject({ status: 'answered' });
    const answer = await s.deps.db.query<{ score: number; channel: string }>(
      'SELECT score, channel FROM responses WHERE invitation_id = $1',
      [invitationId],
    );
    expect(answer.rows).toEqual([{ score: 9, channel: 'sms' }]);
  });

  it('ignores a number reply when the rule does not take it, and unsigned replies', async () => {
    const id = await contact();
    const outcome = await schedule(id, 'text-only', 'sms');
    const sent: Array<Record<string, string>> = [];
    twilioAccepts(sent, `SM${'9'.repeat(32)}`);
    await deliver();
    await drain();
    const reply = await signedPost('/webhooks/twilio/inbound', { From: sent[0]!.To!, To: FROM, Body: '3' });
    expect(reply.status).toBe(200);
    expect(await reply.text()).not.toContain('<Message>');
    const forged = await signedPost(
      '/webhooks/twilio/inbound',
      { From: sent[0]!.To!, To: FROM, Body: 'STOP' },
      'wrong-token-0000000000',
    );
    expect(forged.status).toBe(403);
    expect(await invitation(outcome.invitationId!)).toMatchObject({ status: 'sent' });
    const optedOut = await s.deps.db.query('SELECT 1 FROM sms_opt_outs WHERE phone = $1', [sent[0]!.To]);
    expect(optedOut.rows).toHaveLength(0);
  });

  it('reminds by text after the portal’s reminder delay, once', async () => {
    const { invitationId } = await sentText(`SM${'7'.repeat(32)}`);
    offsetMs += 3 * DAY + 60_000;
    await deliver();
    const sent: Array<Record<string, string>> = [];
    twilioAccepts(sent, `SM${'8'.repeat(32)}`);
    await drain();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.Body).toMatch(
      /^Acme: Reminder - would you recommend us\? https:\/\/nps\.test\/t\/[\w-]{12} Or reply 0-10\.$/,
    );
    expect(await invitation(invitationId)).toMatchObject({ status: 'reminded' });
    await deliver();
    expect((await drain()).counts).toMatchObject({});
  });

  it('opens a web invitation without sending anything', async () => {
    const id = await contact();
    await aWebSession(s.deps.db, TEST_PORTAL_ID, id, clock.now());
    const outcome = await schedule(id, 'texted', 'web');
    expect(outcome).toMatchObject({ status: 'scheduled', channel: 'web' });
    expect((await deliver()).sent).toBe(1);
    expect(await invitation(outcome.invitationId!)).toMatchObject({ status: 'sent', channel: 'web' });
    expect(await drain()).toMatchObject({ batches: 0 });
  });
});
