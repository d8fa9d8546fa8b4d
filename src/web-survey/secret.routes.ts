import type { Request, Response, Router } from 'express';
import type { AppDeps, Assets } from '../core';
import { sendPage } from '../core';
import { requireAdmin, requireAdminRole, requireDashboardSession } from '../auth';
import { generateSecret } from './identity';
import { secretPageBody } from './secret.view';
import { LOADER_PATH } from './widget-assets';
import { getSecretRow, saveSecret } from './web-survey.repo';

// The identity secret's page: admins only, CSRF on the POST that generates (or rotates) it. The secret is in the
// POST's answer and nowhere else afterwards.

export const SECRET_PAGE = '/dashboard/settings/web-survey/secret';

export function registerSecretRoutes(router: Router, deps: AppDeps, assets: Assets): void {
  const page = async (req: Request, res: Response, newSecret?: string) => {
    const portalId = req.portalId as number;
    const row = await getSecretRow(deps.db, portalId);
    res.setHeader('cache-control', 'no-store');
    sendPage(res, {
      title: 'Web survey secret · NPS Loop',
      styles: [assets.url('dashboard.css')],
      body: secretPageBody({
        createdAt: row?.createdAt ?? null,
        csrf: req.dashboardSession?.csrfToken ?? '',
        newSecret,
        portalId,
        loaderUrl: `${deps.config.publicBaseUrl}${LOADER_PATH}`,
      }),
    });
  };
  router.get(SECRET_PAGE, requireDashboardSession(deps), requireAdminRole(), (req, res) => page(req, res));
  router.post(SECRET_PAGE, requireAdmin(deps), requireAdminRole(), async (req, res) => {
    const secret = generateSecret();
    await saveSecret(deps.db, req.portalId as number, deps.cipher.encrypt(secret), deps.clock.now());
    req.log?.info({ portalId: req.portalId }, 'web survey secret generated');
    if (req.accepts(['html', 'json']) === 'json') {
      res.setHeader('cache-control', 'no-store');
      return void res.json({ secret });
    }
    await page(req, res, secret);
  });
}
