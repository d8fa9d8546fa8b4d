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

/** The sign-in page: the admin-token form in single-portal mode, "Sign in with HubSpot" in OAuth mode, or both. */
export function sendSignInPage(res: Response, config: Config, assets: Assets, view: SignInView): void {
  const tokenMode = config.adminToken !== undefined && config.hubspot.staticPortal !== undefined;
  const oauthMode = config.hubspot.oauth !== undefined;
  const parts: string[] = [];
  if (view.error) parts.push(`<p class="message error" role="alert">${escapeHtml(view.error)}</p>`);
  if (view.notice) parts.push(`<p class="message" role="status">${escapeHtml(view.notice)}</p>`);
  if (oauthMode) {
    parts.push(`<p><a class="button hubspot" href="/dashboard/sign-in/hubspot">Sign in with HubSpot</a></p>
<p class="hint">You see the NPS of the HubSpot account you sign in to, if NPS Loop is installed there.</p>`);
  }
  if (tokenMode) {
    parts.push(`<form method="post" action="/dashboard/sign-in" class="token-form">
<input type="hidden" name="_csrf" value="${escapeHtml(view.formToken)}">
<label for="token">Admin token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required minlength="16" maxlength="500">
<button type="submit">Sign in</button>
<p class="hint">The value of <code>ADMIN_TOKEN</code> in the app's environment.</p>
</form>`);
  }
  if (!tokenMode && !oauthMode) {
    parts.push(`<p>No sign-in is configured. Set <code>ADMIN_TOKEN</code> (single-portal mode) or
<code>HUBSPOT_CLIENT_ID</code>, <code>HUBSPOT_CLIENT_SECRET</code> and <code>HUBSPOT_REDIRECT_URI</code> (Sign in with HubSpot).</p>`);
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
