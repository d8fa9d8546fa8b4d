import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveSettings } from '../../src/core/settings-service';
import { scheduleInvitation } from '../../src/triggers';
import { lastWebSessionAt, signIdentity, webSurveyFeature } from '../../src/web-survey';
import { TEST_PORTAL_ID } from '../helpers/env';
import { startTestServer, type TestServer } from '../helpers/server';
import { aContact } from '../factories';

// A rule whose channel list starts with `web`, on the real app and database: the widget's visit (over HTTP,
// signed identity) is the web session; without one the rule falls back to the next channel, or is skipped with
// no_web_session when `web` is its only channel. Workers are off.

const ORIGIN = 'https://app.customer.test';
const ADMIN = { authorization: 'Bearer test-admin-token-0123456789', accept: 'application/json' };

describe('web channel fallback by web session', () => {
  let s: TestServer;
  let secret: string;
  let nextContact = 95_000;

  beforeAll(async () => {
    s = await startTestServer({ RUN_WORKERS: 'false' }, { features: [webSurveyFeature] });
    const res = await fetch(`${s.url}/dashboard/settings/web-survey/secret`, { method: 'POST', headers: ADMIN });
    expect(res.status).toBe(200);
    secret = ((await res.json()) as { secret: string }).secret;
    await saveSettings(s.deps.db, TEST_PORTAL_ID, {
      brand: { name: 'Acme', color: '#1f5fbf' },
      webSurvey: { enabled: true, allowedOrigins: [ORIGIN], snoozeDays: 14 },
    });
  });
  afterAll(async () => {
    await s?.close();
  });

  async function aPerson() {
    const contactId = nextContact++;
    const email = `web${contactId}@customer.test`;
    await aContact(s.deps.db, TEST_PORTAL_ID, { contactId, email, language: 'en' });
    return { contactId, email };
  }
  const schedule = (contactId: number, channel: Array<'web' | 'email'>, key: string) =>
    scheduleInvitation(s.deps, {
      portalId: TEST_PORTAL_ID,
      contactId,
      trigger: 'relationship',
      milestoneKey: `web-session-test:${contactId}:${key}`,
      scheduledFor: new Date(),
      channel,
    });
  async function seenByWidget(email: string, contactId: number) {
    const res = await fetch(`${s.url}/widget/v1/${TEST_PORTAL_ID}/due`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN },
      body: JSON.stringify({ email, userHash: signIdentity(secret, email) }),
    });
    expect(res.status).toBe(200);
    await expect.poll(() => lastWebSessionAt(s.deps.db, TEST_PORTAL_ID, String(contactId))).toBeInstanceOf(Date);
  }

  it('falls back from web to email for a contact the widget never saw', async () => {
    const p = await aPerson();
    const outcome = await schedule(p.contactId, ['web', 'email'], 'a');
    expect(outcome).toMatchObject({ status: 'scheduled', channel: 'email' });
  });

  it('skips a web-only rule with no_web_session, then uses web once the widget has seen the contact', async () => {
    const p = await aPerson();
    const skipped = await schedule(p.contactId, ['web'], 'a');
    expect(skipped).toMatchObject({ status: 'skipped', channel: 'web', skipReason: 'no_web_session' });
    const row = await s.deps.db.query<{ channel: string; status: string; skip_reason: string }>(
      'SELECT channel, status, skip_reason FROM invitations WHERE id = $1',
      [skipped.invitationId],
    );
    expect(row.rows[0]).toEqual({ channel: 'web', status: 'skipped', skip_reason: 'no_web_session' });

    await seenByWidget(p.email, p.contactId);
    expect(await schedule(p.contactId, ['web', 'email'], 'b')).toMatchObject({ status: 'scheduled', channel: 'web' });
  });
});
