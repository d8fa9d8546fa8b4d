import type { RequestHandler, Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../core';
import { NotFoundError, UnauthorizedError, parseInput } from '../shared';
import { escapeHtml } from '../shared';
import { sendPage } from '../core';
import type { Assets } from '../core';
import { requireAdminRole } from './admin';
import { loadSession } from './session';
import { requireDashboardSession } from './sign-in.routes';
import { createTvLink, listTvLinks, portalForTvKey, revokeTvLink } from './tv-links.repo';

declare module 'express-serve-static-core' {
  interface Request {
    /** The request came in on a TV link (read-only, TV page and its data only). */
    viaTvLink?: boolean;
  }
}

const createForm = z.object({ label: z.string().trim().max(100).optional(), _csrf: z.string().optional() });
const linkId = z.object({ id: z.uuid({ error: 'not a TV link id' }) });

/**
 * The TV page and its data: a TV key (`?key=` on the page, `X-TV-Key` from its script) or a dashboard session.
 * A key that is unknown or revoked is refused even if a session exists, so a revoked screen visibly stops.
 */
export function requireTvAccess(deps: AppDeps): RequestHandler {
  return async (req, res, next) => {
    const key = req.get('x-tv-key') ?? (typeof req.query.key === 'string' ? req.query.key : undefined);
    if (key !== undefined) {
      const portalId = await portalForTvKey(deps.db, key, deps.clock.now());
      if (portalId === undefined)
        return next(new UnauthorizedError('this TV link is not valid or was revoked', 'tv_link_revoked'));
      req.portalId = portalId;
      req.viaTvLink = true;
      return next();
    }
    const session = await loadSession(deps, req);
    if (!session) {
      if (req.path.startsWith('/api/'))
        return next(new UnauthorizedError('sign in or use a TV link', 'sign_in_required'));
      return void res.redirect(303, '/dashboard/sign-in');
    }
    req.portalId = session.portalId;
    next();
  };
}

function tvUrl(deps: Pick<AppDeps, 'config'>, key: string): string {
  return `${deps.config.publicBaseUrl}/dashboard/tv?key=${key}`;
}

export function registerTvLinkRoutes(router: Router, deps: AppDeps, assets: Assets): void {
  const signedIn = [requireDashboardSession(deps), requireAdminRole()];

  router.get('/api/insights/tv-links', ...signedIn, async (req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.json({ links: await listTvLinks(deps.db, req.portalId as number) });
  });

  router.post('/dashboard/tv-links', ...signedIn, async (req, res) => {
    const form = parseInput(createForm, req.body ?? {}, 'TV link');
    const label = form.label || `TV link ${new Date(deps.clock.now()).toISOString().slice(0, 10)}`;
    const created = await createTvLink(
      deps.db,
      req.portalId as number,
      label,
      req.dashboardSession?.userLabel ?? 'admin',
    );
    const url = tvUrl(deps, created.key);
    res.setHeader('cache-control', 'no-store');
    if (req.accepts(['html', 'json']) === 'json') return void res.status(201).json({ id: created.id, label, url });
    sendPage(res, {
      title: 'TV link created · NPS Loop',
      styles: [assets.url('dashboard.css')],
      status: 201,
      body: `<main class="page narrow">
<h1>TV link created</h1>
<p>Open this address on the wall screen. It shows the TV view of this portal only, needs no sign-in and can be revoked
from the dashboard at any time. It is shown once: copy it now.</p>
<p><label for="tv-url">TV address for “${escapeHtml(label)}”</label></p>
<p><input id="tv-url" class="tv-url" type="text" readonly value="${escapeHtml(url)}"></p>
<p><a href="/dashboard#tv-links">Back to the dashboard</a></p>
</main>`,
    });
  });

  router.post('/dashboard/tv-links/:id/revoke', ...signedIn, async (req, res) => {
    const { id } = parseInput(linkId, req.params, 'TV link');
    const revoked = await revokeTvLink(deps.db, req.portalId as number, id, deps.clock.now());
    if (!revoked) throw new NotFoundError('no such TV link, or it is already revoked', 'tv_link_not_found');
    if (req.accepts(['html', 'json']) === 'json') return void res.json({ id, revoked: true });
    res.redirect(303, '/dashboard#tv-links');
  });
}
