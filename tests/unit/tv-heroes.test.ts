import { describe, expect, it } from 'vitest';
import { firstNameOnly, tvHeroes } from '../../src/insights/tv-heroes';

// The office TV names only owners who earned promoters and reach the company's NPS, by promoters earned.

const owner = (label: string, nps: number | null, promoters: number) => ({ ownerId: label, label, nps, promoters });

describe('who the TV celebrates', () => {
  it('leaves out an owner at −40 however many promoters they earned', () => {
    const owners = [owner('Ann', -40, 9), owner('Ben', 35, 2)];
    expect(tvHeroes(owners, 30, 5).map((o) => o.label)).toEqual(['Ben']);
  });

  it('needs promoters earned and an NPS at or above the portal NPS (equal counts)', () => {
    const owners = [
      owner('At bar', 30, 1),
      owner('No promoters', 50, 0),
      owner('Below', 29.9, 4),
      owner('No NPS', null, 0),
    ];
    expect(tvHeroes(owners, 30, 5).map((o) => o.label)).toEqual(['At bar']);
  });

  it('ranks by promoters earned, then NPS, then name, and keeps the first few', () => {
    const owners = [
      owner('Cem', 60, 3),
      owner('Bea', 80, 3),
      owner('Dan', 90, 1),
      owner('Ada', 80, 3),
      owner('Eli', 40, 7),
    ];
    expect(tvHeroes(owners, 10, 5).map((o) => o.label)).toEqual(['Eli', 'Ada', 'Bea', 'Cem', 'Dan']);
    expect(tvHeroes(owners, 10, 2).map((o) => o.label)).toEqual(['Eli', 'Ada']);
  });

  it('never celebrates the answers of contacts without an owner', () => {
    const owners = [{ ownerId: '', label: '(no owner)', nps: 100, promoters: 6 }, owner('Ben', 40, 1)];
    expect(tvHeroes(owners, 30, 5).map((o) => o.label)).toEqual(['Ben']);
  });

  it('celebrates nobody when nobody qualifies or the portal has no NPS yet', () => {
    expect(tvHeroes([owner('Ann', -40, 2), owner('Ben', 10, 0)], 0, 5)).toEqual([]);
    expect(tvHeroes([owner('Ann', 100, 1)], null, 5)).toEqual([]);
  });
});

describe('names on the office screen', () => {
  it('keeps the first name only', () => {
    expect(firstNameOnly('Ada Lovelace')).toBe('Ada');
    expect(firstNameOnly('  Bo  Berg ')).toBe('Bo');
    expect(firstNameOnly(null)).toBe('A customer');
    expect(firstNameOnly('  ')).toBe('A customer');
  });
});
