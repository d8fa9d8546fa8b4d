import { describe, expect, it } from 'vitest';
import { movers } from '../../src/insights/movers';
import type { SegmentDimension } from '../../src/insights/filters';
import { aResponse } from '../factories';
import { PORTAL, useFixtureDb } from './insights-fixture';

// The movers panel against a plain reading of the answers: each person's latest answer of the period next to the
// answer they gave just before it. Whether the period ends after every answer (each person's latest answer, with
// its previous score kept beside it, migration 660) or before some (looked up in the history), and after answers
// are added, changed and deleted, the panel must say the same as the answers do.

const t = useFixtureDb();

interface Answer {
  id: string;
  contactId: string;
  score: number;
  at: Date;
  ownerId: string;
  companyId: string;
}

async function answers(): Promise<Answer[]> {
  const r = await t.db.query<{
    id: string;
    contact_id: string;
    score: number;
    answered_at: Date | string;
    owner_id: string | null;
    company_id: string | null;
  }>('SELECT id, contact_id, score, answered_at, owner_id, company_id FROM responses WHERE portal_id = $1', [PORTAL]);
  return r.rows.map((x) => ({
    id: x.id,
    contactId: String(x.contact_id),
    score: Number(x.score),
    at: new Date(x.answered_at),
    ownerId: x.owner_id ?? '',
    companyId: x.company_id === null ? '' : String(x.company_id),
  }));
}

/** Who moved in the period, written out from the definition: [contact, previous score, score, segment]. */
function expected(all: Answer[], period: { from: string; to: string }, dimension: 'owner' | 'company') {
  const newestFirst = (a: Answer, b: Answer) => b.at.getTime() - a.at.getTime() || (b.id < a.id ? -1 : 1);
  const day = (a: Answer) => a.at.toISOString().slice(0, 10);
  const rows: Array<[string, number, number, string]> = [];
  for (const contact of new Set(all.map((a) => a.contactId))) {
    const history = all.filter((a) => a.contactId === contact).sort(newestFirst);
    const latest = history.findIndex((a) => day(a) >= period.from && day(a) <= period.to);
    if (latest === -1 || latest === history.length - 1) continue;
    const cur = history[latest]!;
    rows.push([contact, history[latest + 1]!.score, cur.score, dimension === 'owner' ? cur.ownerId : cur.companyId]);
  }
  return rows.sort((a, b) => a[0].localeCompare(b[0]));
}

async function panel(period: { from: string; to: string }, dimension: SegmentDimension) {
  const m = await movers(t.db, PORTAL, period, { dimension, limit: 100 });
  const listed = m.movers.map((x) => [x.contactId, x.previousScore, x.score, x.segment.value]);
  return { m, listed };
}

async function expectPanelToMatchAnswers(): Promise<void> {
  const all = await answers();
  for (const period of [
    { from: '2026-06-01', to: '2026-07-05' }, // ends after every answer
    { from: '2026-06-01', to: '2026-06-30' },
    { from: '2026-05-15', to: '2026-06-10' }, // newer answers exist
    { from: '2026-01-01', to: '2026-06-15' },
  ]) {
    for (const dimension of ['owner', 'company'] as const) {
      const want = expected(all, period, dimension);
      const { m, listed } = await panel(period, dimension);
      const label = JSON.stringify({ period, dimension });
      const moved = want.filter(([, prev, cur]) => prev !== cur);
      expect(
        listed.sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
        label,
      ).toEqual(moved);
      expect(m.totals.compared, label).toBe(want.length);
      expect(m.totals.unchanged, label).toBe(want.length - moved.length);
      expect(m.totals.points, label).toBe(want.reduce((sum, [, prev, cur]) => sum + cur - prev, 0));
      for (const s of m.segments) {
        const inSegment = want.filter((w) => w[3] === s.value);
        expect([s.value, s.compared], label).toEqual([s.value, inSegment.length]);
      }
    }
  }
}

describe('movers', () => {
  it('match the answers, whether or not newer answers exist after the period, by owner and by company', async () => {
    expect((await panel({ from: '2026-06-01', to: '2026-06-30' }, 'owner')).listed.length).toBeGreaterThan(0);
    await expectPanelToMatchAnswers();
  });

  it('follow new, changed and deleted answers (the previous score is kept as answers change)', async () => {
    // Contact 1 answers again in July: their June answer becomes the previous one.
    await aResponse(t.db, {
      portalId: PORTAL,
      contactId: 1,
      score: 2,
      ownerId: '11',
      companyId: 501,
      answeredAt: new Date('2026-07-02T10:00:00Z'),
    });
    await expectPanelToMatchAnswers();
    // A score changed: the answer before it (1 July, a 10) now says 9.
    const before = (await answers()).filter((a) => a.contactId === '1').sort((a, b) => b.at.getTime() - a.at.getTime());
    await t.db.query("UPDATE responses SET score = 9, category = 'promoter' WHERE id = $1", [before[1]!.id]);
    await expectPanelToMatchAnswers();
    // The 2 July answer deleted again: the 1 July one (now 9) is the latest once more, after a 6 on 20 June.
    await t.db.query('DELETE FROM responses WHERE id = $1', [before[0]!.id]);
    await expectPanelToMatchAnswers();
    const { listed } = await panel({ from: '2026-06-01', to: '2026-07-05' }, 'owner');
    expect(listed.find((x) => x[0] === '1')).toEqual(['1', 6, 9, '11']);
  });
});
