import { escapeHtml as e } from '../shared';
import type { StoredWebhook } from './alerts.repo';

// The admin page for the alert webhook. The stored address is a secret: only its host is ever shown.

export interface WebhookPageView {
  webhook: StoredWebhook | null;
  csrf: string;
  error?: string;
  notice?: string;
}

const minute = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');

function disabledNotice(w: StoredWebhook): string {
  if (!w.disabled) return '';
  return `<p role="alert" class="error"><strong>This webhook is disabled</strong> since ${e(minute(w.disabled.at))} UTC:
${e(w.disabled.reason)}. No alerts are posted to it. Save a new address below to turn it back on.</p>`;
}

export function webhookPageBody(v: WebhookPageView): string {
  const status = v.webhook
    ? `${disabledNotice(v.webhook)}<p>A ${v.webhook.kind === 'slack' ? 'Slack' : 'Microsoft Teams'} webhook is configured: <code>${e(v.webhook.urlHint)}</code>
(saved ${e(minute(v.webhook.updatedAt))} UTC). The full address is stored encrypted and not shown again.</p>
<form method="post" action="/dashboard/settings/alerts/webhook/delete"><input type="hidden" name="_csrf" value="${e(v.csrf)}"><button type="submit" class="danger">Remove the webhook</button></form>`
    : '<p>No webhook is configured: alerts go by email only.</p>';
  return `<main class="page narrow">
<h1>Detractor alerts: Slack or Teams</h1>
${v.notice ? `<p role="status">${e(v.notice)}</p>` : ''}
${v.error ? `<p role="alert" class="error">${e(v.error)}</p>` : ''}
${status}
<h2>${v.webhook ? 'Replace the webhook' : 'Add a webhook'}</h2>
<form method="post" action="/dashboard/settings/alerts/webhook">
<input type="hidden" name="_csrf" value="${e(v.csrf)}">
<p><label for="kind">Where</label>
<select id="kind" name="kind"><option value="slack">Slack</option><option value="teams">Microsoft Teams</option></select></p>
<p><label for="url">Incoming webhook address (https)</label>
<input id="url" name="url" type="url" required maxlength="2048" autocomplete="off" placeholder="https://hooks.slack.com/services/…"></p>
<p><button type="submit">Save</button></p>
</form>
<p>Which answers alert, and how (one message per answer or a daily digest), is set under <a href="/dashboard/settings/alerts">Settings → Detractor alerts</a>.</p>
<p><a href="/dashboard">Back to the dashboard</a></p>
</main>`;
}
