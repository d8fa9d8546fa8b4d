import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { AppDeps, Assets } from '../core';
import { sendPage } from '../core';
import { requireAdmin, requireAdminRole, requireDashboardSession } from '../auth';
import { AppError, BadRequestError, parseInput } from '../shared';
import { deleteWebhook, getWebhook, saveWebhook } from './alerts.repo';
import { webhookHealthKey } from './deliver';
import { checkWebhookUrl, webhookHint } from './webhook-url';
import { webhookPageBody } from './webhook.view';

// The alert webhook: a page for admins (dashboard session, CSRF on writes) and the same as JSON
// (GET/PUT/DELETE /api/alerts/webhook, also with the admin token). The URL is checked (https, public host) and
// stored encrypted; it is never sent back, only its host.

const webhookInput = z.object({
  kind: z.enum(['slack', 'teams'], { error: 'choose slack or teams' }),
  url: z.string({ error: 'enter the webhook address' }).max(4096, 'must be at most 2048 characters'),
  _csrf: z.string().max(200).optional(),
});

async function storeWebhook(deps: AppDeps, portalId: number, body: unknown) {
  const input = parseInput(webhookInput, body ?? {}, 'webhook');
  const verdict = checkWebhookUrl(input.url, deps.config.alerts.allowPrivateWebhooks);
  if (!verdict.ok) throw new BadRequestError(`invalid webhook: url: ${verdict.reason}`, undefined, 'invalid_input');
  const hint = webhookHint(verdict.url);
  await saveWebhook(deps.db, portalId, {
    kind: input.kind,
    urlEnc: deps.cipher.encrypt(verdict.url.toString()),
    urlHint: hint,
  });
  deps.health.clear(webhookHealthKey(portalId)); // a new address turns a disabled webhook back on
  return { configured: true, kind: input.kind, hint };
}

async function describe(deps: AppDeps, portalId: number) {
  const w = await getWebhook(deps.db, portalId);
  if (!w) return { configured: false };
  const disabled = w.disabled ? { at: w.disabled.at.toISOString(), reason: w.disabled.reason } : null;
  return { configured: true, kind: w.kind, hint: w.urlHint, disabled };
}

export function registerWebhookRoutes(router: Router, deps: AppDeps, assets: Assets): void {
  const admin = [requireAdmin(deps), requireAdminRole()];
  const page = async (req: Request, res: Response, extra: { error?: string; notice?: string; status?: number } = {}) =>
    sendPage(res, {
      title: 'Alert webhook · NPS Loop',
      styles: [assets.url('dashboard.css')],
      status: extra.status,
      body: webhookPageBody({
        webhook: await getWebhook(deps.db, req.portalId as number),
        csrf: req.dashboardSession?.csrfToken ?? '',
        ...extra,
      }),
    });

  router.get('/api/alerts/webhook', ...admin, async (req, res) => {
    res.json(await describe(deps, req.portalId as number));
  });
  router.put('/api/alerts/webhook', ...admin, async (req, res) => {
    res.json(await storeWebhook(deps, req.portalId as number, req.body));
  });
  router.delete('/api/alerts/webhook', ...admin, async (req, res) => {
    await deleteWebhook(deps.db, req.portalId as number);
    deps.health.clear(webhookHealthKey(req.portalId as number));
    res.json({ configured: false });
  });

  router.get('/dashboard/settings/alerts/webhook', requireDashboardSession(deps), requireAdminRole(), (req, res) =>
    page(req, res),
  );
  router.post('/dashboard/settings/alerts/webhook', ...admin, async (req, res) => {
    try {
      await storeWebhook(deps, req.portalId as number, req.body);
    } catch (err) {
      if (!(err instanceof AppError) || req.accepts(['html', 'json']) === 'json') throw err;
      return page(req, res, { error: err.message, status: err.status });
    }
    if (req.accepts(['html', 'json']) === 'json') return void res.json(await describe(deps, req.portalId as number));
    await page(req, res, { notice: 'The webhook is saved.' });
  });
  router.post('/dashboard/settings/alerts/webhook/delete', ...admin, async (req, res) => {
    await deleteWebhook(deps.db, req.portalId as number);
    deps.health.clear(webhookHealthKey(req.portalId as number));
    if (req.accepts(['html', 'json']) === 'json') return void res.json({ configured: false });
    await page(req, res, { notice: 'The webhook is removed.' });
  });
}
