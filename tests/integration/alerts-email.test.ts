import nock from 'nock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WAIT_FOR_TASK_MS } from '../../src/alerts/alert-outbox';
import { alertAnswerOutbox, alertDigestOutbox, alertsFeature, alertSendOutbox } from '../../src/alerts';
import { saveSettings } from '../../src/core/settings-service';
import { drainDuePortals, type OutboxKind } from '../../src/outbox';
import { recordResponse } from '../../src/responses/record';
import { TEST_PORTAL_ID } from '../helpers/env';
import { startTestServer, type TestServer } from '../helpers/server';
import { aContact, aFollowUp, anInvitation } from '../factories';

// Alert emails to the contact owner, through the app's mailer (kept in memory: sentMail). The owners' email
// addresses come from HubSpot's owners API (nock). Workers are off: the test drains the outbox itself.

const HUBSPOT = 'https://api.hubapi.com';

/** The decoded text/plain part of a captured message. */
function textOf(raw: Buffer): string {
  const mail = raw.toString('utf8');
  const part = /Content-Type: text\/plain[^\r\n]*\r\nContent-Transfer-Encoding: ([\w-]+)\r\n\r\n([\s\S]*?)\r\n--/i.exec(
    mail,
  );
  if (!part) throw new Error('no text part');
  if (part[1]!.toLowerCase() === 'base64') return Buffer.from(part[2]!, 'base64').toString('utf8');
  const bytes = part[2]!
    .replace(/=\r\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

describe('alert emails', () => {
  let s: TestServer;
  let offsetMs = 0;
  let nextContact = 800;
  let ownerReads = 0;
  const clock = { now: () => new Date(Date.now() + offsetMs) };

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    nock(HUBSPOT)
      .persist()
      .get('/crm/v3/owners')
      .query(true)
      .reply(() => {
        ownerReads++;
        return [
          200,
          {
            results: [
              { id: '11', email: 'owner@example.com', firstName: 'Olive' },
              { id: '22', email: 'default@example.com' },
            ],
          },
        ];
      });
    s = await startTestServer({ RUN_WORKERS: 'false' }, { features: [alertsFeature], clock });
  });
  afterAll(async () => {
    await s?.close();
    nock.cleanAll();
    nock.enableNetConnect();
  });
  beforeEach(async () => {
    s.sentMail.length = 0;
    offsetMs = 0;
    await saveSettings(s.deps.db, TEST_PORTAL_ID, { alerts: { enabled: true } });
  });

  async function answerFromDeal(score: number, opts: { ownerId?: string | null; followUpAnswer?: string } = {}) {
    const contactId = nextContact++;
    await aContact(s.deps.db, TEST_PORTAL_ID, {
      contactId,
      email: `c${contactId}@example.com`,
      firstname: 'Ada',
      lastname: 'Lovelace',
      ownerId: opts.ownerId === undefined ? '11' : opts.ownerId,
    });
    const now = new Date();
    const inv = await anInvitation(s.deps.db, {
      portalId: TEST_PORTAL_ID,
      contactId,
      trigger: 'deal',
      milestoneKey: `deal:7001:closedwon:contact:${contactId}`,
      source: { objectType: 'deal', objectId: '7001', pipeline: 'default', stage: 'closedwon' },
      status: 'sent',
      scheduledFor: now,
      sentAt: now,
      followUpQuestion: 'What should we do better?',
    });
    const answer = (sc: number) =>
      recordResponse(s.deps, {
        portalId: TEST_PORTAL_ID,
        contactId,
        invitationId: inv.id,
        score: sc,
        comment: 'Nobody answered my ticket',
        followUpAnswer: opts.followUpAnswer ?? null,
        channel: 'page',
      });
    const first = await answer(score);
    return { contactId, responseId: first.responseId, answer };
  }

  const drain = async (kind: OutboxKind) => {
    await new Promise((r) => setTimeout(r, 10));
    return drainDuePortals(s.deps, kind, { hold: 0 });
  };
  /** Plans, then sends once the wait for the follow-up task (WAIT_FOR_TASK_MS) is over. */
  const flush = async () => {
    await drain(alertAnswerOutbox);
    offsetMs += WAIT_FOR_TASK_MS;
    await drain(alertSendOutbox);
  };

  it('emails the contact owner the score, comment, follow-up answer, deal and links to the contact and task', async () => {
    const a = await answerFromDeal(3, { followUpAnswer: 'Call me' });
    await aFollowUp(s.deps.db, {
      portalId: TEST_PORTAL_ID,
      responseId: a.responseId,
      contactId: a.contactId,
      category: 'detractor',
      status: 'open',
      hubspotTaskId: '9123',
    });
    await flush();
    expect(s.sentMail).toHaveLength(1);
    const mail = s.sentMail[0]!;
    expect(mail.to).toBe('owner@example.com');
    expect(mail.subject).toBe('NPS detractor: Ada Lovelace scored 3');
    const text = textOf(mail.raw);
    expect(text).toContain('Score: 3 (detractor)');
    expect(text).toContain('Comment: Nobody answered my ticket');
    expect(text).toContain('Follow-up answer: Call me');
    expect(text).toContain(
      `Survey sent after: Deal 7001 <https://app.hubspot.com/contacts/${TEST_PORTAL_ID}/record/0-3/7001>`,
    );
    expect(text).toContain(`https://app.hubspot.com/contacts/${TEST_PORTAL_ID}/record/0-1/${a.contactId}`);
    expect(text).toContain(`https://app.hubspot.com/tasks/${TEST_PORTAL_ID}/view/all/task/9123`);
  });

  it('waits briefly for the follow-up task so the email links to it', async () => {
    const a = await answerFromDeal(2);
    await drain(alertAnswerOutbox);
    await drain(alertSendOutbox);
    expect(s.sentMail).toHaveLength(0); // the task is not there yet
    await aFollowUp(s.deps.db, {
      portalId: TEST_PORTAL_ID,
      responseId: a.responseId,
      contactId: a.contactId,
      category: 'detractor',
      status: 'open',
      hubspotTaskId: '9124',
    });
    offsetMs += WAIT_FOR_TASK_MS;
    await drain(alertSendOutbox);
    expect(s.sentMail).toHaveLength(1);
    expect(textOf(s.sentMail[0]!.raw)).toContain(`https://app.hubspot.com/tasks/${TEST_PORTAL_ID}/view/all/task/9124`);
  });

  it('sends one email however often the outbox delivers the alert', async () => {
    const a = await answerFromDeal(5);
    await flush();
    await alertSendOutbox.mark(s.deps.db, TEST_PORTAL_ID, `${a.responseId}:owner-email`);
    await alertAnswerOutbox.mark(s.deps.db, TEST_PORTAL_ID, a.responseId);
    await flush();
    await flush();
    expect(s.sentMail).toHaveLength(1);
  });

  it('a changed answer: better sends nothing, worse sends one more', async () => {
    const a = await answerFromDeal(4);
    await flush();
    await a.answer(6);
    await flush();
    expect(s.sentMail).toHaveLength(1);
    await a.answer(0);
    await flush();
    expect(s.sentMail.map((m) => m.subject)).toEqual([
      'NPS detractor: Ada Lovelace scored 4',
      'NPS detractor: Ada Lovelace scored 0',
    ]);
  });

  it('goes to the default follow-up owner when the contact has none', async () => {
    await saveSettings(s.deps.db, TEST_PORTAL_ID, { alerts: { enabled: true }, followUps: { defaultOwnerId: '22' } });
    await answerFromDeal(2, { ownerId: null });
    await flush();
    expect(s.sentMail.map((m) => m.to)).toEqual(['default@example.com']);
  });

  it('sends nothing for an answer outside the rules, and nothing with email turned off', async () => {
    await answerFromDeal(8); // a passive
    await saveSettings(s.deps.db, TEST_PORTAL_ID, { alerts: { enabled: true, ownerEmail: false } });
    await answerFromDeal(1);
    await flush();
    expect(s.sentMail).toHaveLength(0);
  });

  it('drops a planned alert when alerts are turned off before it goes', async () => {
    await answerFromDeal(1);
    await drain(alertAnswerOutbox);
    await saveSettings(s.deps.db, TEST_PORTAL_ID, { alerts: { enabled: false } });
    offsetMs += WAIT_FOR_TASK_MS;
    await drain(alertSendOutbox);
    expect(s.sentMail).toHaveLength(0);
    expect((await s.deps.db.query(`SELECT 1 FROM outbox WHERE kind = 'alert-send'`)).rows).toHaveLength(0);
  });

  it('alerts by score threshold', async () => {
    await saveSettings(s.deps.db, TEST_PORTAL_ID, {
      alerts: { enabled: true, categories: { detractor: false }, scoreAtMost: 2 },
    });
    await answerFromDeal(3);
    await answerFromDeal(2);
    await flush();
    expect(s.sentMail.map((m) => m.subject)).toEqual(['NPS detractor: Ada Lovelace scored 2']);
  });

  it('sends each owner one digest a day with the day’s answers, once, read with one owners call', async () => {
    await saveSettings(s.deps.db, TEST_PORTAL_ID, {
      alerts: { enabled: true, ownerEmailDelivery: 'digest' },
      followUps: { defaultOwnerId: '22' },
    });
    await answerFromDeal(1);
    await answerFromDeal(2);
    await answerFromDeal(3, { ownerId: null });
    await flush();
    await drain(alertDigestOutbox);
    expect(s.sentMail).toHaveLength(0);
    offsetMs += 86_400_000;
    const reads = ownerReads;
    await drain(alertDigestOutbox);
    expect(ownerReads - reads).toBe(1);
    const byTo = new Map(s.sentMail.map((m) => [m.to, m]));
    expect(s.sentMail).toHaveLength(2);
    expect(byTo.get('owner@example.com')!.subject).toMatch(/^NPS alerts for \d{4}-\d{2}-\d{2}: 2 answers$/);
    expect(byTo.get('default@example.com')!.subject).toMatch(/: 1 answer$/);
    const text = textOf(byTo.get('owner@example.com')!.raw);
    expect(text).toContain('Score: 1 (detractor)');
    expect(text).toContain('Score: 2 (detractor)');
    await alertDigestOutbox.mark(s.deps.db, TEST_PORTAL_ID, `owner-email:${new Date().toISOString().slice(0, 10)}`);
    await drain(alertDigestOutbox);
    expect(s.sentMail).toHaveLength(2);
  });
});
