import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { saveSettings } from '../../src/core/settings-service';
import { signIdentity, webSurveyFeature } from '../../src/web-survey';
import { DAY_MS } from '../../src/shared/clock';
import { TEST_PORTAL_ID } from '../helpers/env';
import { startTestServer, type TestServer } from '../helpers/server';
import { aContact, anInvitation } from '../factories';

// A dismissal of the in-app widget snoozes it for the days of the rule behind the survey (a trigger rule's or the
// relationship cadence's webSnoozeDays), else for the portal's webSurvey.snoozeDays. Real HTTP and database.

const ORIGIN = 'https://app.customer.test';
const ADMIN = { authorization: 'Bearer test-admin-token-0123456789', accept: 'application/json' };
const NOW = new Date('2026-06-01T12:00:00Z');

describe('web survey dismissal snooze', () => {
  let s: TestServer;
  let secret: string;
  let now = NOW;
  let nextContact = 95_000;
  const clock = { now: () => now };

  beforeAll(async () => {
    s = await startTestServer({ RUN_WORKERS: 'false' }, { features: [webSurveyFeature], clock });
    const res = await fetch(`${s.url}/dashboard/settings/web-survey/secret`, { method: 'POST', headers: ADMIN });
    expect(res.status).toBe(200);
    secret = ((await res.json()) as { secret: string }).secret;
  });
  afterAll(async () => {
    await s?.close();
  });
  beforeEach(async () => {
    now = NOW;
    const rule = { objectType: 'deal', stageId: 'closedwon' } as const;
    await saveSettings(s.deps.db, TEST_PORTAL_ID, {
      webSurvey: { enabled: true, allowedOrigins: [ORIGIN], snoozeDays: 14, askOnVisit: true },
      triggers: [
        { ...rule, id: 'won', webSnoozeDays: 2 },
        { ...rule, id: 'plain' },
      ],
      relationship: { webSnoozeDays: 5 },
    });
  });

  const call = (action: string, email: string, body: object = {}) =>
    fetch(`${s.url}/widget/v1/${TEST_PORTAL_ID}/${action}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({ email, userHash: signIdentity(secret, email), ...body }),
    });

  async function aContactWithWebSurvey(from?: { trigger: 'deal' | 'relationship' | 'workflow'; ruleId?: string }) {
    const contactId = nextContact++;
    const email = `snooze${contactId}@customer.test`;
    await aContact(s.deps.db, TEST_PORTAL_ID, { contactId, email });
    if (from)
      await anInvitation(s.deps.db, {
        portalId: TEST_PORTAL_ID,
        contactId,
        trigger: from.trigger,
        ruleId: from.ruleId ?? null,
        channel: 'web',
        status: 'sent',
        sentAt: now,
        expiresAt: new Date(now.getTime() + 30 * DAY_MS),
      });
    return { contactId, email };
  }

  /** Shows and dismisses the contact's survey; the days the widget is snoozed for. */
  async function dismissedForDays(c: { contactId: number; email: string }): Promise<number> {
    const due = (await (await call('due', c.email)).json()) as { due: boolean; invitationId: string };
    expect(due.due).toBe(true);
    expect((await call('dismiss', c.email, { invitationId: due.invitationId })).status).toBe(200);
    const row = await s.deps.db.query<{ snoozed_until: Date | string }>(
      'SELECT snoozed_until FROM web_survey_contacts WHERE portal_id = $1 AND contact_id = $2',
      [TEST_PORTAL_ID, c.contactId],
    );
    return (new Date(row.rows[0]!.snoozed_until).getTime() - now.getTime()) / DAY_MS;
  }

  it('snoozes for the rule’s days when the rule has them, and the portal’s when it has none', async () => {
    const won = await aContactWithWebSurvey({ trigger: 'deal', ruleId: 'won' });
    expect(await dismissedForDays(won)).toBe(2);
    const plain = await aContactWithWebSurvey({ trigger: 'deal', ruleId: 'plain' });
    expect(await dismissedForDays(plain)).toBe(14);
  });

  it('snoozes for the relationship cadence’s days, and the portal’s for workflows and ask on visit', async () => {
    expect(await dismissedForDays(await aContactWithWebSurvey({ trigger: 'relationship' }))).toBe(5);
    expect(await dismissedForDays(await aContactWithWebSurvey({ trigger: 'workflow', ruleId: 'won' }))).toBe(14);
    expect(await dismissedForDays(await aContactWithWebSurvey())).toBe(14);
  });

  it('shows the next survey once the rule’s snooze has passed, not before', async () => {
    const c = await aContactWithWebSurvey({ trigger: 'deal', ruleId: 'won' });
    await dismissedForDays(c);
    const next = await anInvitation(s.deps.db, {
      portalId: TEST_PORTAL_ID,
      contactId: c.contactId,
      ruleId: 'plain',
      channel: 'web',
      status: 'sent',
      sentAt: now,
      expiresAt: new Date(now.getTime() + 30 * DAY_MS),
    });
    now = new Date(NOW.getTime() + 2 * DAY_MS - 60_000);
    expect(await (await call('due', c.email)).json()).toEqual({ due: false });
    now = new Date(NOW.getTime() + 2 * DAY_MS);
    expect(await (await call('due', c.email)).json()).toMatchObject({ due: true, invitationId: next.id });
  });
});
