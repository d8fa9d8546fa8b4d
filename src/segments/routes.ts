import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { AppDeps, Assets } from '../core';
import { getSettings, sendPage, settingsAuthorOf } from '../core';
import { requireAdmin, requireAdminRole, requireDashboardSession } from '../auth';
import { AppError, BadRequestError, parseInput } from '../shared';
import { portalProperties, reconcileDimensions, saveDimensions } from './dimensions';
import { customDimensions, type CustomDimension } from './status';
import { segmentsPageBody } from './admin-page.view';

// The custom dimensions' JSON API (/api/segments/...) and admin page (/dashboard/settings/segments). Reading is
// open to every signed-in user; changes need the admin role (and, from a session, its CSRF token).

const addForm = z.object({
  _csrf: z.string().optional(),
  property: z.string().regex(/^(contact|company)\.[a-z][a-z0-9_]{0,99}$/, 'choose a property from the list'),
  label: z.string().trim().max(100).optional(),
  bands: z.string().trim().max(200).optional(),
});
const removeForm = z.object({ _csrf: z.string().optional(), name: z.string().max(120) });
const propertiesQuery = z.strictObject({ object: z.enum(['contact', 'company'], { error: 'use contact or company' }) });

/** "10, 50" → [10, 50]; anything else is a 400 naming the field. */
function parseBands(text: string | undefined): number[] | undefined {
  if (!text) return undefined;
  const bands = text.split(',').map((t) => Number(t.trim()));
  if (bands.some((b) => !Number.isFinite(b)))
    throw new BadRequestError('bands: use numbers separated by commas, e.g. 10, 50', undefined, 'invalid_settings');
  return bands;
}

/** Settings saved elsewhere (PUT /api/settings, the settings file) get their backfills when first looked at. */
async function dimensionsNow(deps: AppDeps, portalId: number): Promise<CustomDimension[]> {
  const dims = await customDimensions(deps.db, portalId);
  if (!dims.some((d) => d.state === 'pending')) return dims;
  await reconcileDimensions(deps, portalId, await getSettings(deps.db, portalId));
  return customDimensions(deps.db, portalId);
}

const settingOf = (d: CustomDimension) => ({
  object: d.object,
  property: d.property,
  label: d.label.slice(0, 100),
  ...(d.bands ? { bands: d.bands } : {}),
});

export function registerSegmentRoutes(router: Router, deps: AppDeps, assets: Assets): void {
  const api = requireAdmin(deps);
  const page = requireDashboardSession(deps);

  router.get('/api/segments/dimensions', api, async (req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.json({ dimensions: await dimensionsNow(deps, req.portalId as number) });
  });
  router.put('/api/segments/dimensions', api, requireAdminRole(), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    await saveDimensions(deps, req.portalId as number, body, settingsAuthorOf(req, 'api'));
    res.json({ dimensions: await customDimensions(deps.db, req.portalId as number) });
  });
  router.get('/api/segments/properties', api, async (req, res) => {
    const q = parseInput(propertiesQuery, req.query, 'query');
    const props = (await portalProperties(deps, req.portalId as number, [q.object])).get(q.object) ?? [];
    res.setHeader('cache-control', 'no-store');
    res.json({
      object: q.object,
      properties: props.map((p) => ({ name: p.name, label: p.label, type: p.type, options: p.options?.length ?? 0 })),
    });
  });

  const render = async (req: Request, res: Response, view: { error?: string; notice?: string; status?: number }) => {
    const portalId = req.portalId as number;
    const isAdmin = req.portalRole === 'admin';
    const properties = isAdmin ? await portalProperties(deps, portalId).catch(() => null) : null;
    res.setHeader('cache-control', 'no-store');
    sendPage(res, {
      title: 'Segments by CRM property · NPS Loop',
      status: view.status,
      styles: [assets.url('dashboard.css')],
      body: segmentsPageBody({
        dimensions: await dimensionsNow(deps, portalId),
        properties,
        isAdmin,
        csrf: req.dashboardSession?.csrfToken ?? '',
        error: view.error,
        notice: view.notice,
      }),
    });
  };
  // A refused form shows the page again with the reason (and its status), not a bare error.
  const formAction = (act: (req: Request) => Promise<string>) => async (req: Request, res: Response) => {
    try {
      const notice = await act(req);
      await render(req, res, { notice });
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      await render(req, res, { error: err.message, status: err.status });
    }
  };

  router.get('/dashboard/settings/segments', page, (req, res) => render(req, res, {}));
  router.post(
    '/dashboard/settings/segments',
    page,
    requireAdminRole(),
    formAction(async (req) => {
      const form = parseInput(addForm, req.body ?? {}, 'segment dimension');
      const [object, property] = form.property.split('.') as ['contact' | 'company', string];
      const current = (await customDimensions(deps.db, req.portalId as number)).map(settingOf);
      const added = { object, property, ...(form.label ? { label: form.label } : {}), bands: parseBands(form.bands) };
      await saveDimensions(
        deps,
        req.portalId as number,
        { dimensions: [...current, added] },
        settingsAuthorOf(req, 'workspace'),
      );
      return `Added ${form.property}; its values are being read from HubSpot.`;
    }),
  );
  router.post(
    '/dashboard/settings/segments/remove',
    page,
    requireAdminRole(),
    formAction(async (req) => {
      const form = parseInput(removeForm, req.body ?? {}, 'segment dimension');
      const current = await customDimensions(deps.db, req.portalId as number);
      const kept = current.filter((d) => d.name !== form.name).map(settingOf);
      await saveDimensions(deps, req.portalId as number, { dimensions: kept }, settingsAuthorOf(req, 'workspace'));
      return `Removed ${form.name}.`;
    }),
  );
}
