import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../helpers/db';
import { ensureStaticPortal } from '../../src/core/portals.repo';
import { saveContacts } from '../../src/contacts/contacts.repo';
import type { ContactRecord } from '../../src/contacts/properties';
import { scheduleInvitation, type ScheduleRequest } from '../../src/triggers/schedule';
import { loadFatigueInput } from '../../src/triggers/fatigue.repo';
import { duplicatesSuppressed } from '../../src/triggers/metrics';
import { runRelationshipSurveys } from '../../src/triggers/relationship';
import { saveSettings } from '../../src/core/settings-service';
import { fixedClock, DAY_MS } from '../../src/shared/clock';
import { createMetrics } from '../../src/shared/metrics';
import { silentLogger } from '../../src/shared/logger';
import type { AppDeps } from '../../src/core/deps';
import { anInvitation } from '../factories';

const PORTAL = 4402;
let t: TestDb;
const clock = fixedClock('2026-06-01T12:00:00Z');
let deps: Pick<AppDeps, 'db' | 'clock' | 'metrics'>;

const contact = (id: string, over: Partial<ContactRecord> = {}): ContactRecord => ({
  contactId: id,
  email: `c${id}@example.com`,
  firstname: 'F',
  lastname: 'L',
  language: 'de',
  ownerId: null,
  companyId: null,
  lifecycleStage: 'customer',
  createdAt: null,
  customerSince: null,
  optedOut: false,
  bounced: false,
  updatedAt: new Date('2026-01-01T00:00:00Z'),
  ...over,
});
const request = (contactId: string, key: string, over: Partial<ScheduleRequest> = {}): ScheduleRequest => ({
  portalId: PORTAL,
  contactId,
  trigger: 'deal',
  milestoneKey: key,
  scheduledFor: new Date(clock.now().getTime() + DAY_MS),
  channel: 'email',
  ...over,
});
const invitations = async () =>
  (
    await t.db.query<{
      contact_id: string;
      milestone_key: string;
      status: string;
      skip_reason: string | null;
      language: string | null;
    }>(
      'SELECT contact_id, milestone_key, status, skip_reason, language FROM invitations WHERE portal_id = $1 ORDER BY milestone_key',
      [PORTAL],
    )
  ).rows.map((r) => ({ ...r, contact_id: String(r.contact_id) }));

beforeAll(async () => {
  t = await openTestDb();
  await ensureStaticPortal(t.db, PORTAL);
  deps = { db: t.db, clock, metrics: createMetrics() };
});
afterAll(() => t.cleanup());
beforeEach(async () => {
  clock.set('2026-06-01T12:00:00Z');
  await t.db.query('DELETE FROM invitations');
  await t.db.query('DELETE FROM contacts');
  await saveSettings(t.db, PORTAL, {});
  await t.db.transaction((tx) =>
    saveContacts(tx, PORTAL, [
      contact('1'),
      contact('2', { optedOut: true }),
      contact('3', { email: null }),
      contact('4'),
      contact('5', { lifecycleStage: 'lead' }),
    ]),
  );
});

describe('scheduleInvitation', () => {
  it("schedules a survey in the contact's language with its source and wording", async () => {
    const out = await scheduleInvitation(
      deps,
      request('1', 'deal:9:closedwon:contact:1', {
        ruleId: 'deal-closed-won',
        source: { objectType: 'deal', objectId: '9', pipeline: 'default', stage: 'closedwon' },
        question: 'How likely…?',
      }),
    );
    expect(out).toMatchObject({ status: 'scheduled', invitationId: expect.any(String) });
    const r = await t.db.query<Record<string, unknown>>('SELECT * FROM invitations WHERE id = $1', [out.invitationId]);
    expect(r.rows[0]).toMatchObject({
      language: 'de',
      rule_id: 'deal-closed-won',
      source_object_type: 'deal',
      source_pipeline: 'default',
      source_stage: 'closedwon',
      question: 'How likely…?',
      status: 'scheduled',
    });
    expect(String(r.rows[0]!.source_object_id)).toBe('9');
  });

  it('reports the same milestone again as a duplicate, with the first invitation, and counts it', async () => {
    const first = await scheduleInvitation(deps, request('1', 'm1'));
    const before = await duplicatesSuppressed(deps.metrics);
    const again = await Promise.all([
      scheduleInvitation(deps, request('1', 'm1')),
      scheduleInvitation(deps, request('1', 'm1')),
    ]);
    expect(again).toEqual([
      { status: 'duplicate', invitationId: first.invitationId },
      { status: 'duplicate', invitationId: first.invitationId },
    ]);
    expect(await duplicatesSuppressed(deps.metrics)).toBe(before + 2);
    expect(await invitations()).toHaveLength(1);
  });

  it.each([
    ['2', 'opted_out'],
    ['3', 'no_email'],
    ['99', 'unknown_contact'],
  ])('stores a survey for contact %s as skipped with reason %s', async (contactId, reason) => {
    expect(await scheduleInvitation(deps, request(contactId, `k-${contactId}`))).toMatchObject({
      status: 'skipped',
      skipReason: reason,
    });
    expect(await invitations()).toMatchObject([{ status: 'skipped', skip_reason: reason }]);
  });

  it('never queues two surveys for one person at once: a second milestone while one is scheduled is a quiet-period skip', async () => {
    await scheduleInvitation(deps, request('1', 'deal:1:closedwon:contact:1'));
    expect(await scheduleInvitation(deps, request('1', 'ticket:5:4:contact:1', { trigger: 'ticket' }))).toMatchObject({
      status: 'skipped',
      skipReason: 'quiet_period',
    });
  });

  it('lets only one of three milestones processed at the same moment through', async () => {
    const outcomes = await Promise.all(['a', 'b', 'c'].map((k) => scheduleInvitation(deps, request('4', k))));
    expect(outcomes.map((o) => o.status).sort()).toEqual(['scheduled', 'skipped', 'skipped']);
  });

  it('judges the quiet period at send time: a survey due after the period ends is scheduled', async () => {
    const oldAt = new Date(clock.now().getTime() - 89.5 * DAY_MS);
    await anInvitation(t.db, {
      portalId: PORTAL,
      contactId: 1,
      trigger: 'deal',
      milestoneKey: 'old',
      status: 'answered',
      scheduledFor: oldAt,
      sentAt: oldAt,
    });
    expect(
      await scheduleInvitation(deps, request('1', 'later', { scheduledFor: new Date(clock.now().getTime() + DAY_MS) })),
    ).toMatchObject({ status: 'scheduled' });
    expect(await scheduleInvitation(deps, request('4', 'x'))).toMatchObject({ status: 'scheduled' });
  });

  it("lets a person's confirmation override the quiet period but not an opt-out", async () => {
    await scheduleInvitation(deps, request('1', 'first'));
    expect(await scheduleInvitation(deps, request('1', 'manual-1', { trigger: 'manual', force: true }))).toMatchObject({
      status: 'scheduled',
    });
    expect(await scheduleInvitation(deps, request('2', 'manual-2', { trigger: 'manual', force: true }))).toMatchObject({
      status: 'skipped',
      skipReason: 'opted_out',
    });
  });

  it('rejects a malformed request with a 400 naming the field', async () => {
    await expect(scheduleInvitation(deps, request('abc', 'k'))).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('contactId'),
    });
  });
});

describe('loadFatigueInput', () => {
  it('takes the latest sent or still-scheduled invitation, ignores skips, and can leave one invitation out', async () => {
    const sent = new Date('2026-05-01T00:00:00Z');
    const scheduled = new Date('2026-06-03T00:00:00Z');
    await anInvitation(t.db, {
      portalId: PORTAL,
      contactId: 1,
      trigger: 'deal',
      milestoneKey: 'a',
      status: 'expired',
      scheduledFor: sent,
      sentAt: sent,
    });
    await anInvitation(t.db, {
      portalId: PORTAL,
      contactId: 1,
      trigger: 'deal',
      milestoneKey: 'b',
      status: 'skipped',
      scheduledFor: new Date('2026-07-01T00:00:00Z'),
      skipReason: 'quiet_period',
    });
    const pending = await anInvitation(t.db, {
      portalId: PORTAL,
      contactId: 1,
      trigger: 'deal',
      milestoneKey: 'c',
      status: 'scheduled',
      scheduledFor: scheduled,
    });
    expect(await loadFatigueInput(t.db, PORTAL, '1')).toEqual({
      contact: {
        email: 'c1@example.com',
        optedOut: false,
        surveyOptedOut: false,
        bounced: false,
        deleted: false,
        phone: { ok: false, reason: 'no_phone' },
        smsOptedOut: false,
      },
      lastSurveyAt: scheduled,
    });
    expect((await loadFatigueInput(t.db, PORTAL, 1, { excludeInvitationId: pending.id })).lastSurveyAt).toEqual(sent);
    expect(await loadFatigueInput(t.db, PORTAL, '12345')).toEqual({ contact: null, lastSurveyAt: null });
  });
});

describe('relationship surveys', () => {
  it('do nothing while the cadence is off', async () => {
    expect(await runRelationshipSurveys({ ...deps, logger: silentLogger } as AppDeps, PORTAL)).toMatchObject({
      scheduled: 0,
      skipped: 0,
    });
  });

  it('survey customers not surveyed within the cadence, once per period, under the quiet period', async () => {
    await saveSettings(t.db, PORTAL, { relationship: { enabled: true, everyDays: 180, lifecycleStage: 'customer' } });
    // Contact 4 answered a deal survey 100 days ago: due under the quiet period (90) but not the cadence (180).
    const answeredAt = new Date(clock.now().getTime() - 100 * DAY_MS);
    await anInvitation(t.db, {
      portalId: PORTAL,
      contactId: 4,
      trigger: 'deal',
      milestoneKey: 'd4',
      status: 'answered',
      scheduledFor: answeredAt,
      sentAt: answeredAt,
    });
    const run = () => runRelationshipSurveys({ ...deps, logger: silentLogger } as AppDeps, PORTAL);
    expect(await run()).toMatchObject({ scheduled: 1, skipped: 2, duplicates: 0 });
    expect((await invitations()).filter((i) => i.milestone_key.startsWith('relationship:'))).toMatchObject([
      { contact_id: '1', status: 'scheduled' },
      { contact_id: '2', status: 'skipped', skip_reason: 'opted_out' },
      { contact_id: '3', status: 'skipped', skip_reason: 'no_email' },
    ]);
    expect(await run()).toMatchObject({ scheduled: 0, skipped: 0, duplicates: 0 });
    // 181 days later: contact 1 (surveyed at the start) and 4 are due again; the skipped ones are retried in the new period.
    clock.advance(181 * DAY_MS);
    await t.db.query(`UPDATE invitations SET status = 'answered', sent_at = scheduled_for WHERE status = 'scheduled'`);
    expect(await run()).toMatchObject({ scheduled: 2, skipped: 2 });
  });
});
