import type { Queryable } from '../storage';
import type { Category } from '../core';
import type { ThemeDefinition, ThemeKeywords } from './tagging';

// themes: the SQL of comment themes (migration 520). Pure logic lives in tagging.ts and extraction.ts.

interface ThemeRow {
  id: string;
  name: string;
  keywords: ThemeKeywords;
}

export async function listThemes(db: Queryable, portalId: number): Promise<ThemeDefinition[]> {
  const r = await db.query<ThemeRow>(
    'SELECT id, name, keywords FROM themes WHERE portal_id = $1 ORDER BY lower(name), id',
    [portalId],
  );
  return r.rows.map((x) => ({ id: x.id, name: x.name, keywords: x.keywords }));
}

export async function themeByName(db: Queryable, portalId: number, name: string, exceptId?: string) {
  const r = await db.query<{ id: string }>(
    'SELECT id FROM themes WHERE portal_id = $1 AND lower(name) = lower($2) AND id IS DISTINCT FROM $3::uuid',
    [portalId, name, exceptId ?? null],
  );
  return r.rows[0]?.id;
}

export async function insertTheme(db: Queryable, portalId: number, name: string, keywords: ThemeKeywords) {
  const r = await db.query<ThemeRow>(
    'INSERT INTO themes (portal_id, name, keywords) VALUES ($1, $2, $3) RETURNING id, name, keywords',
    [portalId, name, JSON.stringify(keywords)],
  );
  return r.rows[0]!;
}

export async function updateTheme(
  db: Queryable,
  portalId: number,
  id: string,
  name: string,
  keywords: ThemeKeywords,
): Promise<ThemeRow | undefined> {
  const r = await db.query<ThemeRow>(
    `UPDATE themes SET name = $3, keywords = $4, updated_at = now() WHERE portal_id = $1 AND id = $2
     RETURNING id, name, keywords`,
    [portalId, id, name, JSON.stringify(keywords)],
  );
  return r.rows[0];
}

export async function deleteTheme(db: Queryable, portalId: number, id: string): Promise<boolean> {
  const r = await db.query('DELETE FROM themes WHERE portal_id = $1 AND id = $2', [portalId, id]);
  return r.rowCount > 0;
}

/** Logs every commented answer of the portal for tagging again (themes changed). */
export async function queueAllComments(db: Queryable, portalId: number): Promise<void> {
  await db.query(
    `INSERT INTO theme_pending (portal_id, response_id)
     SELECT portal_id, id FROM responses WHERE portal_id = $1 AND comment IS NOT NULL AND comment <> ''`,
    [portalId],
  );
}

export async function portalsWithPendingTags(db: Queryable): Promise<number[]> {
  const r = await db.query<{ portal_id: string }>('SELECT DISTINCT portal_id FROM theme_pending');
  return r.rows.map((x) => Number(x.portal_id));
}

export interface PendingComment {
  responseId: string;
  comment: string | null;
  language: string | null;
}

/** A batch of logged answers with their current comment (null when the answer is gone or has none). */
export async function pendingComments(db: Queryable, portalId: number, limit: number): Promise<PendingComment[]> {
  const r = await db.query<{ response_id: string; comment: string | null; language: string | null }>(
    `SELECT p.response_id, r.comment, r.language
       FROM (SELECT DISTINCT response_id FROM theme_pending WHERE portal_id = $1 LIMIT $2) p
       LEFT JOIN responses r ON r.id = p.response_id AND r.portal_id = $1`,
    [portalId, limit],
  );
  return r.rows.map((x) => ({ responseId: x.response_id, comment: x.comment, language: x.language }));
}

/** Replaces the tags of the given answers and removes them from the log, under the portal's lock. */
export async function storeTags(
  db: Queryable,
  portalId: number,
  responseIds: string[],
  tags: Array<{ responseId: string; themeId: string; keyword: string }>,
): Promise<void> {
  await db.query('DELETE FROM comment_themes WHERE portal_id = $1 AND response_id = ANY($2::uuid[])', [
    portalId,
    responseIds,
  ]);
  if (tags.length > 0)
    await db.query(
      `INSERT INTO comment_themes (portal_id, response_id, theme_id, keyword)
       SELECT $1, t.response_id, t.theme_id, t.keyword
         FROM unnest($2::uuid[], $3::uuid[], $4::text[]) AS t(response_id, theme_id, keyword)
         JOIN responses r ON r.id = t.response_id
         JOIN themes th ON th.id = t.theme_id
       ON CONFLICT (response_id, theme_id) DO UPDATE SET keyword = EXCLUDED.keyword`,
      [portalId, tags.map((t) => t.responseId), tags.map((t) => t.themeId), tags.map((t) => t.keyword)],
    );
  await db.query('DELETE FROM theme_pending WHERE portal_id = $1 AND response_id = ANY($2::uuid[])', [
    portalId,
    responseIds,
  ]);
}

/** Serialises tagging per portal: two copies tagging the same answers would race on their rows. */
export async function lockPortalTagging(db: Queryable, portalId: number): Promise<void> {
  await db.query("SELECT pg_advisory_xact_lock(hashtext('themes'), $1::int)", [portalId % 2_147_483_647]);
}

/** Every comment of the portal, marked by whether it was answered in [from, to) (and in the category, if given). */
export async function commentsForExtraction(
  db: Queryable,
  portalId: number,
  from: Date,
  to: Date,
  category: Category | null,
  limit: number,
): Promise<Array<{ comment: string; language: string | null; inTarget: boolean }>> {
  const r = await db.query<{ comment: string; language: string | null; in_target: boolean }>(
    `SELECT comment, language,
            (answered_at >= $2 AND answered_at < $3 AND ($4::text IS NULL OR category = $4)) AS in_target
       FROM responses
      WHERE portal_id = $1 AND comment IS NOT NULL AND comment <> ''
      ORDER BY answered_at DESC
      LIMIT $5`,
    [portalId, from, to, category, limit],
  );
  return r.rows.map((x) => ({ comment: x.comment, language: x.language, inTarget: x.in_target }));
}
