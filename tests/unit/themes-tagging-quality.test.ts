import { describe, expect, it } from 'vitest';
import labelled from '../fixtures/themes/labelled-comments.json';
import adminThemes from '../fixtures/themes/admin-themes.json';
import { compileTheme, tagComment, type ThemeKeywords } from '../../src/themes/tagging';
import { THEME_LANGUAGES, type ThemeLanguage } from '../../src/themes/language';

// Precision and recall of tagging on comments written and labelled by hand, with themes an admin defined after
// writing them (tests/fixtures/themes). Micro-averaged over every (comment, theme) pair.

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

const themes = adminThemes.themes.map((t) =>
  compileTheme({ id: t.name, name: t.name, keywords: t.keywords as ThemeKeywords }),
);

function measure() {
  const perLanguage = new Map<ThemeLanguage, Counts>(THEME_LANGUAGES.map((l) => [l, { tp: 0, fp: 0, fn: 0 }]));
  const mistakes: string[] = [];
  for (const c of labelled.comments) {
    const language = c.language as ThemeLanguage;
    const found = new Set(tagComment(c.text, language, themes).map((m) => m.themeId));
    const expected = new Set(c.themes);
    const counts = perLanguage.get(language)!;
    for (const t of found) {
      if (expected.has(t)) counts.tp++;
      else {
        counts.fp++;
        mistakes.push(`${language} +${t}: ${c.text}`);
      }
    }
    for (const t of expected)
      if (!found.has(t)) {
        counts.fn++;
        mistakes.push(`${language} -${t}: ${c.text}`);
      }
  }
  return { perLanguage, mistakes };
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);

describe('tagging quality on the labelled comments', () => {
  it('has at least 200 comments in the four languages, each labelled with known themes', () => {
    expect(labelled.comments.length).toBeGreaterThanOrEqual(200);
    const names = new Set(adminThemes.themes.map((t) => t.name));
    for (const language of THEME_LANGUAGES)
      expect(labelled.comments.filter((c) => c.language === language).length).toBeGreaterThanOrEqual(40);
    for (const c of labelled.comments) for (const t of c.themes) expect(names.has(t)).toBe(true);
  });

  it('reaches precision and recall of at least 0.85 (micro-averaged)', () => {
    const { perLanguage, mistakes } = measure();
    const total: Counts = { tp: 0, fp: 0, fn: 0 };
    const lines: string[] = [];
    for (const [language, c] of perLanguage) {
      total.tp += c.tp;
      total.fp += c.fp;
      total.fn += c.fn;
      lines.push(
        `${language}: precision ${ratio(c.tp, c.tp + c.fp).toFixed(3)} recall ${ratio(c.tp, c.tp + c.fn).toFixed(3)} (tp ${c.tp}, fp ${c.fp}, fn ${c.fn})`,
      );
    }
    const precision = ratio(total.tp, total.tp + total.fp);
    const recall = ratio(total.tp, total.tp + total.fn);
    lines.push(
      `all: precision ${precision.toFixed(3)} recall ${recall.toFixed(3)} (tp ${total.tp}, fp ${total.fp}, fn ${total.fn})`,
    );
    console.log(`${lines.join('\n')}\nmistakes:\n${mistakes.join('\n')}`);
    expect(precision).toBeGreaterThanOrEqual(0.85);
    expect(recall).toBeGreaterThanOrEqual(0.85);
  });
});
