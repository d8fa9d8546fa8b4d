import { describe, expect, it } from 'vitest';
import { headline } from '../../src/insights/headline';
import { trend } from '../../src/insights/trend';
import { distribution } from '../../src/insights/distribution';
import { segments } from '../../src/insights/segments';
import { heroes } from '../../src/insights/heroes';
import { latestComments } from '../../src/insights/comments';
import { CLOSE_BUCKET_BOUNDS_HOURS, medianFromHistogram } from '../../src/insights/math';
import {
  type ANSWERS,
  CONTACTS,
  FOLLOW_UPS,
  NOW,
  PERIOD,
  PORTAL,
  PREVIOUS,
  answersIn,
  expectedNps,
  latestPerContact,
  useFixtureDb,
  FIXTURE_SETTINGS,
  FIXTURE_SLA,
} from './insights-fixture';

const t = useFixtureDb();
const settings = FIXTURE_SETTINGS;
const sla = FIXTURE_SLA;

const scores = (list: typeof ANSWERS) => list.map((a) => a.score);
const pick = <T extends object>(o: T, keys: Array<keyof T>) => Object.fromEntries(keys.map((k) => [k, o[k]]));

describe('headline', () => {
  it('gives the NPS of the period with its margin, the previous period of equal length and whether the change beats the noise', async () => {
    const h = await headline(t.db, PORTAL, PERIOD, 'all', settings);
    const now = expectedNps(scores(answersIn(PERIOD)));
    const before = expectedNps(scores(answersIn(PREVIOUS)));
    expect(pick(h, ['n', 'nps', 'marginOfError', 'promoters', 'passives', 'detractors'])).toEqual(now);
    expect(h.previous.period).toMatchObject(PREVIOUS);
    expect(pick(h.previous, ['n', 'nps', 'marginOfError'])).toEqual(pick(before, ['n', 'nps', 'marginOfError']));
    const diffMargin =
      1.959964 * Math.sqrt((now.marginOfError! / 1.959964) ** 2 + (before.marginOfError! / 1.959964) ** 2);
    expect(h.change.difference).toBe(Math.round((now.nps! - before.nps!) * 10) / 10);
    expect(h.change.significant).toBe(Math.abs(now.nps! - before.nps!) > diffMargin);
    expect(h.target).toBe(50);
    expect(h.vsTarget).toBe(Math.round((now.nps! - 50) * 10) / 10);
    expect(h.tooFew).toBe(now.n < settings.minAnswers);
  });

  it('in "latest" mode counts only each person\'s latest answer within the period', async () => {
    const h = await headline(t.db, PORTAL, PERIOD, 'latest', settings);
    const latest = latestPerContact(answersIn(PERIOD));
    expect(latest.map((a) => a.key).sort()).toEqual(['a2', 'a4', 'a5', 'a7']);
    expect(pick(h, ['n', 'nps', 'marginOfError'])).toEqual(
      pick(expectedNps(scores(latest)), ['n', 'nps', 'marginOfError']),
    );
    expect(h.previous.n).toBe(latestPerContact(answersIn(PREVIOUS)).length);
  });

  it('in "latest" mode gives the same answer whether or not newer answers exist after the period', async () => {
    // Up to 5 July no answer is newer than the period (each person's latest answer overall is used); June has newer ones.
    for (const period of [
      { from: '2026-06-01', to: '2026-07-05' },
      { from: '2026-05-15', to: '2026-06-10' },
    ]) {
      const h = await headline(t.db, PORTAL, period, 'latest', settings);
      const latest = latestPerContact(answersIn(period));
      expect(pick(h, ['n', 'nps', 'marginOfError']), JSON.stringify(period)).toEqual(
        pick(expectedNps(scores(latest)), ['n', 'nps', 'marginOfError']),
      );
    }
  });

  it('flags a period with fewer answers than the minimum', async () => {
    const h = await headline(t.db, PORTAL, { from: '2026-06-02', to: '2026-06-02' }, 'all', {
      target: 50,
      minAnswers: 30,
    });
    expect(h).toMatchObject({ n: 1, nps: 100, marginOfError: null, tooFew: true });
  });
});

describe('trend', () => {
  it('gives each week its NPS, margin, count and category shares, including weeks without answers', async () => {
    const tr = await trend(t.db, PORTAL, PERIOD, 'week', 'all', 3);
    expect(tr.points.map((p) => [p.bucket, p.from, p.to])).toEqual([
      ['2026-06-01', '2026-06-01', '2026-06-07'],
      ['2026-06-08', '2026-06-08', '2026-06-14'],
      ['2026-06-15', '2026-06-15', '2026-06-21'],
      ['2026-06-22', '2026-06-22', '2026-06-28'],
      ['2026-06-29', '2026-06-29', '2026-06-30'],
    ]);
    for (const p of tr.points) {
      const inWeek = answersIn({ from: p.from, to: p.to });
      const e = expectedNps(scores(inWeek));
      expect(pick(p, ['n', 'nps', 'marginOfError'])).toEqual(pick(e, ['n', 'nps', 'marginOfError']));
      if (e.n) expect(p.shares.promoters).toBe(Math.round((e.promoters / e.n) * 1000) / 10);
    }
  });

  it('by month in "latest" mode keeps one answer per person per month', async () => {
    const tr = await trend(t.db, PORTAL, { from: '2026-05-01', to: '2026-06-30' }, 'month', 'latest', 3);
    const may = latestPerContact(answersIn({ from: '2026-05-01', to: '2026-05-31' }));
    const june = latestPerContact(answersIn(PERIOD));
    expect(tr.points.map((p) => p.n)).toEqual([may.length, june.length]);
    expect(tr.points.map((p) => p.nps)).toEqual([expectedNps(scores(may)).nps, expectedNps(scores(june)).nps]);
  });
});

describe('distribution', () => {
  it('gives the 0–10 histogram, response rates by trigger and channel, reminder lift and skips by reason', async () => {
    const d = await distribution(t.db, PORTAL, PERIOD, 'all');
    const inPeriod = answersIn(PERIOD);
    expect(d.histogram.map((h) => h.count)).toEqual(
      Array.from({ length: 11 }, (_, s) => inPeriod.filter((a) => a.score === s).length),
    );
    // Sent in June: i1 (deal, email, answered), i2 (ticket, email, answered after reminder), i3 (ticket, hubspot, reminded only).
    expect(d.responseRate.overall).toEqual({ key: 'all', sent: 3, answered: 2, rate: 66.7 });
    expect(d.responseRate.byTrigger).toEqual([
      { key: 'ticket', sent: 2, answered: 1, rate: 50 },
      { key: 'deal', sent: 1, answered: 1, rate: 100 },
    ]);
    expect(d.responseRate.byChannel).toEqual([
      { key: 'email', sent: 2, answered: 2, rate: 100 },
      { key: 'hubspot', sent: 1, answered: 0, rate: 0 },
    ]);
    expect(d.reminders).toEqual({ reminded: 2, answeredAfterReminder: 1, liftPoints: 33.3, shareOfAnswers: 50 });
    expect(d.skips).toEqual({
      total: 2,
      byReason: [
        { reason: 'opted_out', count: 1 },
        { reason: 'quiet_period', count: 1 },
      ],
    });
  });
});

describe('segments', () => {
  const contactOf = (a: (typeof ANSWERS)[number]) => CONTACTS.find((c) => c.id === a.contact)!;
  const cases: Array<{
    name: 'owner' | 'tenure' | 'industry' | 'company' | 'trigger' | 'lifecycle';
    valueOf: (a: (typeof ANSWERS)[number]) => string;
  }> = [
    { name: 'owner', valueOf: (a) => contactOf(a).owner },
    { name: 'tenure', valueOf: (a) => contactOf(a).tenure },
    {
      name: 'industry',
      valueOf: (a) => (({ 501: 'Retail', 502: 'Software' }) as Record<number, string>)[contactOf(a).company ?? 0] ?? '',
    },
    { name: 'company', valueOf: (a) => String(contactOf(a).company ?? '') },
    { name: 'trigger', valueOf: (a) => a.trigger },
    { name: 'lifecycle', valueOf: (a) => contactOf(a).lifecycle },
  ];
  it.each(cases)(
    'by $name: each value has its NPS and margin and is compared with the rest',
    async ({ name, valueOf }) => {
      const [split] = await segments(t.db, PORTAL, PERIOD, {
        mode: 'all',
        dimensions: [name],
        limit: 50,
        minAnswers: 3,
      });
      const inPeriod = answersIn(PERIOD);
      const values = [...new Set(inPeriod.map(valueOf))];
      expect(split!.n).toBe(inPeriod.length);
      expect(split!.values.map((v) => v.value).sort()).toEqual(values.sort());
      for (const v of split!.values) {
        const mine = inPeriod.filter((a) => valueOf(a) === v.value);
        const rest = inPeriod.filter((a) => valueOf(a) !== v.value);
        const e = expectedNps(scores(mine));
        expect(pick(v, ['n', 'nps', 'marginOfError', 'tooFew'])).toEqual({
          ...pick(e, ['n', 'nps', 'marginOfError']),
          tooFew: e.n < 3,
        });
        const r = expectedNps(scores(rest));
        if (e.nps !== null && r.nps !== null && e.marginOfError !== null && r.marginOfError !== null) {
          expect(v.vsRest.difference).toBe(Math.round((e.nps - r.nps) * 10) / 10);
        }
      }
    },
  );

  it('labels companies by name and unknown values as such, and lists the largest values first', async () => {
    const [company] = await segments(t.db, PORTAL, PERIOD, {
      mode: 'all',
      dimensions: ['company'],
      limit: 50,
      minAnswers: 3,
    });
    expect(company!.values.map((v) => [v.value, v.label, v.n])).toEqual([
      ['501', 'Acme', 4],
      ['502', 'Globex', 2],
      ['', '(unknown)', 1],
    ]);
    const [limited] = await segments(t.db, PORTAL, PERIOD, {
      mode: 'all',
      dimensions: ['company'],
      limit: 1,
      minAnswers: 3,
    });
    expect(limited!.values).toHaveLength(1);
    expect(limited!.valuesTotal).toBe(3);
  });

  it('counts each company over any span of days, including periods that start and end mid-history', async () => {
    for (const period of [
      { from: '2026-05-02', to: '2026-06-15' },
      { from: '2026-06-03', to: '2026-06-24' },
      { from: '2026-04-01', to: '2026-07-31' },
    ]) {
      const [company] = await segments(t.db, PORTAL, period, {
        mode: 'all',
        dimensions: ['company'],
        limit: 50,
        minAnswers: 3,
      });
      const inPeriod = answersIn(period);
      const byCompany = new Map<string, number[]>();
      for (const a of inPeriod) {
        const key = String(CONTACTS.find((c) => c.id === a.contact)!.company ?? '');
        byCompany.set(key, [...(byCompany.get(key) ?? []), a.score]);
      }
      const got = Object.fromEntries(company!.values.map((v) => [v.value, pick(v, ['n', 'nps'])]));
      const want = Object.fromEntries([...byCompany].map(([k, list]) => [k, pick(expectedNps(list), ['n', 'nps'])]));
      expect(got, JSON.stringify(period)).toEqual(want);
    }
  });

  it('in "latest" mode splits each person\'s latest answer', async () => {
    const [owner] = await segments(t.db, PORTAL, PERIOD, {
      mode: 'latest',
      dimensions: ['owner'],
      limit: 50,
      minAnswers: 3,
    });
    const latest = latestPerContact(answersIn(PERIOD));
    for (const v of owner!.values) {
      const mine = latest.filter((a) => contactOf(a).owner === v.value);
      expect(pick(v, ['n', 'nps'])).toEqual(pick(expectedNps(scores(mine)), ['n', 'nps']));
    }
  });

  it('in "latest" mode every dimension splits the same people', async () => {
    const all = await segments(t.db, PORTAL, PERIOD, { mode: 'latest', limit: 50, minAnswers: 3 });
    const latest = latestPerContact(answersIn(PERIOD));
    expect(all.map((x) => [x.name, x.n])).toEqual(
      ['trigger', 'pipeline', 'stage', 'owner', 'company', 'industry', 'lifecycle', 'language', 'tenure'].map((d) => [
        d,
        latest.length,
      ]),
    );
    const tenure = all.find((x) => x.name === 'tenure')!;
    expect(Object.fromEntries(tenure.values.map((v) => [v.value, v.n]))).toEqual({
      lt3m: 1,
      '1to2y': 1,
      '2yplus': 1,
      '3to12m': 1,
    });
  });

  it('returns every dimension when none is asked for', async () => {
    const all = await segments(t.db, PORTAL, PERIOD, { mode: 'all', limit: 50, minAnswers: 3 });
    expect(all.map((s) => s.name)).toEqual([
      'trigger',
      'pipeline',
      'stage',
      'owner',
      'company',
      'industry',
      'lifecycle',
      'language',
      'tenure',
    ]);
    expect(all.every((s) => s.n === answersIn(PERIOD).length)).toBe(true);
  });
});

describe('heroes', () => {
  it('gives each owner their NPS, promoters, median close-the-loop time and SLA share by category', async () => {
    const h = await heroes(t.db, PORTAL, PERIOD, {
      mode: 'all',
      minAnswers: 3,
      limit: 50,
      now: NOW,
      dueBusinessDays: sla,
    });
    const byOwner = new Map(h.heroes.map((x) => [x.ownerId, x]));
    for (const owner of ['11', '22']) {
      const mine = answersIn(PERIOD).filter((a) => CONTACTS.find((c) => c.id === a.contact)!.owner === owner);
      const e = expectedNps(scores(mine));
      expect(pick(byOwner.get(owner)!, ['n', 'nps', 'marginOfError', 'promoters'])).toEqual(
        pick(e, ['n', 'nps', 'marginOfError', 'promoters']),
      );
    }
    // Owner 11: a2 closed after 5 h (due later: in SLA), a1 closed after 24 h (in SLA); a3's task was deleted.
    const o11 = byOwner.get('11')!;
    expect(o11.followUps).toEqual({ opened: 2, closed: 2 });
    expect(o11.medianCloseHours).toBe(medianFromHistogram(histogramOf([5, 24]), CLOSE_BUCKET_BOUNDS_HOURS));
    expect(o11.sla.detractor).toEqual({ dueBusinessDays: 1, decided: 1, closedWithinSla: 1, share: 100 });
    expect(o11.sla.promoter).toEqual({ dueBusinessDays: 5, decided: 1, closedWithinSla: 1, share: 100 });
    // Owner 22: a5 closed after 48 h, a day late; a6 open past its due time (a miss); a7 open but not due yet (undecided).
    const o22 = byOwner.get('22')!;
    expect(o22.followUps).toEqual({ opened: 3, closed: 1 });
    expect(o22.medianCloseHours).toBe(medianFromHistogram(histogramOf([48]), CLOSE_BUCKET_BOUNDS_HOURS));
    expect(o22.sla.detractor).toMatchObject({ decided: 1, closedWithinSla: 0, share: 0 });
    expect(o22.sla.promoter).toMatchObject({ decided: 1, closedWithinSla: 0, share: 0 });
    expect(o22.sla.passive).toMatchObject({ decided: 0, closedWithinSla: 0, share: null });
    expect(FOLLOW_UPS).toHaveLength(6);
  });

  it('ranks owners with enough answers by NPS before those with too few', async () => {
    const h = await heroes(t.db, PORTAL, PERIOD, {
      mode: 'all',
      minAnswers: 4,
      limit: 50,
      now: NOW,
      dueBusinessDays: sla,
    });
    expect(h.heroes.map((x) => [x.ownerId, x.tooFew])).toEqual([
      ['11', false],
      ['22', true],
    ]);
  });
});

describe('comments', () => {
  const base = { period: PERIOD, mode: 'all' as const };
  const keysOf = async (f: Parameters<typeof latestComments>[2]) =>
    (await latestComments(t.db, PORTAL, f, 50)).map((c) => [...t.ids].find(([, id]) => id === c.responseId)![0]);

  it('lists the newest comments first with contact, company and deal or ticket', async () => {
    expect(await keysOf(base)).toEqual(['a4', 'a2', 'a6', 'a5', 'a1']);
    const [first] = await latestComments(t.db, PORTAL, { ...base, category: 'promoter' }, 1);
    expect(first).toMatchObject({
      score: 10,
      comment: 'Love it, "really"\nSecond line',
      contact: { id: '4', name: 'Di Dahl' },
      company: { id: '501', name: 'Acme' },
      source: { type: 'deal', pipeline: 'default', stage: 'closedwon' },
    });
  });

  it.each([
    { name: 'category', f: { category: 'detractor' as const }, keys: ['a2', 'a5'] },
    { name: 'segment owner:22', f: { segment: { name: 'owner' as const, value: '22' } }, keys: ['a6', 'a5'] },
    { name: 'unknown company', f: { segment: { name: 'company' as const, value: '' } }, keys: ['a5'] },
    { name: 'search "50%" (the % is literal)', f: { q: '50%' }, keys: ['a1'] },
    { name: 'search "_" (the underscore is literal)', f: { q: '_' }, keys: ['a2'] },
    { name: 'case-insensitive search', f: { q: 'LOVE' }, keys: ['a6'] },
    { name: 'latest answer per person', f: { mode: 'latest' as const }, keys: ['a4', 'a2', 'a5'] },
  ])('filters by $name', async ({ f, keys }) => {
    expect(await keysOf({ ...base, ...f })).toEqual(keys);
  });
});

function histogramOf(hours: number[]): number[] {
  return CLOSE_BUCKET_BOUNDS_HOURS.map(
    (lo, i) =>
      hours.filter(
        (h) => h >= lo && (i + 1 === CLOSE_BUCKET_BOUNDS_HOURS.length || h < CLOSE_BUCKET_BOUNDS_HOURS[i + 1]!),
      ).length,
  );
}
