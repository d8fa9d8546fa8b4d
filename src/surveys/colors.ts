// Brand colours come from settings and can be anything (#ffeb3b yellow, #ffffff). Survey pages and emails put
// white text on the brand colour and use it for borders on white, so the colour is darkened until it reaches
// WCAG AA contrast (4.5:1) against white. A brand colour that already passes is used unchanged.

const AA_TEXT = 4.5;

function channels(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new RangeError(`not a #rrggbb colour: ${hex}`);
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
}

function toHex([r, g, b]: [number, number, number]): string {
  return `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

/** WCAG 2 relative luminance of a #rrggbb colour. */
function relativeLuminance(hex: string): number {
  const [r, g, b] = channels(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio between two colours (1..21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The brand colour, darkened just enough for white text on it (and it on white) to pass WCAG AA. */
export function accessibleAccent(brandHex: string): string {
  let rgb = channels(brandHex);
  for (let i = 0; i < 100 && contrastRatio(toHex(rgb), '#ffffff') < AA_TEXT; i++) {
    rgb = rgb.map((c) => c * 0.95) as [number, number, number];
  }
  return toHex(rgb);
}
