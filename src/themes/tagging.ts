import { COMPOUNDING, THEME_LANGUAGES, tokenize, type ThemeLanguage, type Token } from './language';

// Tagging: a comment mentions a theme when one of the theme's keywords for the comment's language occurs in it,
// compared on Snowball stems. A phrase matches the same words in a row within one clause, stop words included
// ("easy to use" is not "use"). A keyword stem also matches the start of a longer word the stemmer left alone
// ("cheap" in "cheaper"), and in Danish, Swedish and German the end of a compound ("preis" in "Lizenzpreise").

export type ThemeKeywords = Partial<Record<ThemeLanguage, string[]>>;

export interface ThemeDefinition {
  id: string;
  name: string;
  keywords: ThemeKeywords;
}

interface CompiledKeyword {
  text: string;
  stems: string[];
}

export interface CompiledTheme {
  id: string;
  name: string;
  keywords: Record<ThemeLanguage, CompiledKeyword[]>;
}

// Compound parts shorter than this match whole words only: "fel" must not match inside every Swedish word.
const MIN_COMPOUND_PART = 4;

export function compileKeyword(text: string, language: ThemeLanguage): CompiledKeyword | null {
  const tokens = tokenize(text, language);
  if (tokens.length === 0) return null;
  return { text, stems: tokens.map((t) => t.stem) };
}

export function compileTheme(theme: ThemeDefinition): CompiledTheme {
  const keywords = {} as Record<ThemeLanguage, CompiledKeyword[]>;
  for (const language of THEME_LANGUAGES) {
    keywords[language] = (theme.keywords[language] ?? [])
      .map((k) => compileKeyword(k, language))
      .filter((k): k is CompiledKeyword => k !== null);
  }
  return { id: theme.id, name: theme.name, keywords };
}

function stemMatches(tokenStem: string, keywordStem: string, compounding: boolean): boolean {
  if (tokenStem === keywordStem) return true;
  if (keywordStem.length < MIN_COMPOUND_PART) return false;
  if (tokenStem.startsWith(keywordStem)) return true;
  return compounding && tokenStem.endsWith(keywordStem);
}

/** The words of the comment that the keyword matched, or null. Phrases match consecutive words within a clause. */
function findKeyword(words: Token[], keyword: CompiledKeyword, compounding: boolean): string[] | null {
  const n = keyword.stems.length;
  for (let i = 0; i + n <= words.length; i++) {
    let ok = true;
    for (let j = 0; j < n && ok; j++) {
      const w = words[i + j]!;
      ok = w.clause === words[i]!.clause && stemMatches(w.stem, keyword.stems[j]!, compounding);
    }
    if (ok) return words.slice(i, i + n).map((w) => w.word);
  }
  return null;
}

export interface ThemeMatch {
  themeId: string;
  /** The keyword that matched and the words it matched, to show why a comment was tagged. */
  keyword: string;
  words: string[];
}

export function tagComment(text: string, language: ThemeLanguage, themes: CompiledTheme[]): ThemeMatch[] {
  const tokens = tokenize(text, language);
  const compounding = COMPOUNDING.has(language);
  const matches: ThemeMatch[] = [];
  for (const theme of themes) {
    for (const keyword of theme.keywords[language]) {
      const words = findKeyword(tokens, keyword, compounding);
      if (words) {
        matches.push({ themeId: theme.id, keyword: keyword.text, words });
        break;
      }
    }
  }
  return matches;
}
