import type { RequestHandler } from 'express';
import type { AppDeps } from './deps';
import type { Feature } from './feature-contract';
import { getSettings, saveSettings } from './settings-service';

/**
 * GET/PUT /api/settings: the signed-in portal's settings (triggers, quiet period, delivery, follow-ups).
 * Viewers may read them; saving needs an admin of the portal. The guards are the auth feature's (requireAdmin,
 * requireAdminRole), passed in by the feature registry so core does not import auth.
 */
export function createSettingsFeature(
  requireAdmin: (deps: AppDeps) => RequestHandler,
  requireAdminRole: () => RequestHandler,
): Feature {
  return {
    name: 'settings',
    routes(router, deps) {
      const admin = requireAdmin(deps);
      router.get('/api/settings', admin, async (req, res) => {
        res.json({ settings: await getSettings(deps.db, req.portalId as number) });
      });
      router.put('/api/settings', admin, requireAdminRole(), async (req, res) => {
        res.json({ settings: await saveSettings(deps.db, req.portalId as number, req.body) });
      });
    },
  };
}
