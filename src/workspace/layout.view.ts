import type { Request, Response } from 'express';
import type { Assets, Settings } from '../core';
import { sendPage } from '../core';
import { escapeHtml as e } from '../shared';

// The frame of every workspace page: the dashboard's header (brand, navigation, sign-out) and one column that
// reads well on a phone.

export interface WorkspacePage {
  title: string;
  /** Already-escaped HTML of the main column. */
  main: string;
  status?: number;
  scripts?: boolean;
}

export function csrfOf(req: Request): string {
  return req.dashboardSession?.csrfToken ?? '';
}

export function isAdmin(req: Request): boolean {
  return req.portalRole === 'admin';
}

export function sendWorkspacePage(
  res: Response,
  req: Request,
  assets: Assets,
  settings: Settings,
  page: WorkspacePage,
) {
  const csrf = csrfOf(req);
  sendPage(res, {
    title: `${page.title} · Settings · NPS Loop`,
    status: page.status,
    styles: [assets.url('dashboard.css'), assets.url('workspace.css')],
    scripts: page.scripts ? [assets.url('workspace.js')] : [],
    bodyClass: 'workspace',
    body: `<header class="top">
<p class="brand">${e(settings.brand.name)} · NPS settings</p>
<nav aria-label="Settings">
<a href="/dashboard">Dashboard</a>
<a href="/dashboard/settings">Settings</a>
<a href="/dashboard/settings/history">History</a>
<form method="post" action="/dashboard/sign-out"><input type="hidden" name="_csrf" value="${e(csrf)}"><button type="submit" class="link">Sign out<span class="visually-hidden"> (${e(req.dashboardSession?.userLabel ?? '')})</span></button></form>
</nav>
</header>
<main class="page narrow ws" id="main">
${page.main}
</main>`,
  });
}

export function savedNotice(req: Request): string {
  return req.query.saved === '1'
    ? '<p class="notice" role="status" id="saved-notice">Saved. The new settings apply from now on.</p>'
    : '';
}

export function viewerNotice(req: Request): string {
  return isAdmin(req)
    ? ''
    : '<p class="hint" role="note" id="read-only">You can look at the settings; only an NPS Loop admin of this HubSpot account can change them.</p>';
}
