import snowball from 'snowball-stemmers';
import stopwordsIso from 'stopwords-iso';

// Words of a comment, per language: lower-cased, split on anything that is not a letter or digit, stemmed with the
// Snowball stemmer of the language, and marked when the language's stop-word list (stopwords-iso) has them.

export const THEME_LANGUAGES = ['en', 'da', 'sv', 'de'] as const;
export type ThemeLanguage = (typeof THEME_LANGUAGES)[number];

const SNOWBALL_NAMES: Record<ThemeLanguage, string> = { en: 'english', da: 'danish', sv: 'swedish', de: 'german' };

/** Danish, Swedish and German write compounds as one word ("kundeservicen", "Supportanfrage"). */
export const COMPOUNDING: ReadonlySet<ThemeLanguage> = new Set(['da', 'sv', 'de']);

export interface Token {
  /** The word as written, lower-cased. */
  word: string;
  stem: string;
  stop: boolean;
  /** Index of the clause (text between punctuation) the word is in: phrases never cross clauses. */
  clause: number;
}

const stemmers = new Map<ThemeLanguage, { stem(term: string): string }>();
const stopLists = new Map<ThemeLanguage, ReadonlySet<string>>();

function stemmerFor(language: ThemeLanguage) {
  let s = stemmers.get(language);
  if (!s) {
    s = snowball.newStemmer(SNOWBALL_NAMES[language]);
    stemmers.set(language, s);
  }
  return s;
}

function stopWordsFor(language: ThemeLanguage): ReadonlySet<string> {
  let s = stopLists.get(language);
  if (!s) {
    s = new Set((stopwordsIso[language] ?? []).map((w) => w.toLowerCase()));
    stopLists.set(language, s);
  }
  return s;
}

/** The stored language of an answer as one of ours; anything else (null, 'nb', 'en-GB') falls back. */
export function themeLanguageOf(value: string | null | undefined, fallback: ThemeLanguage = 'en'): ThemeLanguage {
  const base = (value ?? '').toLowerCase().slice(0, 2);
  return (THEME_LANGUAGES as readonly string[]).includes(base) ? (base as ThemeLanguage) : fallback;
}

export function stemWord(word: string, language: ThemeLanguage): string {
  return stemmerFor(language).stem(word.toLowerCase());
}

// Letters (any script) and digits make words; an apostrophe inside a word keeps it whole ("don't").
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;
const CLAUSE_BREAK = /[.!?;:,()\n\r\u2013\u2014]+/u;

export function tokenize(text: string, language: ThemeLanguage): Token[] {
  const stops = stopWordsFor(language);
  const tokens: Token[] = [];
  text
    .normalize('NFC')
    .split(CLAUSE_BREAK)
    .forEach((clause, clauseIndex) => {
      for (const match of clause.toLowerCase().matchAll(WORD)) {
        const word = match[0].replace(/’/g, "'");
        tokens.push({ word, stem: stemWord(word, language), stop: stops.has(word), clause: clauseIndex });
      }
    });
  return tokens;
}
