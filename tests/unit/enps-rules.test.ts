import { describe, expect, it } from 'vitest';
import {
  OTHER,
  UNKNOWN,
  addDays,
  coarsenBands,
  dayOf,
  effectiveThreshold,
  histogramOf,
  nextWaveOpensOn,
  parseTenureBand,
  releaseGroups,
  shuffled,
  sizeOf,
  waveDates,
  type Group,
  type PersonBands,
} from '../../src/enps/enps.rules';
import { answerKey, invitationHash, looksLikeToken, newToken } from '../../src/enps/enps.tokens';

// The pure rules behind eNPS anonymity: bands, rounding, the threshold, and the release guard.

/** A seeded generator (mulberry32), so a failing case can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const intBelow = (r: () => number, n: number) => Math.floor(r() * n);

describe('tenure bands', () => {
  it.each([
    ['<1y', '<1y'],
    ['under 1 year', '<1y'],
    ['1-2', '1-2y'],
    ['1–2 years', '1-2y'],
    ['2-5y', '2-5y'],
    ['5+', '5y+'],
    ['5y+', '5y+'],
    ['', UNKNOWN],
  ])('"%s" is %s', (text, band) => expect(parseTenureBand(text)).toBe(band));

  it.each(['3 years', 'seven', '1-3'])('"%s" is not a band', (text) => expect(parseTenureBand(text)).toBeUndefined());
});

describe('time and threshold', () => {
  it('keeps only the UTC day of an answer', () => {
    expect(dayOf(new Date('2026-03-02T23:59:59.999Z'))).toBe('2026-03-02');
    expect(dayOf(new Date('2026-03-03T00:00:00.000Z'))).toBe('2026-03-03');
  });

  it('never lets the threshold go below 3', () => {
    expect([1, 2, 3, 5, 7.9, 12].map(effectiveThreshold)).toEqual([3, 3, 3, 5, 7, 12]);
  });

  it('plans a wave: the reminder falls inside it, the next one a cadence later', () => {
    expect(waveDates('2026-03-02', 14, 7)).toEqual({
      opensOn: '2026-03-02',
      remindOn: '2026-03-09',
      closesOn: '2026-03-16',
    });
    expect(waveDates('2026-03-02', 3, 7).remindOn).toBe('2026-03-04');
    expect(nextWaveOpensOn('quarterly', '2026-01-15', '2026-03-02')).toBe('2026-04-15');
    expect(nextWaveOpensOn('monthly', '2026-01-31', '2026-03-02')).toBe('2026-03-03');
    expect(nextWaveOpensOn('manual', '2026-01-15', '2026-03-02')).toBeNull();
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
  });
});

describe('tokens', () => {
  it('keeps two unrelated hashes of one token, neither equal to the token', () => {
    const token = newToken();
    expect(looksLikeToken(token)).toBe(true);
    expect(invitationHash(token).equals(answerKey(token))).toBe(false);
    expect(invitationHash(token).toString('base64url')).not.toBe(token);
    expect(newToken()).not.toBe(token);
  });
});

describe('stored bands (coarsening against who was invited)', () => {
  const person = (team: string, tenure = UNKNOWN, location = UNKNOWN): PersonBands => ({ team, tenure, location });

  it('keeps a team of at least k and folds smaller ones into "other"', () => {
    const invitees = [
      ...Array(5).fill(person('Sales')),
      ...Array(6).fill(person('Support')),
      ...Array(3).fill(person('Legal')),
      ...Array(2).fill(person('IT')),
    ];
    expect(coarsenBands(person('Sales'), invitees, 5).team).toBe('Sales');
    expect(coarsenBands(person('Legal'), invitees, 5).team).toBe(OTHER);
    expect(coarsenBands(person('IT'), invitees, 5).team).toBe(OTHER);
  });

  it('folds the smallest kept team into "other" when "other" alone would be too small', () => {
    const invitees = [...Array(5).fill(person('Sales')), ...Array(9).fill(person('Support')), person('CEO office')];
    expect(coarsenBands(person('CEO office'), invitees, 5).team).toBe(OTHER);
    expect(coarsenBands(person('Sales'), invitees, 5).team).toBe(OTHER);
    expect(coarsenBands(person('Support'), invitees, 5).team).toBe('Support');
  });

  it('drops tenure and location before they single anyone out', () => {
    const invitees = [
      ...Array(5).fill(person('Sales', '1-2y', 'Aarhus')),
      ...Array(5).fill(person('Sales', '2-5y', 'Oslo')),
      person('Sales', '<1y', 'Aarhus'),
    ];
    expect(coarsenBands(person('Sales', '1-2y', 'Aarhus'), invitees, 5)).toEqual(person('Sales', '1-2y', 'Aarhus'));
    // The newcomer is alone in <1y: tenure goes, and the smallest kept band joins "unknown" with them.
    const newcomer = coarsenBands(person('Sales', '<1y', 'Aarhus'), invitees, 5);
    expect(newcomer.tenure).toBe(UNKNOWN);
  });

  it('stores only combinations that stand for at least k invitees (random rosters)', () => {
    const r = rng(17);
    for (let round = 0; round < 300; round++) {
      const k = 3 + intBelow(r, 4);
      const n = k + intBelow(r, 40);
      const invitees = Array.from({ length: n }, () =>
        person(
          `team${intBelow(r, 6)}`,
          ['<1y', '1-2y', '2-5y', '5y+', UNKNOWN][intBelow(r, 5)]!,
          `loc${intBelow(r, 3)}`,
        ),
      );
      const stored = invitees.map((p) => JSON.stringify(coarsenBands(p, invitees, k)));
      const cells = new Map<string, number>();
      for (const s of stored) cells.set(s, (cells.get(s) ?? 0) + 1);
      for (const [cell, size] of cells) expect(size, `round ${round}, k ${k}, cell ${cell}`).toBeGreaterThanOrEqual(k);
    }
  });
});

/** The released sets of one wave as 0/1 vectors over its answers: total, each shown group, "other". */
function releasedSets(groupSizes: number[], k: number): number[][] {
  const owners: number[] = groupSizes.flatMap((size, g) => Array<number>(size).fill(g));
  const groups: Group[] = groupSizes.map((size, g) => ({
    key: `g${g}`,
    histogram: histogramOf(Array(size).fill(g % 11)),
  }));
  const release = releaseGroups(groups, k);
  if (!release.total) return [];
  const shownKeys = new Set(release.shown.map((g) => Number(g.key.slice(1))));
  const sets = [owners.map(() => 1), ...[...shownKeys].map((g) => owners.map((o) => (o === g ? 1 : 0)))];
  if (release.other) sets.push(owners.map((o) => (shownKeys.has(o) ? 0 : 1)));
  return sets;
}

/** The smallest group of answers some sum or difference of released sets (coefficients −1, 0, 1) isolates. */
function smallestIsolated(sets: number[][]): number | null {
  let smallest: number | null = null;
  const n = sets.length;
  const width = sets[0]?.length ?? 0;
  for (let code = 1; code < 3 ** n; code++) {
    const v = Array<number>(width).fill(0);
    let c = code;
    for (let i = 0; i < n; i++, c = Math.floor(c / 3)) {
      const coef = (c % 3) - 1;
      if (coef !== 0) sets[i]!.forEach((x, j) => (v[j]! += coef * x));
    }
    if (v.every((x) => x === 0 || x === 1)) {
      const size = v.filter((x) => x === 1).length;
      if (size > 0 && (smallest === null || size < smallest)) smallest = size;
    }
  }
  return smallest;
}

describe('release guard: no view, and no sum or difference of views, isolates fewer than k answers', () => {
  it('merges the smallest shown group when "total minus the others" would single out a small group', () => {
    const release = releaseGroups(
      [
        { key: 'A', histogram: histogramOf([9, 9, 9, 9, 9]) },
        { key: 'B', histogram: histogramOf([0, 1, 2, 3, 4]) },
        { key: 'C', histogram: histogramOf([10, 0]) },
      ],
      5,
    );
    expect(release.shown.map((g) => g.key)).toEqual(['A']);
    expect(sizeOf(release.other!)).toBe(7);
  });

  it('shows nothing at all when fewer than k answered', () => {
    expect(releaseGroups([{ key: 'A', histogram: histogramOf([1, 2, 3, 4]) }], 5)).toEqual({
      total: null,
      shown: [],
      other: null,
      merged: 1,
    });
  });

  it('is exhaustive over every combination of released sets, at every threshold edge', () => {
    const r = rng(42);
    let checked = 0;
    for (let round = 0; round < 400; round++) {
      const k = 3 + intBelow(r, 4);
      const groupSizes = Array.from({ length: 1 + intBelow(r, 6) }, () => intBelow(r, 2 * k + 1));
      const sets = releasedSets(groupSizes, k);
      if (sets.length === 0) continue;
      checked++;
      const smallest = smallestIsolated(sets);
      expect(smallest === null || smallest >= k, `k ${k}, groups ${groupSizes.join('/')}: isolates ${smallest}`).toBe(
        true,
      );
    }
    expect(checked).toBeGreaterThan(300);
  });

  it('the check has teeth: without complementary suppression it finds the leak', () => {
    // Naive release: total, A and B shown, C (2 answers) hidden — total − A − B is C.
    const owners = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2];
    const naive = [owners.map(() => 1), owners.map((o) => (o === 0 ? 1 : 0)), owners.map((o) => (o === 1 ? 1 : 0))];
    expect(smallestIsolated(naive)).toBe(2);
  });
});

describe('comments', () => {
  it('come back in a different order but complete', () => {
    const items = Array.from({ length: 20 }, (_, i) => `c${i}`);
    const out = shuffled(items, rng(3));
    expect([...out].sort()).toEqual([...items].sort());
    expect(out).not.toEqual(items);
  });
});
