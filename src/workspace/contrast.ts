// WCAG 2.x contrast: the survey's buttons put white text on the brand colour, which must reach 4.5:1 (AA for
// normal text) so respondents with low vision can read them.

const MIN_BUTTON_CONTRAST = 4.5;

function channel(hex: string): number {
  const c = parseInt(hex, 16) / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** Relative luminance of a #rrggbb colour, 0 (black) to 1 (white). */
export function relativeLuminance(hex: string): number {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  return 0.2126 * channel(m[1]!) + 0.7152 * channel(m[2]!) + 0.0722 * channel(m[3]!);
}

/** Contrast ratio of two #rrggbb colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** The ratio as people read it, rounded down so 4.499 never shows as the passing "4.5:1". */
export function formatRatio(ratio: number): string {
  return `${(Math.floor(ratio * 100) / 100).toFixed(2)}:1`;
}

/** Why white button text on this colour is too hard to read, or undefined when it is readable. */
export function buttonContrastProblem(color: string): string | undefined {
  const ratio = contrastRatio('#ffffff', color);
  if (ratio >= MIN_BUTTON_CONTRAST) return undefined;
  return `White button text on ${color} has a contrast ratio of ${formatRatio(ratio)}; it needs at least ${MIN_BUTTON_CONTRAST}:1. Choose a darker colour.`;
}
