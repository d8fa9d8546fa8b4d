import { describe, expect, it } from 'vitest';
import { accessibleAccent, contrastRatio } from '../../src/surveys/colors';

describe('brand colour contrast', () => {
  it.each([
    ['#000000', '#ffffff', 21],
    ['#ffffff', '#ffffff', 1],
    ['#777777', '#ffffff', 4.48],
  ])('contrast of %s on %s is %d:1', (a, b, ratio) => {
    expect(contrastRatio(a, b)).toBeCloseTo(ratio, 1);
  });

  it.each([
    ['a dark brand colour that already passes is kept', '#1f5fbf', true],
    ['black is kept', '#000000', true],
    ['a light yellow is darkened', '#ffeb3b', false],
    ['white is darkened', '#ffffff', false],
    ['a mid grey just below AA is darkened', '#777777', false],
  ])('%s', (_what, brand, unchanged) => {
    const accent = accessibleAccent(brand);
    expect(contrastRatio(accent, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(accent === brand).toBe(unchanged);
  });

  it('refuses something that is not a #rrggbb colour', () => {
    expect(() => accessibleAccent('red')).toThrow(RangeError);
  });
});
