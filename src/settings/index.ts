import type { Feature } from '../core/feature-contract';
import { requireAdmin } from '../auth/admin';
import { getSettings, saveSettings } from './service';

/** GET/PUT /api/settings: the signed-in portal's settings (triggers, quiet period, delivery, follow-ups). */
export const settingsFeature: Feature = {
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
