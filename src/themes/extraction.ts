import { tokenize, type ThemeLanguage } from './language';

// Candidate themes: key phrases that set a group of comments (the target: a period, or its detractors) apart from
// the rest. Phrases are 1–3 word n-grams of stems inside one clause, stop words removed (so "the support's
// response times" and "support response time" are one phrase). Each phrase is counted once per comment, and scored
// with the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008), taking the prior
// from both groups together: z = δ / σ, where δ is the difference of the smoothed log-odds of the phrase in the
// target and in the rest. z > 2 is roughly "more frequent in the target than chance explains".

export interface CommentForExtraction {
  text: string;
  language: ThemeLanguage;
  inTarget: boolean;
}

export interface Candidate {
  /** The most common way the phrase was written. */
  phrase: string;
  language: ThemeLanguage;
  stems: string[];
  /** Comments of the target that use the phrase, and how many target comments there are. */
  countIn: number;
  totalIn: number;
  /** The same for the rest. */
  countOut: number;
  totalOut: number;
  /** Log-odds z-score: the higher, the more the phrase belongs to the target. */
  score: number;
}

export interface ExtractionOptions {
  limit?: number;
  maxWords?: number;
  /** Phrases used by fewer target comments than this are noise. */
  minCount?: number;
  /** Strength of the prior, in comments. */
  priorStrength?: number;
}

interface PhraseStats {
  language: ThemeLanguage;
  stems: string[];
  countIn: number;
  countOut: number;
  surfaces: Map<string, number>;
}

function phrasesOf(
  text: string,
  language: ThemeLanguage,
  maxWords: number,
): Map<string, { stems: string[]; surface: string }> {
  const words = tokenize(text, language).filter((t) => !t.stop && t.word.length > 1 && !/^\d+$/.test(t.word));
  const found = new Map<string, { stems: string[]; surface: string }>();
  for (let i = 0; i < words.length; i++) {
    for (let n = 1; n <= maxWords && i + n <= words.length; n++) {
      const gram = words.slice(i, i + n);
      if (gram.some((w) => w.clause !== gram[0]!.clause)) break;
      const stems = gram.map((w) => w.stem);
      found.set(`${language}:${stems.join(' ')}`, { stems, surface: gram.map((w) => w.word).join(' ') });
    }
  }
  return found;
}

export function extractCandidates(comments: CommentForExtraction[], options: ExtractionOptions = {}): Candidate[] {
  const { limit = 20, maxWords = 3, minCount = 2, priorStrength = 10 } = options;
  const stats = new Map<string, PhraseStats>();
  let totalIn = 0;
  let totalOut = 0;
  for (const c of comments) {
    if (c.inTarget) totalIn++;
    else totalOut++;
    for (const [key, p] of phrasesOf(c.text, c.language, maxWords)) {
      let s = stats.get(key);
      if (!s) {
        s = { language: c.language, stems: p.stems, countIn: 0, countOut: 0, surfaces: new Map() };
        stats.set(key, s);
      }
      if (c.inTarget) s.countIn++;
      else s.countOut++;
      s.surfaces.set(p.surface, (s.surfaces.get(p.surface) ?? 0) + 1);
    }
  }
  const total = totalIn + totalOut;
  const scored: Candidate[] = [];
  for (const s of stats.values()) {
    if (s.countIn < minCount) continue;
    const prior = priorStrength * ((s.countIn + s.countOut) / total);
    const score = logOddsZ(s.countIn, totalIn, s.countOut, totalOut, prior, priorStrength);
    const phrase = [...s.surfaces].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
    scored.push({
      phrase,
      language: s.language,
      stems: s.stems,
      countIn: s.countIn,
      totalIn,
      countOut: s.countOut,
      totalOut,
      score,
    });
  }
  // Equal scores (with no other comments to compare with, every score is 0): the more comments, the better.
  scored.sort(
    (a, b) =>
      b.score - a.score || b.countIn - a.countIn || b.stems.length - a.stems.length || a.phrase.localeCompare(b.phrase),
  );
  return withoutCoveredPhrases(scored).slice(0, limit);
}

/** z-score of the difference in log-odds of a phrase between two groups, smoothed by a Dirichlet prior. */
export function logOddsZ(
  countIn: number,
  totalIn: number,
  countOut: number,
  totalOut: number,
  prior: number,
  priorTotal: number,
): number {
  const odds = (count: number, total: number) =>
    Math.log((count + prior) / Math.max(total + priorTotal - count - prior, Number.EPSILON));
  const delta = odds(countIn, totalIn) - odds(countOut, totalOut);
  const variance = 1 / (countIn + prior) + 1 / (countOut + prior);
  return delta / Math.sqrt(variance);
}

/**
 * Drops a phrase when a longer phrase ranked above it contains it and is used by nearly as many target comments
 * ("response" under "support response time"). Equal scores rank the longer phrase first.
 */
function withoutCoveredPhrases(ranked: Candidate[]): Candidate[] {
  const kept: Candidate[] = [];
  const contains = (long: string[], short: string[]) => ` ${long.join(' ')} `.includes(` ${short.join(' ')} `);
  for (const c of ranked) {
    const covered = kept.some(
      (k) =>
        k.language === c.language &&
        k.stems.length > c.stems.length &&
        contains(k.stems, c.stems) &&
        k.countIn >= 0.8 * c.countIn,
    );
    if (!covered) kept.push(c);
  }
  return kept;
}
