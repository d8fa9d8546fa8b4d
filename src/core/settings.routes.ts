import type { RequestHandler } from 'express';
import type { AppDeps } from './deps';
import type { Feature } from './feature-contract';
import { getSettings, saveSettings } from './settings-service';

/**
 * GET/PUT /api/settings: the signed-in portal's settings (triggers, quiet period, delivery, follow-ups).
 * The admin guard is the auth feature's requireAdmin, passed in by the feature registry so core does not import auth.
 */
export function createSettingsFeature(requireAdmin: (deps: AppDeps) => RequestHandler): Feature {
  return {
    name: 'settings',
    routes(router, deps) {
      const admin = requireAdmin(deps);
      router.get('/api/settings', admin, async (req, res) => {
        res.json({ settings: await getSettings(deps.db, req.portalId as number) });
      });
      router.put('/api/settings', admin, async (req, res) => {
        res.json({ settings: await saveSettings(deps.db, req.portalId as number, req.body) });
      });
    },
  };
}
