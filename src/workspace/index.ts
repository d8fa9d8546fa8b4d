import type { Feature, SettingsSection } from '../core';
import { registerAssets } from '../core';
import { requireAdminRole, requireDashboardSession } from '../auth';
import { registerHistoryRoutes } from './history.routes';
import { registerSectionRoutes } from './sections.routes';
import { registerTriggerRoutes } from './triggers.routes';
import { brandSection } from './sections/brand';
import { followUpsSection } from './sections/follow-ups';
import { insightsSection, relationshipSection, timingSection } from './sections/timing';
import { triggersSection } from './sections/triggers';

/**
 * The settings workspace (/dashboard/settings): every feature's settings sections as forms, for the dashboard's
 * signed-in users (viewers look, admins save), with the history of every save and restore. `sections` returns
 * the sections of every feature (the registry collects them); this feature adds brand, surveys & timing,
 * trigger rules, follow-up tasks and insights.
 */
export function createWorkspaceFeature(sections: () => SettingsSection[]): Feature {
  return {
    name: 'workspace',
    settingsSections: [
      brandSection,
      timingSection,
      triggersSection,
      relationshipSection,
      followUpsSection,
      insightsSection,
    ],
    routes(router, deps) {
      const ctx = {
        router,
        deps,
        assets: registerAssets(router),
        sections,
        signedIn: requireDashboardSession(deps),
        adminOnly: requireAdminRole(),
      };
      // Fixed paths first: /dashboard/settings/:section would take them.
      registerHistoryRoutes(ctx);
      registerTriggerRoutes(ctx);
      registerSectionRoutes(ctx);
    },
  };
}
