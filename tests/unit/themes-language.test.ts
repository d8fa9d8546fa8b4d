import { describe, expect, it } from 'vitest';
import { stemWord, themeLanguageOf, tokenize } from '../../src/themes/language';
import { compileTheme, tagComment } from '../../src/themes/tagging';
import { extractCandidates, logOddsZ } from '../../src/themes/extraction';

describe('tokenize', () => {
  it('splits English into lower-cased stemmed words and marks stop words', () => {
    const tokens = tokenize("The support team doesn't reply; response times are slow.", 'en');
    expect(tokens.map((t) => t.word)).toEqual([
      'the',
      'support',
      'team',
      "doesn't",
      'reply',
      'response',
      'times',
      'are',
      'slow',
    ]);
    expect(tokens.filter((t) => t.stop).map((t) => t.word)).toEqual(['the', "doesn't", 'are']);
    expect(tokens.find((t) => t.word === 'times')?.stem).toBe('time');
    expect(new Set(tokens.map((t) => t.clause))).toEqual(new Set([0, 1]));
  });

  it('stems Danish, Swedish and German inflections to one stem', () => {
    expect(stemWord('prisen', 'da')).toBe(stemWord('priser', 'da'));
    expect(stemWord('buggar', 'sv')).toBe(stemWord('bugg', 'sv'));
    expect(stemWord('Preise', 'de')).toBe(stemWord('Preis', 'de'));
    expect(stemWord('Antwortzeiten', 'de')).toBe(stemWord('Antwortzeit', 'de'));
  });

  it('keeps letters with diacritics inside words', () => {
    expect(tokenize('Gränssnittet är rörigt', 'sv').map((t) => t.word)).toEqual(['gränssnittet', 'är', 'rörigt']);
    expect(tokenize('Die Oberfläche ist unübersichtlich', 'de').map((t) => t.word)).toContain('unübersichtlich');
  });

  it('maps stored languages to ours and falls back for the rest', () => {
    expect(themeLanguageOf('da')).toBe('da');
    expect(themeLanguageOf('de-AT')).toBe('de');
    expect(themeLanguageOf(null)).toBe('en');
    expect(themeLanguageOf('nb', 'sv')).toBe('sv');
  });
});

describe('tagComment', () => {
  const support = compileTheme({
    id: 's',
    name: 'support',
    keywords: { en: ['support', 'response time'], da: ['support', 'svartid'], de: ['Support'], sv: ['kundtjänst'] },
  });
  const ease = compileTheme({ id: 'e', name: 'ease', keywords: { en: ['easy to use'] } });

  it('matches inflections and phrases on stems', () => {
    expect(tagComment('Response times are terrible', 'en', [support]).map((m) => m.themeId)).toEqual(['s']);
    expect(tagComment('Not supported at all', 'en', [support])).toHaveLength(1);
  });

  it('matches Danish and German compounds by their parts', () => {
    expect(tagComment('Svartiden er alt for lang', 'da', [support])[0]?.words).toEqual(['svartiden']);
    expect(tagComment('Der Supportmitarbeiter war freundlich', 'de', [support])).toHaveLength(1);
    expect(tagComment('Kundtjänsten svarar aldrig', 'sv', [support])).toHaveLength(1);
  });

  it('keeps the stop words of a phrase, so a phrase does not shrink to one common word', () => {
    expect(tagComment('Easy to use, even for new staff', 'en', [ease])).toHaveLength(1);
    expect(tagComment('We use it daily', 'en', [ease])).toHaveLength(0);
  });

  it('uses only the keywords of the comment language', () => {
    expect(tagComment('svartid', 'en', [support])).toHaveLength(0);
    expect(
      tagComment('Phrases never cross sentences: response. Time', 'en', [
        compileTheme({ id: 'x', name: 'x', keywords: { en: ['response time'] } }),
      ]),
    ).toHaveLength(0);
  });
});

describe('extractCandidates', () => {
  it('ranks the phrase that dominates the target first and explains it with counts in and out', () => {
    const target = [
      'Support response time is far too slow',
      'The support response time was awful this month',
      'Support response times keep getting worse',
      'Waiting days for support response time to improve',
      'Price is high',
    ];
    const rest = ['Price is fair', 'Great reports and price', 'Easy to use', 'Support was nice', 'Reports are useful'];
    const comments = [
      ...target.map((text) => ({ text, language: 'en' as const, inTarget: true })),
      ...rest.map((text) => ({ text, language: 'en' as const, inTarget: false })),
    ];
    const [top] = extractCandidates(comments, { limit: 5 });
    expect(top?.phrase).toBe('support response time');
    expect(top).toMatchObject({ countIn: 4, totalIn: 5, countOut: 0, totalOut: 5 });
    expect(top!.score).toBeGreaterThan(0);
  });

  it('scores a phrase as common in both groups near zero', () => {
    expect(Math.abs(logOddsZ(10, 100, 10, 100, 1, 10))).toBeLessThan(1e-9);
    expect(logOddsZ(30, 100, 5, 100, 1, 10)).toBeGreaterThan(2);
  });
});
