import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/cli/demo/environment';
import { saveSettings } from '../../src/core/settings-service';
import { drainPortal } from '../../src/outbox';
import { startTwilioStandIn, type TwilioStandIn } from '../../src/sandbox';
import { smsFeature, smsSendOutbox } from '../../src/sms';
import { surveysFeature } from '../../src/surveys';
import { runDeliveryCycle } from '../../src/surveys/delivery';
import { createMailer } from '../../src/surveys/mailer';
import { scheduleInvitation } from '../../src/triggers';
import { TEST_PORTAL_ID } from '../helpers/env';
import { startTestServer, type TestServer } from '../helpers/server';
import { aContact } from '../factories';

// Survey texts end to end against the local Twilio stand-in (src/sandbox/twilio): the app's own Twilio SDK talks
// to it through TWILIO_API_BASE_URL, and the stand-in calls the app back with signed status callbacks and replies.

const SID = `AC${'2'.repeat(32)}`;
const TOKEN = 'stand-in-auth-token-0123456789';
const FROM = '+15005550006';

describe('SMS against the Twilio stand-in', () => {
  let twilio: TwilioStandIn;
  let s: TestServer;
  let offsetMs = 0;
  let nextContact = 5100;
  const clock = { now: () => new Date(Date.now() + offsetMs) };

  beforeAll(async () => {
    twilio = await startTwilioStandIn({ accountSid: SID, authToken: TOKEN, seed: 7 });
    const port = await freePort(0);
    s = await startTestServer(
      {
        PORT: String(port),
        PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
        RUN_WORKERS: 'false',
        TWILIO_ACCOUNT_SID: SID,
        TWILIO_AUTH_TOKEN: TOKEN,
        TWILIO_FROM: FROM,
        TWILIO_API_BASE_URL: twilio.url,
      },
      { features: [surveysFeature, smsFeature], clock },
    );
    await saveSettings(s.deps.db, TEST_PORTAL_ID, {
      brand: { name: 'Acme', color: '#1f5fbf' },
      sms: { defaultCountry: 'SE' },
      triggers: [{ id: 'texted', objectType: 'deal', stageId: 'closedwon', channel: 'sms', replyWithNumber: true }],
    });
  });
  afterAll(async () => {
    await s?.close();
    await twilio?.close();
  });

  async function scheduleTexts(count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const contactId = nextContact++;
      await aContact(s.deps.db, TEST_PORTAL_ID, {
        contactId,
        email: `p${contactId}@example.com`,
        language: 'sv',
        mobilephone: `070-${String(contactId % 1000).padStart(3, '0')} 12 34`,
      });
      const outcome = await scheduleInvitation(s.deps, {
        portalId: TEST_PORTAL_ID,
        contactId,
        trigger: 'deal',
        milestoneKey: `deal:${contactId}:closedwon`,
        scheduledFor: clock.now(),
        ruleId: 'texted',
        channel: 'sms',
      });
      expect(outcome).toMatchObject({ status: 'scheduled', channel: 'sms' });
      ids.push(outcome.invitationId!);
    }
    await runDeliveryCycle({ ...s.deps, mailer: createMailer(s.deps.config, s.deps.mailTransport) });
    return ids;
  }

  /** Drains until nothing of the SMS kind is left, moving the clock past each backoff. */
  async function drainAll(): Promise<void> {
    for (let round = 0; round < 200; round++) {
      await drainPortal(s.deps, smsSendOutbox, TEST_PORTAL_ID, { hold: 0 });
      const left = await s.deps.db.query(`SELECT 1 FROM outbox WHERE kind = 'sms-send'`);
      if (left.rows.length === 0) return;
      offsetMs += 11 * 60_000;
    }
    throw new Error('the SMS outbox did not drain');
  }

  it('texts in Swedish, follows the short link, takes callbacks and a number reply', async () => {
    const [invitationId] = await scheduleTexts(1);
    await drainAll();
    expect(twilio.messages).toHaveLength(1);
    const message = twilio.messages[0]!;
    expect(message.to).toMatch(/^\+4670\d{7}$/);
    expect(message.body).toMatch(
      /^Acme: Hur troligt är att du rekommenderar oss\? http:\/\/127\.0\.0\.1:\d+\/t\/[\w-]{12} Eller svara 0-10\.$/,
    );

    const link = message.body.split(' ').find((w) => w.includes('/t/'))!;
    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.url).toMatch(/\/s\/[\w-]{60}$/);

    expect(await twilio.sendStatus(message.sid, 'sent')).toBe(204);
    expect(await twilio.sendStatus(message.sid, 'delivered')).toBe(204);
    expect(await twilio.sendStatus(message.sid, 'delivered')).toBe(204);
    expect(await twilio.sendStatus(message.sid, 'failed', { signWith: 'forged-token-000000000' })).toBe(403);
    const row = await s.deps.db.query<{ delivery_status: string }>(
      'SELECT delivery_status FROM invitations WHERE id = $1',
      [invitationId],
    );
    expect(row.rows[0]!.delivery_status).toBe('delivered');

    const reply = await twilio.sendReply(`${s.config.publicBaseUrl}/webhooks/twilio/inbound`, message.to, '10');
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('<Message>Tack för ditt svar!</Message>');
    const answer = await s.deps.db.query<{ score: number; channel: string }>(
      'SELECT score, channel FROM responses WHERE invitation_id = $1',
      [invitationId],
    );
    expect(answer.rows).toEqual([{ score: 10, channel: 'sms' }]);

    expect(
      (await twilio.sendReply(`${s.config.publicBaseUrl}/webhooks/twilio/inbound`, message.to, 'STOP')).status,
    ).toBe(200);
    const out = await s.deps.db.query('SELECT 1 FROM sms_opt_outs WHERE phone = $1', [message.to]);
    expect(out.rows).toHaveLength(1);
  });

  it('sends exactly one text per invitation while Twilio fails 30% of requests', async () => {
    twilio.messages.length = 0;
    twilio.setFailRate(0.3);
    const failuresBefore = twilio.failures;
    const ids = await scheduleTexts(20);
    await drainAll();
    twilio.setFailRate(0);
    expect(twilio.failures - failuresBefore).toBeGreaterThan(0);
    expect(twilio.messages).toHaveLength(20);
    expect(new Set(twilio.messages.map((m) => m.to)).size).toBe(20);
    const recorded = await s.deps.db.query<{ invitation_id: string; n: string }>(
      `SELECT invitation_id, count(*) AS n FROM sms_messages WHERE invitation_id = ANY($1::uuid[]) GROUP BY invitation_id`,
      [ids],
    );
    expect(recorded.rows).toHaveLength(20);
    expect(recorded.rows.every((r) => Number(r.n) === 1)).toBe(true);
  });
});
