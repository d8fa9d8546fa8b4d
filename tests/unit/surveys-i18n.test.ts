import { describe, expect, it } from 'vitest';
import {
  CATALOGUES,
  SURVEY_LANGUAGES,
  formatDate,
  languageFromAcceptHeader,
  normaliseLanguage,
  translator,
} from '../../src/surveys/i18n';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogues', () => {
  const reference = CATALOGUES.en;

  it.each(SURVEY_LANGUAGES.filter((l) => l !== 'en'))('%s has every key of en.json and no others', (lang) => {
    expect(Object.keys(CATALOGUES[lang]).sort()).toEqual(Object.keys(reference).sort());
  });

  it.each(SURVEY_LANGUAGES)('%s uses the same placeholders as English in every message, and none is empty', (lang) => {
    for (const [key, english] of Object.entries(reference)) {
      const text = (CATALOGUES[lang] as Record<string, string>)[key]!;
      expect(text.trim(), `${lang} ${key}`).not.toBe('');
      expect(placeholders(text), `${lang} ${key}`).toEqual(placeholders(english));
    }
  });

  it('holds the NPS question and scale wording the issue asks for', () => {
    const t = translator('en');
    expect(t('survey.question', { brand: 'Acme' })).toBe(
      'How likely are you to recommend Acme to a friend or colleague?',
    );
    expect(t('survey.scaleLow')).toBe('Not at all likely');
    expect(t('survey.scaleHigh')).toBe('Extremely likely');
    expect(t('survey.reason')).toBe('What is the main reason for your score?');
  });
});

describe('language of a contact', () => {
  it.each([
    ['da', undefined, 'da'],
    ['da-dk', undefined, 'da'],
    ['sv_SE', undefined, 'sv'],
    ['DE', undefined, 'de'],
    ['de-at', undefined, 'de'],
    ['en-us', 'da', 'en'],
    ['nb', undefined, 'en'],
    ['fr', 'sv', 'sv'],
    [null, 'de', 'de'],
    ['', undefined, 'en'],
    [undefined, 'xx', 'en'],
  ])('%s (fallback %s) → %s', (value, fallback, expected) => {
    expect(normaliseLanguage(value, fallback)).toBe(expected);
  });

  it.each([
    ['da-DK,da;q=0.9,en;q=0.8', 'da'],
    ['fr-FR,fr;q=0.9,sv;q=0.5', 'sv'],
    ['en-GB,de;q=0.9', 'en'],
    ['de;q=0.1,sv;q=0.7', 'sv'],
    ['*', 'en'],
    [undefined, 'en'],
    ['da;q=0', 'en'],
  ])('Accept-Language %s → %s', (header, expected) => {
    expect(languageFromAcceptHeader(header)).toBe(expected);
  });
});

describe('translation', () => {
  it('fills placeholders and leaves unknown ones as written', () => {
    expect(translator('da')('survey.question', { brand: 'Acme' })).toBe(
      'Hvor sandsynligt er det, at du vil anbefale Acme til en ven eller kollega?',
    );
    expect(translator('de')('email.greeting')).toBe('Hallo {name},');
  });

  it.each([
    ['en', 'The reason can be at most 5,000 characters; yours has 5,001.'],
    ['da', 'Begrundelsen må højst være på 5.000 tegn; din er på 5.001.'],
    ['de', 'Die Begründung darf höchstens 5.000 Zeichen lang sein; Ihre hat 5.001.'],
  ] as const)('writes numbers the way %s does', (lang, expected) => {
    expect(translator(lang)('error.commentTooLong', { max: 5000, count: 5001 })).toBe(expected);
  });

  it.each([
    ['en', '31 March 2026'],
    ['da', '31. marts 2026'],
    ['sv', '31 mars 2026'],
    ['de', '31. März 2026'],
  ] as const)('formats dates in %s', (lang, expected) => {
    expect(formatDate(lang, new Date('2026-03-31T12:00:00Z'))).toBe(expected);
  });
});
