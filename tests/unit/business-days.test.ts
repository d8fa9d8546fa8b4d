import { describe, expect, it } from 'vitest';
import { addBusinessDays, isBusinessDay } from '../../src/follow-ups/business-days';

// 2026-03-02 is a Monday.
describe('business days', () => {
  it.each([
    ['Monday + 0 stays Monday', '2026-03-02T10:00:00Z', 0, '2026-03-02T10:00:00Z'],
    ['Monday + 1 is Tuesday', '2026-03-02T10:00:00Z', 1, '2026-03-03T10:00:00Z'],
    ['Monday + 3 is Thursday', '2026-03-02T10:00:00Z', 3, '2026-03-05T10:00:00Z'],
    ['Thursday + 1 is Friday', '2026-03-05T10:00:00Z', 1, '2026-03-06T10:00:00Z'],
    ['Friday + 1 is Monday', '2026-03-06T16:30:00Z', 1, '2026-03-09T16:30:00Z'],
    ['Friday + 3 is Wednesday', '2026-03-06T09:00:00Z', 3, '2026-03-11T09:00:00Z'],
    ['Saturday + 1 is Monday', '2026-03-07T12:00:00Z', 1, '2026-03-09T12:00:00Z'],
    ['Sunday + 1 is Monday', '2026-03-08T23:59:00Z', 1, '2026-03-09T23:59:00Z'],
    ['Saturday + 0 rolls to Monday', '2026-03-07T12:00:00Z', 0, '2026-03-09T12:00:00Z'],
    ['Wednesday + 5 is next Wednesday', '2026-03-04T08:00:00Z', 5, '2026-03-11T08:00:00Z'],
    ['Friday + 10 is two weeks later', '2026-03-06T08:00:00Z', 10, '2026-03-20T08:00:00Z'],
    ['across a month end: Friday 27 Feb + 1 is Monday 2 Mar', '2026-02-27T08:00:00Z', 1, '2026-03-02T08:00:00Z'],
  ])('%s', (_name, from, days, expected) => {
    expect(addBusinessDays(new Date(from), days).toISOString()).toBe(new Date(expected).toISOString());
  });

  it('treats Saturday and Sunday as non-business days', () => {
    expect([2, 3, 4, 5, 6, 7, 8].map((d) => isBusinessDay(new Date(`2026-03-0${d}T12:00:00Z`)))).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
  });

  it.each([-1, 1.5, Number.NaN])('rejects %s business days', (days) => {
    expect(() => addBusinessDays(new Date('2026-03-02T00:00:00Z'), days)).toThrow(RangeError);
  });
});
