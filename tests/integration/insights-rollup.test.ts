import { describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from '../helpers/env';
import { headline } from '../../src/insights/headline';
import { heroes } from '../../src/insights/heroes';
import { distribution } from '../../src/insights/distribution';
import { segments } from '../../src/insights/segments';
import { recordResponse } from '../../src/responses/record';
import { fixedClock } from '../../src/shared/clock';
import { catchUpAllInsights, catchUpInsights, foldedOnce } from '../../src/insights/catch-up';
import {
  ANSWERS,
  NOW,
  PERIOD,
  PORTAL,
  answersIn,
  expectedNps,
  latestPerContact,
  useFixtureDb,
  FIXTURE_SETTINGS,
  FIXTURE_SLA,
} from './insights-fixture';
import { anInvitation } from '../factories';

// Changes to answers, follow-ups and invitations are logged by triggers and folded into the rollups by
// insight_catch_up, which every insight read runs first: after any change the dashboard's numbers equal a fresh
// count, however many writers and folders run at once.

const t = useFixtureDb();
const settings = FIXTURE_SETTINGS;
const sla = FIXTURE_SLA;

describe('rollups kept in step with answers', () => {
  it('a changed score, a moved answer and a deleted answer are reflected at once', async () => {
    await t.db.query('UPDATE responses SET score = 0, category = $2 WHERE id = $1', [t.ids.get('a1'), 'detractor']);
    await t.db.query(`UPDATE responses SET answered_at = '2026-07-02T10:00:00Z' WHERE id = $1`, [t.ids.get('a4')]);
    await t.db.query('DELETE FROM responses WHERE id = $1', [t.ids.get('a5')]);
    await t.db.query('UPDATE responses SET comment = $2 WHERE id = $1', [t.ids.get('a6'), 'edited comment only']);
    const changed = ANSWERS.filter((a) => a.key !== 'a5').map((a) =>
      a.key === 'a1' ? { ...a, score: 0 } : a.key === 'a4' ? { ...a, at: '2026-07-02T10:00:00Z' } : a,
    );
    const h = await headline(t.db, PORTAL, PERIOD, 'all', settings);
    expect({ n: h.n, nps: h.nps, marginOfError: h.marginOfError }).toEqual(
      (({ n, nps, marginOfError }) => ({ n, nps, marginOfError }))(
        expectedNps(answersIn(PERIOD, changed).map((a) => a.score)),
      ),
    );
    const latest = await headline(t.db, PORTAL, PERIOD, 'latest', settings);
    expect(latest.n).toBe(3);
    // Each person's latest answer of all (a4 moved to July, a5 gone) follows the changes too.
    const sinceJune = { from: '2026-06-01', to: '2026-07-31' };
    const latestSince = await headline(t.db, PORTAL, sinceJune, 'latest', settings);
    const expectedLatest = latestPerContact(answersIn(sinceJune, changed));
    expect([latestSince.n, latestSince.nps]).toEqual([
      expectedLatest.length,
      expectedNps(expectedLatest.map((a) => a.score)).nps,
    ]);
    const [companies] = await segments(t.db, PORTAL, PERIOD, {
      mode: 'all',
      dimensions: ['company'],
      limit: 10,
      minAnswers: 3,
    });
    expect(Object.fromEntries(companies!.values.map((v) => [v.value, v.n]))).toEqual({ '501': 4, '502': 1 });
    // a5's follow-up went with its answer; owner 22 keeps a6 and a7.
    const hs = await heroes(t.db, PORTAL, PERIOD, {
      mode: 'all',
      minAnswers: 3,
      limit: 10,
      now: NOW,
      dueBusinessDays: sla,
    });
    expect(hs.heroes.find((x) => x.ownerId === '22')!.followUps).toEqual({ opened: 2, closed: 0 });
  });

  it('an answer changed through the recording path (same invitation) replaces the old one everywhere', async () => {
    const sentAt = new Date('2026-06-16T09:00:00Z');
    const inv = await anInvitation(t.db, {
      portalId: PORTAL,
      contactId: 2,
      trigger: 'deal',
      milestoneKey: 'rollup-change',
      status: 'sent',
      scheduledFor: sentAt,
      sentAt,
    });
    const deps = { db: t.db, clock: fixedClock('2026-06-17T09:00:00Z') };
    const before = await headline(t.db, PORTAL, PERIOD, 'all', settings);
    await recordResponse(deps, { portalId: PORTAL, contactId: 2, score: 2, channel: 'email', invitationId: inv.id });
    const first = await headline(t.db, PORTAL, PERIOD, 'all', settings);
    expect([first.n, first.detractors]).toEqual([before.n + 1, before.detractors + 1]);
    await recordResponse(deps, { portalId: PORTAL, contactId: 2, score: 10, channel: 'email', invitationId: inv.id });
    const second = await headline(t.db, PORTAL, PERIOD, 'all', settings);
    expect([second.n, second.detractors, second.promoters]).toEqual([
      before.n + 1,
      before.detractors,
      before.promoters + 1,
    ]);
    const d = await distribution(t.db, PORTAL, PERIOD, 'all');
    expect(d.responseRate.byTrigger.find((r) => r.key === 'deal')).toEqual({
      key: 'deal',
      sent: 2,
      answered: 2,
      rate: 100,
    });
  });

  it('answers recorded at the same moment by many requests all count (no lost update, no deadlock)', async () => {
    const before = await headline(t.db, PORTAL, { from: '2026-06-18', to: '2026-06-18' }, 'all', settings);
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        recordResponse(
          { db: t.db, clock: fixedClock('2026-06-18T12:00:00Z') },
          { portalId: PORTAL, contactId: 1 + (i % 4), score: i % 11, channel: 'manual' },
        ),
      ),
    );
    const after = await headline(t.db, PORTAL, { from: '2026-06-18', to: '2026-06-18' }, 'all', settings);
    expect(after.n - before.n).toBe(12);
  });

  it('recording an answer only logs it; the next read folds it, once', async () => {
    const day = { from: '2026-06-19', to: '2026-06-19' };
    const before = await headline(t.db, PORTAL, day, 'all', settings);
    const daily = () =>
      t.db.query<{ n: number }>(
        `SELECT coalesce(sum(s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10), 0)::int AS n FROM insight_daily WHERE portal_id = $1 AND dim = 'all' AND day = '2026-06-19'`,
        [PORTAL],
      );
    const pending = () =>
      t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM insight_pending WHERE portal_id = $1', [PORTAL]);
    await recordResponse(
      { db: t.db, clock: fixedClock('2026-06-19T08:00:00Z') },
      { portalId: PORTAL, contactId: 3, score: 9, channel: 'manual' },
    );
    expect([(await daily()).rows[0]!.n, (await pending()).rows[0]!.n]).toEqual([before.n, 1]);
    const after = await headline(t.db, PORTAL, day, 'all', settings);
    expect([after.n, after.promoters]).toEqual([before.n + 1, before.promoters + 1]);
    expect([(await daily()).rows[0]!.n, (await pending()).rows[0]!.n]).toEqual([before.n + 1, 0]);
    expect(await catchUpInsights(t.db, PORTAL)).toBe(0);
  });

  it('a request that folded once reads its other figures without folding again', async () => {
    const day = { from: '2026-06-22', to: '2026-06-22' };
    const pending = async () =>
      (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM insight_pending WHERE portal_id = $1', [PORTAL]))
        .rows[0]!.n;
    const record = () =>
      recordResponse(
        { db: t.db, clock: fixedClock('2026-06-22T08:00:00Z') },
        { portalId: PORTAL, contactId: 2, score: 10, channel: 'manual' },
      );
    const before = await headline(t.db, PORTAL, day, 'all', settings);
    await record();
    const folded = await foldedOnce(t.db, PORTAL);
    expect(await pending()).toBe(0);
    expect((await headline(folded, PORTAL, day, 'all', settings)).n).toBe(before.n + 1);
    // Committed after the request's fold: the folded view leaves it for the next request.
    await record();
    expect(await catchUpInsights(folded, PORTAL)).toBe(0);
    expect([(await headline(folded, PORTAL, day, 'all', settings)).n, await pending()]).toEqual([before.n + 1, 1]);
    expect((await headline(t.db, PORTAL, day, 'all', settings)).n).toBe(before.n + 2);
    expect(await pending()).toBe(0);
  });

  it('folds racing with writers count every change exactly once', async () => {
    const at = '2026-06-20T12:00:00Z';
    const day = { from: '2026-06-20', to: '2026-06-20' };
    const before = await headline(t.db, PORTAL, day, 'all', settings);
    const sentBefore =
      (await distribution(t.db, PORTAL, day, 'all')).responseRate.byTrigger.find((r) => r.key === 'ticket')?.sent ?? 0;
    const writers = Array.from({ length: 24 }, async (_, i) => {
      const inv = await anInvitation(t.db, {
        portalId: PORTAL,
        contactId: 1 + (i % 4),
        trigger: 'ticket',
        milestoneKey: `race-${i}`,
        status: 'sent',
        scheduledFor: new Date(at),
        sentAt: new Date(at),
      });
      // Each answer is changed twice more, so the same answer is logged again while earlier logs are being folded.
      for (const score of [i % 11, (i + 3) % 11, (i + 7) % 11]) {
        await recordResponse(
          { db: t.db, clock: fixedClock(at) },
          { portalId: PORTAL, contactId: 1 + (i % 4), score, channel: 'email', invitationId: inv.id },
        );
      }
    });
    const folders = Array.from({ length: 4 }, async () => {
      for (let k = 0; k < 12; k++) await catchUpAllInsights(t.db);
    });
    await Promise.all([...writers, ...folders]);
    const h = await headline(t.db, PORTAL, day, 'all', settings);
    const fresh = await t.db.query<{ n: number; promoters: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE score >= 9)::int AS promoters FROM responses WHERE portal_id = $1 AND (answered_at AT TIME ZONE 'UTC')::date = '2026-06-20'`,
      [PORTAL],
    );
    expect([h.n, h.promoters]).toEqual([fresh.rows[0]!.n, fresh.rows[0]!.promoters]);
    expect(h.n - before.n).toBe(24);
    const d = await distribution(t.db, PORTAL, day, 'all');
    expect(d.responseRate.byTrigger.find((r) => r.key === 'ticket')).toMatchObject({
      sent: sentBefore + 24,
      answered: sentBefore + 24,
    });
  });

  // Two folds of the same answer at once would both subtract what it counted before; they take turns instead.
  // (PGlite has one connection, so only Postgres can run two at once.)
  it.runIf(Boolean(TEST_DATABASE_URL))(
    'a second fold of the same portal waits until the first has committed',
    async () => {
      const deps = { db: t.db, clock: fixedClock('2026-06-21T09:00:00Z') };
      await recordResponse(deps, { portalId: PORTAL, contactId: 4, score: 8, channel: 'manual' });
      let second: Promise<number> | undefined;
      let secondDone = false;
      await t.db.transaction(async (tx) => {
        expect(await catchUpInsights(tx, PORTAL)).toBeGreaterThan(0);
        await recordResponse(deps, { portalId: PORTAL, contactId: 4, score: 9, channel: 'manual' });
        second = catchUpInsights(t.db, PORTAL).finally(() => (secondDone = true));
        await new Promise((r) => setTimeout(r, 300));
        expect(secondDone).toBe(false);
      });
      expect(await second).toBeGreaterThan(0);
      const h = await headline(t.db, PORTAL, { from: '2026-06-21', to: '2026-06-21' }, 'all', settings);
      expect([h.passives, h.promoters]).toEqual([1, 1]);
    },
  );

  it('deleting the portal removes its rollups with it', async () => {
    await t.db.query(`UPDATE responses SET score = 5 WHERE portal_id = $1 AND score = 0`, [PORTAL]);
    await t.db.query('DELETE FROM portals WHERE portal_id = $1', [PORTAL]);
    for (const table of [
      'insight_daily',
      'insight_answer_facts',
      'insight_latest_answers',
      'insight_latest_daily',
      'insight_company_days',
      'insight_companies',
      'insight_loop_daily',
      'insight_loop_facts',
      'insight_invitation_daily',
      'insight_pending',
      'insight_invitation_deltas',
    ]) {
      const r = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE portal_id = $1`, [
        PORTAL,
      ]);
      expect(r.rows[0]!.n, table).toBe(0);
    }
  });
});
