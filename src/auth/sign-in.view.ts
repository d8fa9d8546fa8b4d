import type { Response } from 'express';
import type { Config } from '../config';
import { escapeHtml } from '../shared';
import { sendPage } from '../core';
import type { Assets } from '../core';

export interface SignInView {
  /** The sign-in form's CSRF token (bound to the browser's nonce cookie). */
  formToken: string;
  error?: string;
  notice?: string;
  status?: number;
}

/** The sign-in page: how HubSpot users get in (the NPS card's link), plus the admin-token form in single-portal mode. */
export function sendSignInPage(res: Response, config: Config, assets: Assets, view: SignInView): void {
  const tokenMode = config.adminToken !== undefined && config.hubspot.staticPortal !== undefined;
  const parts: string[] = [];
  if (view.error) parts.push(`<p class="message error" role="alert">${escapeHtml(view.error)}</p>`);
  if (view.notice) parts.push(`<p class="message" role="status">${escapeHtml(view.notice)}</p>`);
  parts.push(`<section class="from-hubspot" aria-labelledby="from-hubspot">
<h2 id="from-hubspot">From HubSpot</h2>
<p>Open a contact or company record in HubSpot, go to the <strong>NPS</strong> card and choose
<strong>Open NPS dashboard</strong>. The link it opens signs you in to the NPS of that HubSpot account; it works
once, within two minutes.</p>
</section>`);
  if (tokenMode) {
    parts.push(`<form method="post" action="/dashboard/sign-in" class="token-form">
<input type="hidden" name="_csrf" value="${escapeHtml(view.formToken)}">
<label for="token">Admin token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required minlength="16" maxlength="500">
<button type="submit">Sign in</button>
<p class="hint">The value of <code>ADMIN_TOKEN</code> in the app's environment.</p>
</form>`);
  }
  sendPage(res, {
    title: 'Sign in · NPS Loop',
    styles: [assets.url('sign-in.css')],
    status: view.status,
    body: `<main class="sign-in">
<h1>NPS Loop</h1>
<p class="lead">Sign in to see your Net Promoter Score dashboard.</p>
${parts.join('\n')}
</main>`,
  });
}
