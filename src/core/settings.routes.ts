import type { Request, RequestHandler } from 'express';
import type { AppDeps } from './deps';
import type { Feature } from './feature-contract';
import type { SettingsSection } from './settings-sections';
import {
  SettingsRejectedError,
  getSettings,
  saveCheckedSettings,
  settingsHistory,
  type SettingsAuthor,
} from './settings-service';

/** Who a save through the API is recorded as: the signed-in dashboard user, else "API" (the admin token). */
function apiAuthor(req: Request): SettingsAuthor {
  const session = req.dashboardSession;
  return session
    ? { label: session.userLabel, userId: session.hubspotUserId, source: 'api' }
    : { label: 'API', source: 'api' };
}

/**
 * GET/PUT /api/settings: the signed-in portal's settings (triggers, quiet period, delivery, follow-ups), and
 * GET /api/settings/history: every saved version. Viewers may read them; saving needs an admin of the portal.
 * A save runs the settings schema plus every workspace section's checks (`sections`) and is recorded in the
 * history. The guards are the auth feature's (requireAdmin, requireAdminRole), passed in by the feature registry
 * so core does not import auth.
 */
export function createSettingsFeature(
  requireAdmin: (deps: AppDeps) => RequestHandler,
  requireAdminRole: () => RequestHandler,
  sections: () => SettingsSection[] = () => [],
): Feature {
  return {
    name: 'settings',
    routes(router, deps) {
      const admin = requireAdmin(deps);
      router.get('/api/settings', admin, async (req, res) => {
        res.json({ settings: await getSettings(deps.db, req.portalId as number) });
      });
      router.get('/api/settings/history', admin, async (req, res) => {
        res.json({ versions: await settingsHistory(deps.db, req.portalId as number) });
      });
      router.put('/api/settings', admin, requireAdminRole(), async (req, res) => {
        try {
          const saved = await saveCheckedSettings(deps, req.portalId as number, req.body, apiAuthor(req), sections());
          res.json({ settings: saved });
        } catch (err) {
          if (!(err instanceof SettingsRejectedError)) throw err;
          req.log?.info({ status: 400, code: err.code, route: '/api/settings' }, 'request rejected');
          res.status(400).json({
            error: { code: err.code, message: err.message, issues: err.issues.map((i) => ({ ...i })) },
          });
        }
      });
    },
  };
}
