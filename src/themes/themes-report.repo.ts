import type { Queryable } from '../storage';
import type { Category } from '../core';

// The figures of the dashboard's themes section: themes × category, each theme's trend, example comments.

/** Commented answers in [from, to) per category, and how many of them mention each theme. */
export async function themesByCategory(db: Queryable, portalId: number, from: Date, to: Date) {
  const totals = await db.query<{ category: Category; n: string }>(
    `SELECT category, count(*) AS n FROM responses
      WHERE portal_id = $1 AND answered_at >= $2 AND answered_at < $3 AND comment IS NOT NULL AND comment <> ''
      GROUP BY category`,
    [portalId, from, to],
  );
  const perTheme = await db.query<{ theme_id: string; category: Category; n: string }>(
    `SELECT ct.theme_id, r.category, count(*) AS n
       FROM comment_themes ct JOIN responses r ON r.id = ct.response_id
      WHERE ct.portal_id = $1 AND r.answered_at >= $2 AND r.answered_at < $3
      GROUP BY ct.theme_id, r.category`,
    [portalId, from, to],
  );
  return {
    totals: new Map(totals.rows.map((x) => [x.category, Number(x.n)])),
    counts: perTheme.rows.map((x) => ({ themeId: x.theme_id, category: x.category, comments: Number(x.n) })),
  };
}

export type TrendUnit = 'week' | 'month' | 'quarter';

/** Per bucket: commented answers, and those that mention each theme. */
export async function themeTrend(db: Queryable, portalId: number, from: Date, to: Date, unit: TrendUnit) {
  const r = await db.query<{ bucket: Date | string; theme_id: string | null; n: string }>(
    `SELECT date_trunc($4, r.answered_at AT TIME ZONE 'UTC') AS bucket, ct.theme_id, count(*) AS n
       FROM responses r LEFT JOIN comment_themes ct ON ct.response_id = r.id
      WHERE r.portal_id = $1 AND r.answered_at >= $2 AND r.answered_at < $3 AND r.comment IS NOT NULL AND r.comment <> ''
      GROUP BY GROUPING SETS ((1, ct.theme_id), (1))
      ORDER BY 1`,
    [portalId, from, to, unit],
  );
  return r.rows.map((x) => ({
    bucket: new Date(x.bucket).toISOString().slice(0, 10),
    themeId: x.theme_id,
    comments: Number(x.n),
  }));
}

export interface ThemeExample {
  themeId: string;
  comment: string;
  category: Category;
  score: number;
  answeredAt: string;
}

/** The newest comments in the period for each theme, `perTheme` of each. */
export async function themeExamples(
  db: Queryable,
  portalId: number,
  from: Date,
  to: Date,
  perTheme: number,
): Promise<ThemeExample[]> {
  const r = await db.query<{ theme_id: string; comment: string; category: Category; score: number; answered_at: Date }>(
    `SELECT theme_id, comment, category, score, answered_at FROM (
       SELECT ct.theme_id, r.comment, r.category, r.score, r.answered_at,
              row_number() OVER (PARTITION BY ct.theme_id ORDER BY r.answered_at DESC, r.id) AS rank
         FROM comment_themes ct JOIN responses r ON r.id = ct.response_id
        WHERE ct.portal_id = $1 AND r.answered_at >= $2 AND r.answered_at < $3) x
      WHERE rank <= $4
      ORDER BY theme_id, answered_at DESC`,
    [portalId, from, to, perTheme],
  );
  return r.rows.map((x) => ({
    themeId: x.theme_id,
    comment: x.comment,
    category: x.category,
    score: Number(x.score),
    answeredAt: new Date(x.answered_at).toISOString(),
  }));
}
