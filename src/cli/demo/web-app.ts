import { createHash } from 'node:crypto';
import type { Router } from 'express';
import { requireDashboardSession } from '../../auth';
import type { AppDeps } from '../../core';
import { getSettings } from '../../core';
import { saveSettings } from '../../core/settings-service';
import { escapeHtml as e } from '../../shared/http';
import { ensureWidgetSecret, LOADER_PATH, signIdentity } from '../../web-survey';
import { demoWebAppContact } from './web-app.repo';

// A sample "customer web app" for trying the in-app web survey: GET /demo/web-app (signed in, like every demo
// page) plays a customer's product with a signed-in user. Its "backend" (this handler) signs the user's email with
// the portal's widget secret, the page embeds the loader exactly as the README shows, and the survey slides in
// when the contact is due. ?contact=<id> signs in as a given contact.

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;color:#1d2330;margin:0}header{background:#24292f;color:#fff;padding:12px 24px}
main{max-width:860px;margin:0 auto;padding:16px 24px}pre{white-space:pre-wrap;word-break:break-all;background:#f4f5f7;padding:12px}
.card{border:1px solid #d0d4da;border-radius:8px;padding:16px;margin:16px 0}a{color:#1f5fbf}`;
const STYLE_HASH = createHash('sha256').update(STYLE, 'utf8').digest('base64');
// What a host page runs after the loader: hand the signed identity to the widget.
const HOST_JS = `(function(){var m=document.getElementById('signed-in');if(!m)return;
window.NpsLoop=window.NpsLoop||{q:[],identify:function(o){this.q.push(o)}};
NpsLoop.identify({email:m.getAttribute('data-email'),userHash:m.getAttribute('data-user-hash')});})();`;

/** Lets the demo's own origins use the widget and asks any contact whose quiet period has passed. */
export async function prepareWebSurveyDemo(deps: AppDeps, portalId: number, origins: string[]): Promise<void> {
  const current = await getSettings(deps.db, portalId);
  await saveSettings(deps.db, portalId, {
    ...current,
    webSurvey: { ...current.webSurvey, enabled: true, askOnVisit: true, allowedOrigins: origins },
  });
  await ensureWidgetSecret(deps, portalId);
}

export function demoWebAppRoutes(router: Router, deps: AppDeps): void {
  const portal = deps.config.hubspot.staticPortal;
  router.get('/demo/web-app/host.js', (_req, res) => {
    res.set({ 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' }).type('text/javascript').send(HOST_JS);
  });
  router.get('/demo/web-app', requireDashboardSession(deps), async (req, res) => {
    const portalId = portal?.portalId ?? (req.portalId as number);
    const settings = await getSettings(deps.db, portalId);
    const wanted =
      typeof req.query.contact === 'string' && /^\d{1,18}$/.test(req.query.contact) ? req.query.contact : undefined;
    const contact = await demoWebAppContact(deps.db, portalId, settings.quietPeriodDays, wanted);
    const secret = await ensureWidgetSecret(deps, portalId);
    const signedIn = contact
      ? `<p id="signed-in" data-email="${e(contact.email)}" data-user-hash="${e(signIdentity(secret, contact.email))}">
Signed in as <strong>${e(contact.email)}</strong> (HubSpot contact ${e(contact.contactId)}). <a href="/demo/card/${e(contact.contactId)}">What the CRM card shows</a>.</p>`
      : '<p>No contact is due for a survey right now (all are in their quiet period, snoozed or opted out).</p>';
    const snippet = `<script src="${deps.config.publicBaseUrl}${LOADER_PATH}" data-portal="${portalId}" async></script>
<script>
  window.NpsLoop = window.NpsLoop || { q: [], identify: function (o) { this.q.push(o); } };
  NpsLoop.identify({ email: '${contact?.email ?? 'ada@example.com'}', userHash: '<HMAC-SHA256 of the email, from your backend>' });
</script>`;
    res.set({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': `default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'sha256-${STYLE_HASH}'; base-uri 'none'; frame-ancestors 'none'`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    })
      .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acme Analytics – your workspace (NPS Loop demo)</title><style>${STYLE}</style></head><body>
<header><strong>Acme Analytics</strong> · a sample customer web app</header>
<main>
<h1>Your workspace</h1>
${signedIn}
<div class="card"><h2>What is happening</h2>
<p>This page plays your product. Its backend signs the signed-in user's email with the portal's web survey secret, and the page hands it to the widget. If the contact is due (an open web survey, or “ask on visit” with the quiet period passed), the survey slides in at the bottom right. Answer it, or dismiss it (Escape): a dismissal is a skip and snoozes the widget for ${settings.webSurvey.snoozeDays} days. Reload to sign in as the next contact who is due.</p>
<p>The web survey settings are under <a href="/dashboard/settings/web-survey">Settings → Web survey</a>, the secret under <a href="/dashboard/settings/web-survey/secret">its own page</a>.</p></div>
<h2>The embed snippet</h2>
<pre><code>${e(snippet)}</code></pre>
</main>
<script src="${LOADER_PATH}" data-portal="${portalId}" async></script>
<script src="/demo/web-app/host.js"></script>
</body></html>`);
  });
}
