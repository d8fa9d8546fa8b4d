import type { Feature } from '../core';
import { registerAdminRoutes, registerSignInRoutes, requireDashboardSession } from '../auth';
import { registerTvLinkRoutes, requireTvAccess } from '../auth';
import { registerAssets } from '../core';
import { renderDashboard } from './pages/dashboard-page';
import { renderTv } from './pages/tv-page';
import { registerInsightsApi } from './api.routes';
import { createOwnerDirectory } from './owner-labels';
import { startInsightsFolding } from './catch-up';
import { benchmarkSettingsSection } from './benchmark-settings';

/**
 * Insights: the NPS dashboard (/dashboard), its wall-screen view (/dashboard/tv), the JSON API behind them
 * (/api/insights/...), the CSV export, and the sign-in that guards them (admin token, or a one-time link from the NPS card).
 */
export const insightsFeature: Feature = {
  name: 'insights',
  settingsSections: [benchmarkSettingsSection],
  routes(router, deps) {
    const assets = registerAssets(router);
    const owners = createOwnerDirectory(deps);
    registerSignInRoutes(router, deps, assets);
    registerTvLinkRoutes(router, deps, assets);
    registerAdminRoutes(router, deps);
    registerInsightsApi(router, deps, owners);
    router.get('/dashboard', requireDashboardSession(deps), (req, res) =>
      renderDashboard(deps, assets, owners, req, res),
    );
    router.get('/dashboard/tv', requireTvAccess(deps), (req, res) => renderTv(deps, assets, owners, req, res));
  },
  async start(deps) {
    if (deps.config.runWorkers) startInsightsFolding(deps);
  },
};
