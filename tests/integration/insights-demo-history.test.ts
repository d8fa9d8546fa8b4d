import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../helpers/db';
import { seedDemoHistory } from '../../src/cli/demo/history';
import { weakOwnerOf } from '../../src/cli/demo/history-plan';
import { insightsSummary } from '../../src/insights/summary';
import { trend } from '../../src/insights/trend';
import { segments } from '../../src/insights/segments';
import { heroes } from '../../src/insights/heroes';
import { aPortal, someContacts } from '../factories';

// The demo's year of history tells the story the dashboard should show: a slowly improving NPS, one weak owner,
// one strong pipeline, from the contacts already mirrored.

const PORTAL = 3003;
const NOW = new Date('2026-07-01T12:00:00Z');
let t: TestDb;

beforeAll(async () => {
  t = await openTestDb();
  await aPortal(t.db, { portalId: PORTAL });
  await someContacts(
    t.db,
    PORTAL,
    Array.from({ length: 300 }, (_, i) => i + 1).map((g) => ({
      contactId: g,
      email: `c${g}@example.com`,
      ownerId: String(700 + (g % 6)),
      companyId: null,
      language: 'en',
      lifecycleStage: 'customer',
    })),
  );
});
afterAll(async () => t?.cleanup());

describe('demo history', () => {
  it('seeds a year of invitations, answers and follow-ups from the mirrored contacts, once', async () => {
    const first = await seedDemoHistory(t.db, PORTAL, { now: NOW, seed: 7 });
    expect(first.alreadySeeded).toBe(false);
    expect(first.answers).toBeGreaterThan(700);
    expect(first.invitations).toBeGreaterThan(first.answers);
    expect(first.followUps).toBe(first.answers);
    const counts = await t.db.query<{ answers: number; contacts: number; oldest: Date; newest: Date }>(
      'SELECT count(*)::int AS answers, count(DISTINCT contact_id)::int AS contacts, min(answered_at) AS oldest, max(answered_at) AS newest FROM responses WHERE portal_id = $1',
      [PORTAL],
    );
    expect(counts.rows[0]!.answers).toBe(first.answers);
    expect(counts.rows[0]!.contacts).toBeGreaterThan(270);
    expect(new Date(counts.rows[0]!.oldest).getTime()).toBeGreaterThan(NOW.getTime() - 366 * 86_400_000);
    expect(new Date(counts.rows[0]!.newest).getTime()).toBeLessThan(NOW.getTime());
    expect(await seedDemoHistory(t.db, PORTAL, { now: NOW, seed: 7 })).toEqual({
      invitations: 0,
      answers: 0,
      followUps: 0,
      alreadySeeded: true,
    });
  });

  it('improves slowly: the last quarter scores clearly above the first', async () => {
    const q = await trend(t.db, PORTAL, { from: '2025-07-01', to: '2026-06-30' }, 'quarter', 'all', 30);
    expect(q.points).toHaveLength(4);
    const [first, , , last] = q.points;
    expect(last!.nps! - first!.nps!).toBeGreaterThan(10);
  });

  it('has one weak owner and one strong pipeline, both clearly apart from the rest', async () => {
    const period = { from: '2025-07-02', to: '2026-07-01' };
    const weak = weakOwnerOf(
      Array.from({ length: 300 }, (_, i) => ({ contactId: i + 1, ownerId: String(700 + ((i + 1) % 6)) })),
    );
    const [owners, pipelines] = await segments(t.db, PORTAL, period, {
      mode: 'all',
      dimensions: ['owner', 'pipeline'],
      limit: 50,
      minAnswers: 30,
    });
    const worst = [...owners!.values].sort((a, b) => a.nps! - b.nps!)[0]!;
    expect(worst.value).toBe(weak);
    expect(worst.vsRest.direction).toBe('below');
    const best = [...pipelines!.values].filter((v) => v.value !== '').sort((a, b) => b.nps! - a.nps!)[0]!;
    expect(best.value).toBe('87654321');
    expect(best.vsRest.direction).toBe('above');
    const h = await heroes(t.db, PORTAL, period, {
      mode: 'all',
      minAnswers: 30,
      limit: 10,
      now: NOW,
      dueBusinessDays: { detractor: 1, passive: 3, promoter: 5 },
    });
    const weakHero = h.heroes.find((x) => x.ownerId === weak)!;
    const others = h.heroes.filter((x) => x.ownerId !== weak);
    expect(weakHero.medianCloseHours!).toBeGreaterThan(Math.max(...others.map((x) => x.medianCloseHours!)));
  });

  it('stops the history of lapsed contacts before the quiet period, so a milestone today surveys them', async () => {
    const portal = 3004;
    await aPortal(t.db, { portalId: portal });
    await someContacts(
      t.db,
      portal,
      Array.from({ length: 120 }, (_, i) => i + 1).map((g) => ({
        contactId: g,
        email: `c${g}@example.com`,
        ownerId: String(700 + (g % 6)),
        language: 'en',
      })),
    );
    const lapsed = Array.from({ length: 40 }, (_, i) => i * 3 + 1);
    const seeded = await seedDemoHistory(t.db, portal, { now: NOW, seed: 7, lapsedContactIds: lapsed });
    expect(seeded.answers).toBeGreaterThan(200);
    const last = await t.db.query<{ contact_id: string; last: Date }>(
      `SELECT contact_id, max(coalesce(sent_at, scheduled_for)) AS last FROM invitations WHERE portal_id = $1 AND status <> 'skipped' GROUP BY contact_id`,
      [portal],
    );
    const daysAgo = new Map(
      last.rows.map((r) => [Number(r.contact_id), (NOW.getTime() - new Date(r.last).getTime()) / 86_400_000]),
    );
    for (const id of lapsed) expect(daysAgo.get(id) ?? Infinity).toBeGreaterThanOrEqual(100);
    const others = Array.from({ length: 120 }, (_, i) => i + 1).filter((id) => !lapsed.includes(id));
    expect(others.filter((id) => (daysAgo.get(id) ?? Infinity) < 90).length).toBeGreaterThan(others.length * 0.9);
  });

  it('sums up the year for the demo check: headline NPS, margin and the segment that stands out', async () => {
    const s = await insightsSummary(t.db, PORTAL, NOW);
    expect(s.n).toBeGreaterThan(700);
    expect(s.marginOfError).toBeGreaterThan(0);
    expect(s.topSegment).toMatchObject({ dimension: expect.any(String), aboveRest: expect.any(Number) });
  });
});
