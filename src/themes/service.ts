import { z } from 'zod';
import type { AppDeps, Category } from '../core';
import { BadRequestError, NotFoundError, parseInput } from '../shared';
import { THEME_LANGUAGES, themeLanguageOf } from './language';
import { compileKeyword, type ThemeDefinition, type ThemeKeywords } from './tagging';
import { extractCandidates, type Candidate } from './extraction';
import { catchUpThemes } from './catch-up';
import {
  commentsForExtraction,
  deleteTheme,
  insertTheme,
  listThemes,
  queueAllComments,
  themeByName,
  updateTheme,
} from './themes.repo';

// What admins do with themes: define, rename, redefine, merge, delete, accept a candidate. Every change logs all
// the portal's comments for tagging again in the same transaction (see catch-up.ts).

const keywordList = z
  .array(z.string().trim().max(80, { error: 'a keyword has at most 80 characters' }))
  .max(50, { error: 'at most 50 keywords per language' })
  .optional();

const themeInput = z.object({
  name: z.string().trim().min(1, { error: 'a theme needs a name' }).max(80, { error: 'at most 80 characters' }),
  keywords: z.object(Object.fromEntries(THEME_LANGUAGES.map((l) => [l, keywordList]))).strict(),
});
const themePatch = themeInput.partial();
const mergeInput = z.object({
  into: z.uuid({ error: 'not a theme id' }),
  from: z.array(z.uuid({ error: 'not a theme id' })).min(1, { error: 'name at least one theme to merge' }),
});

type ThemeInput = z.infer<typeof themeInput>;

/** Trims, drops empty and repeated keywords; 400 naming the theme when none is left or one has no words. */
function cleanKeywords(name: string, keywords: ThemeInput['keywords']): ThemeKeywords {
  const clean: ThemeKeywords = {};
  let total = 0;
  for (const language of THEME_LANGUAGES) {
    const seen = new Set<string>();
    const list: string[] = [];
    for (const k of keywords[language] ?? []) {
      if (!k || seen.has(k.toLowerCase())) continue;
      if (!compileKeyword(k, language))
        throw new BadRequestError(`invalid theme "${name}": keywords.${language}: "${k}" has no words`);
      seen.add(k.toLowerCase());
      list.push(k);
    }
    if (list.length > 0) clean[language] = list;
    total += list.length;
  }
  if (total === 0)
    throw new BadRequestError(
      `invalid theme "${name}": keywords: a theme needs at least one keyword`,
      undefined,
      'invalid_input',
    );
  return clean;
}

function duplicateName(name: string): BadRequestError {
  return new BadRequestError(
    `invalid theme: name: a theme named "${name}" already exists`,
    undefined,
    'duplicate_theme',
  );
}

const isUniqueViolation = (err: unknown) => (err as { code?: string } | null)?.code === '23505';

export async function defineTheme(deps: Pick<AppDeps, 'db'>, portalId: number, body: unknown) {
  const input = parseInput(themeInput, body, 'theme');
  const keywords = cleanKeywords(input.name, input.keywords);
  try {
    return await deps.db.transaction(async (tx) => {
      if (await themeByName(tx, portalId, input.name)) throw duplicateName(input.name);
      const theme = await insertTheme(tx, portalId, input.name, keywords);
      await queueAllComments(tx, portalId);
      return theme;
    });
  } catch (err) {
    throw isUniqueViolation(err) ? duplicateName(input.name) : err;
  }
}

/** Renames a theme and/or replaces its keywords. */
export async function changeTheme(deps: Pick<AppDeps, 'db'>, portalId: number, id: string, body: unknown) {
  const patch = parseInput(themePatch, body, 'theme');
  try {
    return await deps.db.transaction(async (tx) => {
      const current = (await listThemes(tx, portalId)).find((t) => t.id === id);
      if (!current) throw new NotFoundError('no such theme');
      const name = patch.name ?? current.name;
      const keywords = patch.keywords ? cleanKeywords(name, patch.keywords) : current.keywords;
      if (await themeByName(tx, portalId, name, id)) throw duplicateName(name);
      const theme = await updateTheme(tx, portalId, id, name, keywords);
      await queueAllComments(tx, portalId);
      return theme!;
    });
  } catch (err) {
    throw isUniqueViolation(err) ? duplicateName(String(patch.name)) : err;
  }
}

/** Folds the `from` themes into `into`: their keywords join it, they are deleted, comments are tagged again. */
export async function mergeThemes(deps: Pick<AppDeps, 'db'>, portalId: number, body: unknown) {
  const input = parseInput(mergeInput, body, 'merge');
  return deps.db.transaction(async (tx) => {
    const all = await listThemes(tx, portalId);
    const into = all.find((t) => t.id === input.into);
    const from = input.from.filter((id) => id !== input.into).map((id) => all.find((t) => t.id === id));
    if (!into || from.some((t) => !t)) throw new NotFoundError('no such theme');
    const keywords: ThemeKeywords = {};
    for (const language of THEME_LANGUAGES) {
      const merged = [into, ...(from as ThemeDefinition[])].flatMap((t) => t.keywords[language] ?? []);
      const unique = [...new Map(merged.map((k) => [k.toLowerCase(), k])).values()];
      if (unique.length > 0) keywords[language] = unique;
    }
    for (const t of from as ThemeDefinition[]) await deleteTheme(tx, portalId, t.id);
    const theme = await updateTheme(tx, portalId, into.id, into.name, keywords);
    await queueAllComments(tx, portalId);
    return theme!;
  });
}

export async function removeTheme(deps: Pick<AppDeps, 'db'>, portalId: number, id: string): Promise<void> {
  const gone = await deps.db.transaction(async (tx) => deleteTheme(tx, portalId, id));
  if (!gone) throw new NotFoundError('no such theme');
}

/** The portal's themes with every pending comment tagged. */
export async function currentThemes(deps: Pick<AppDeps, 'db'>, portalId: number): Promise<ThemeDefinition[]> {
  await catchUpThemes(deps.db, portalId);
  return listThemes(deps.db, portalId);
}

export interface CandidateQuery {
  from: Date;
  to: Date;
  category: Category | null;
}

// The newest comments only: enough to tell what a period is about, bounded so a large portal stays quick.
const MAX_COMMENTS = 20_000;

/** Phrases that set the period's comments (of a category, if given) apart from the portal's other comments. */
export async function themeCandidates(
  deps: Pick<AppDeps, 'db'>,
  portalId: number,
  q: CandidateQuery,
  limit = 20,
): Promise<Candidate[]> {
  const rows = await commentsForExtraction(deps.db, portalId, q.from, q.to, q.category, MAX_COMMENTS);
  return extractCandidates(
    rows.map((r) => ({ text: r.comment, language: themeLanguageOf(r.language), inTarget: r.inTarget })),
    { limit },
  );
}
