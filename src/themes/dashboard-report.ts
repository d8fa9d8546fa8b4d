import type { AppDeps, Category } from '../core';
import { DAY_MS } from '../shared';
import { currentThemes } from './service';
import { themeExamples, themeTrend, themesByCategory, type ThemeExample, type TrendUnit } from './themes-report.repo';

// What the dashboard's themes section shows for a period: for each theme the share of each category's comments
// that mention it ("what detractors talk about"), its share of comments per trend bucket, and example comments.

export const CATEGORIES: readonly Category[] = ['detractor', 'passive', 'promoter'];

export interface Share {
  comments: number;
  of: number;
  /** Percent with one decimal, null when the category had no comments. */
  percent: number | null;
}

interface ThemeReport {
  id: string;
  name: string;
  byCategory: Record<Category, Share>;
  trend: Array<{ bucket: string } & Share>;
  examples: ThemeExample[];
}

export interface ThemesReport {
  period: { from: string; to: string };
  unit: TrendUnit;
  commentsByCategory: Record<Category, number>;
  themes: ThemeReport[];
}

const share = (comments: number, of: number): Share => ({
  comments,
  of,
  percent: of > 0 ? Math.round((comments / of) * 1000) / 10 : null,
});

/** Dates are days (YYYY-MM-DD), both included, in UTC as on the rest of the dashboard. */
export async function themesReport(
  deps: Pick<AppDeps, 'db'>,
  portalId: number,
  period: { from: string; to: string },
  unit: TrendUnit,
): Promise<ThemesReport> {
  const from = new Date(`${period.from}T00:00:00Z`);
  const to = new Date(new Date(`${period.to}T00:00:00Z`).getTime() + DAY_MS);
  const themes = await currentThemes(deps, portalId);
  const [byCategory, trend, examples] = await Promise.all([
    themesByCategory(deps.db, portalId, from, to),
    themeTrend(deps.db, portalId, from, to, unit),
    themeExamples(deps.db, portalId, from, to, 3),
  ]);
  const totalOf = (c: Category) => byCategory.totals.get(c) ?? 0;
  const buckets = trend.filter((t) => t.themeId === null);
  return {
    period,
    unit,
    commentsByCategory: { detractor: totalOf('detractor'), passive: totalOf('passive'), promoter: totalOf('promoter') },
    themes: themes.map((t) => {
      const count = (c: Category) =>
        byCategory.counts.find((x) => x.themeId === t.id && x.category === c)?.comments ?? 0;
      return {
        id: t.id,
        name: t.name,
        byCategory: {
          detractor: share(count('detractor'), totalOf('detractor')),
          passive: share(count('passive'), totalOf('passive')),
          promoter: share(count('promoter'), totalOf('promoter')),
        },
        trend: buckets.map((b) => ({
          bucket: b.bucket,
          ...share(trend.find((x) => x.themeId === t.id && x.bucket === b.bucket)?.comments ?? 0, b.comments),
        })),
        examples: examples.filter((x) => x.themeId === t.id),
      };
    }),
  };
}
