import { describe, expect, it } from 'vitest';
import { compareNps, npsOfScores, summarize } from '../../src/core/nps';
import { compareWithRest, countsOfHistogram, directionOf, sharesOf } from '../../src/insights/math';

// Reference formulas written out independently of the implementation: the trinomial variance of p − d is
// (p(1−p) + d(1−d) + 2pd) / n, which expands to the implementation's (p + d − (p − d)²) / n.
const Z = 1.959964;
function reference(scores: number[]) {
  const n = scores.length;
  const p = scores.filter((s) => s >= 9).length / n;
  const d = scores.filter((s) => s <= 6).length / n;
  const variance = (p * (1 - p) + d * (1 - d) + 2 * p * d) / n;
  return { nps: (p - d) * 100, margin: Z * Math.sqrt(variance) * 100, variance };
}
const round1 = (x: number) => Math.round(x * 10) / 10;
const repeat = (score: number, times: number) => Array.from({ length: times }, () => score);

describe('NPS and its margin of error', () => {
  const cases: Array<{ name: string; scores: number[] }> = [
    { name: 'all promoters', scores: repeat(10, 40) },
    { name: 'all detractors', scores: repeat(0, 40) },
    { name: 'half promoters, half detractors', scores: [...repeat(9, 50), ...repeat(3, 50)] },
    { name: 'mixed 45/35/20', scores: [...repeat(10, 45), ...repeat(7, 35), ...repeat(5, 20)] },
    { name: 'small sample', scores: [9, 9, 7, 2, 10] },
    { name: 'every score once', scores: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] },
  ];
  it.each(cases)(
    '$name: NPS = %promoters − %detractors and the 95% margin matches the trinomial formula',
    ({ scores }) => {
      const s = npsOfScores(scores);
      const ref = reference(scores);
      expect(s.n).toBe(scores.length);
      expect(s.nps).toBe(round1(ref.nps));
      expect(s.marginOfError).toBe(round1(ref.margin));
    },
  );

  it('flags fewer answers than the minimum as too few, and counts passives in n but not in the score', () => {
    expect(npsOfScores(repeat(8, 29)).tooFew).toBe(true);
    expect(npsOfScores(repeat(8, 30)).tooFew).toBe(false);
    expect(npsOfScores(repeat(8, 30)).nps).toBe(0);
    expect(summarize({ promoters: 3, passives: 1, detractors: 0 }, 4).tooFew).toBe(false);
  });

  it('has no NPS without answers and no margin from a single answer', () => {
    expect(summarize({ promoters: 0, passives: 0, detractors: 0 })).toMatchObject({
      n: 0,
      nps: null,
      marginOfError: null,
    });
    expect(summarize({ promoters: 1, passives: 0, detractors: 0 })).toMatchObject({
      n: 1,
      nps: 100,
      marginOfError: null,
    });
  });
});

describe('comparing two NPS values', () => {
  const cases = [
    {
      name: 'large samples, large gap',
      a: [...repeat(10, 300), ...repeat(3, 100)],
      b: [...repeat(10, 150), ...repeat(3, 250)],
    },
    { name: 'small samples, same gap', a: [...repeat(10, 6), ...repeat(3, 2)], b: [...repeat(10, 3), ...repeat(3, 5)] },
    { name: 'equal groups', a: [...repeat(9, 20), ...repeat(7, 20)], b: [...repeat(9, 20), ...repeat(7, 20)] },
  ];
  it.each(cases)(
    '$name: the difference is significant only when it exceeds 1.96 standard errors of both samples',
    ({ a, b }) => {
      const ra = reference(a);
      const rb = reference(b);
      const margin = Z * Math.sqrt(ra.variance + rb.variance) * 100;
      const c = compareNps(countsOfHistogram(histogram(a)), countsOfHistogram(histogram(b)));
      expect(c.difference).toBe(round1(round1(ra.nps) - round1(rb.nps)));
      expect(c.marginOfError).toBe(round1(margin));
      expect(c.significant).toBe(Math.abs(round1(ra.nps) - round1(rb.nps)) > margin);
    },
  );

  it('compares a segment with everyone else, not with the total that contains it', () => {
    const segment = { promoters: 80, passives: 10, detractors: 10 };
    const total = { promoters: 100, passives: 50, detractors: 150 };
    const rest = { promoters: 20, passives: 40, detractors: 140 };
    expect(compareWithRest(segment, total)).toEqual(compareNps(segment, rest));
    expect(directionOf(compareWithRest(segment, total))).toBe('up');
    expect(directionOf({ difference: 3, marginOfError: 10, significant: false })).toBe('flat');
  });
});

describe('category shares', () => {
  it.each([
    {
      counts: { promoters: 1, passives: 1, detractors: 1 },
      shares: { promoters: 33.3, passives: 33.3, detractors: 33.3 },
    },
    {
      counts: { promoters: 0, passives: 0, detractors: 0 },
      shares: { promoters: null, passives: null, detractors: null },
    },
    { counts: { promoters: 3, passives: 0, detractors: 1 }, shares: { promoters: 75, passives: 0, detractors: 25 } },
  ])('$counts → $shares', ({ counts, shares }) => {
    expect(sharesOf(counts)).toEqual(shares);
  });
});

function histogram(scores: number[]): number[] {
  const h = Array.from({ length: 11 }, () => 0);
  for (const s of scores) h[s]!++;
  return h;
}
