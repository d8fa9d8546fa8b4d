import { describe, expect, it } from 'vitest';
import { buttonContrastProblem, contrastRatio, formatRatio, relativeLuminance } from '../../src/workspace/contrast';

// WCAG 2.x contrast, checked against values published with the definition and by common tools.

describe('contrast', () => {
  it('has the ends of the scale right: black on white 21:1, a colour on itself 1:1', () => {
    expect(relativeLuminance('#000000')).toBe(0);
    expect(relativeLuminance('#FFFFFF')).toBe(1);
    expect(contrastRatio('#ffffff', '#000000')).toBe(21);
    expect(contrastRatio('#000000', '#ffffff')).toBe(21);
    expect(contrastRatio('#1f5fbf', '#1f5fbf')).toBe(1);
  });

  it('matches known ratios: #767676 is the lightest grey that passes 4.5:1 on white, #777777 just fails', () => {
    expect(contrastRatio('#ffffff', '#767676')).toBeCloseTo(4.54, 2);
    expect(contrastRatio('#ffffff', '#777777')).toBeCloseTo(4.48, 2);
    expect(contrastRatio('#ffffff', '#ff0000')).toBeCloseTo(4.0, 2);
    expect(contrastRatio('#ffffff', '#ffd700')).toBeCloseTo(1.4, 2);
  });

  it('rounds the shown ratio down, so a failing colour never reads as 4.5:1', () => {
    expect(formatRatio(4.4999)).toBe('4.49:1');
    expect(formatRatio(21)).toBe('21.00:1');
  });

  it('accepts white text on the default brand colour and refuses it on yellow, naming the ratio', () => {
    expect(buttonContrastProblem('#1f5fbf')).toBeUndefined();
    expect(buttonContrastProblem('#767676')).toBeUndefined();
    expect(buttonContrastProblem('#777777')).toBe(
      'White button text on #777777 has a contrast ratio of 4.47:1; it needs at least 4.5:1. Choose a darker colour.',
    );
    expect(() => relativeLuminance('red')).toThrow('not a #rrggbb colour');
  });
});
