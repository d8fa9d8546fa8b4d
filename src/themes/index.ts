import type { AppDeps, Feature } from '../core';
import { registerAssets } from '../core';
import { registerThemesRoutes } from './themes.routes';
import { startThemeTagging } from './catch-up';
import { themesReport } from './dashboard-report';
import { renderThemesSection } from './dashboard-section.view';

/**
 * Comment themes: themes an admin defines (a name plus keywords per language, matched on word stems), each
 * comment tagged with the themes it mentions, candidates found in a period's comments, the dashboard's themes
 * section, the admin page /dashboard/themes and the JSON API /api/themes.
 */
export const themesFeature: Feature = {
  name: 'themes',
  routes(router, deps) {
    registerThemesRoutes(router, deps, registerAssets(router));
  },
  settingsSections: [
    {
      id: 'themes',
      title: 'Comment themes',
      description: 'Themes the dashboard tags comments with: a name plus keywords per language, and suggested themes.',
      order: 70,
      href: '/dashboard/themes',
    },
  ],
  async start(deps) {
    if (deps.config.runWorkers) startThemeTagging(deps);
  },
};

/** The dashboard's themes section for a period (days, both included), as HTML. */
export async function themesDashboardSection(
  deps: AppDeps,
  portalId: number,
  period: { from: string; to: string },
  granularity: 'week' | 'month' | 'quarter',
  canManage: boolean,
): Promise<string> {
  return renderThemesSection(await themesReport(deps, portalId, period, granularity), canManage);
}

// Defining themes outside the HTTP API (the demo seeds a few).
export { currentThemes, defineTheme } from './service';
