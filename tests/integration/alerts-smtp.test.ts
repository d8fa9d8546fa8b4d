import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAIT_FOR_TASK_MS } from '../../src/alerts/alert-outbox';
import { alertAnswerOutbox, alertsFeature, alertSendOutbox } from '../../src/alerts';
import { saveSettings } from '../../src/core/settings-service';
import { drainDuePortals } from '../../src/outbox';
import { recordResponse } from '../../src/responses/record';
import { TEST_PORTAL_ID } from '../helpers/env';
import { startTestServer, type TestServer } from '../helpers/server';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp';
import { aContact, anInvitation } from '../factories';

// A detractor alert over real SMTP: the app's mailer (SMTP_URL) hands the owner's email to a captured SMTP server
// on loopback. The owner's address comes from HubSpot's owners API (nock).

const HUBSPOT = 'https://api.hubapi.com';

describe('a detractor alert over SMTP', () => {
  let s: TestServer;
  let smtp: TestSmtpServer;
  let offsetMs = 0;
  const clock = { now: () => new Date(Date.now() + offsetMs) };

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    nock(HUBSPOT)
      .persist()
      .get('/crm/v3/owners')
      .query(true)
      .reply(200, { results: [{ id: '11', email: 'owner@example.com', firstName: 'Olive' }] });
    smtp = await startSmtpServer();
    // No in-memory transport: mail leaves through SMTP_URL, as in production.
    s = await startTestServer(
      { RUN_WORKERS: 'false', SMTP_URL: smtp.url },
      { features: [alertsFeature], clock, mailTransport: undefined },
    );
    await saveSettings(s.deps.db, TEST_PORTAL_ID, { alerts: { enabled: true } });
  });
  afterAll(async () => {
    await s?.close();
    await smtp?.close();
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('reaches the owner once, with the score, the comment and the follow-up answer', async () => {
    await aContact(s.deps.db, TEST_PORTAL_ID, { contactId: 901, email: 'c901@example.com', ownerId: '11' });
    const now = new Date();
    const inv = await anInvitation(s.deps.db, {
      portalId: TEST_PORTAL_ID,
      contactId: 901,
      trigger: 'deal',
      milestoneKey: 'deal:7101:closedwon:contact:901',
      source: { objectType: 'deal', objectId: '7101', pipeline: 'default', stage: 'closedwon' },
      status: 'sent',
      scheduledFor: now,
      sentAt: now,
      followUpQuestion: 'What should we do better?',
    });
    await recordResponse(s.deps, {
      portalId: TEST_PORTAL_ID,
      contactId: 901,
      invitationId: inv.id,
      score: 2,
      comment: 'Billing errors again',
      followUpAnswer: 'Fix the invoices',
      channel: 'page',
    });
    for (let pass = 0; pass < 2; pass++) {
      await new Promise((r) => setTimeout(r, 10));
      await drainDuePortals(s.deps, alertAnswerOutbox, { hold: 0 });
      offsetMs += WAIT_FOR_TASK_MS;
      await drainDuePortals(s.deps, alertSendOutbox, { hold: 0 });
    }
    expect(smtp.received.map((m) => m.to)).toEqual([['owner@example.com']]);
    const text = smtp.received[0]!.mail.text;
    expect(text).toContain('Score: 2 (detractor)');
    expect(text).toContain('Comment: Billing errors again');
    expect(text).toContain('Follow-up answer: Fix the invoices');
  });
});
