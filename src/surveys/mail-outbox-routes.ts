import { createHash } from 'node:crypto';
import type { Response, Router } from 'express';
import type { AppDeps } from '../core/deps';
import { escapeHtml as e } from '../shared/http';
import { NotFoundError } from '../shared/errors';
import { listOutboxMail, mailOutboxDir, readOutboxMail } from './mail-outbox';

// Demo mode only (SMTP_URL unset): /outbox lists the mails the app "sent" and shows each one. It is an operator
// tool for trying the product locally, so its few labels are English; respondent wording lives in i18n/.

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;color:#1d2330;margin:0 auto;max-width:960px;padding:16px}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #d0d4da;vertical-align:top}
a{color:#1f5fbf}pre{white-space:pre-wrap;word-break:break-all;background:#f4f5f7;padding:12px}
iframe{width:100%;height:720px;border:1px solid #d0d4da}dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 12px}dt{font-weight:700}`;
const STYLE_HASH = createHash('sha256').update(STYLE, 'utf8').digest('base64');

export function mailOutboxRoutes(router: Router, deps: AppDeps): void {
  const dir = mailOutboxDir(deps.config.dataDir);

  router.get('/outbox', async (_req, res) => {
    const mails = await listOutboxMail(dir);
    const rows = mails
      .map((m) => `<tr><td>${e(m.date)}</td><td>${e(m.to)}</td><td><a href="/outbox/${encodeURIComponent(m.file)}">${e(m.subject)}</a></td></tr>`)
      .join('\n');
    sendOutboxPage(res, 'Outbox', `<h1>Outbox</h1>
<p>SMTP_URL is not set, so survey emails are written to ${e(dir)} instead of being sent. ${mails.length} mail(s).</p>
<table><thead><tr><th scope="col">Written</th><th scope="col">To</th><th scope="col">Subject</th></tr></thead>
<tbody>${rows}</tbody></table>`);
  });

  router.get('/outbox/:file', async (req, res) => {
    const stored = await readOutboxMail(dir, String(req.params.file));
    if (!stored) throw new NotFoundError('no such mail in the outbox', 'mail_not_found');
    const { headers, text } = stored.mail;
    const shown = ['from', 'to', 'subject', 'date', 'message-id', 'list-unsubscribe'];
    const linked = e(text ?? '').replace(/https?:\/\/[^\s<&]+/g, (url) => `<a href="${url}">${url}</a>`);
    const file = encodeURIComponent(String(req.params.file));
    sendOutboxPage(res, headers.subject ?? 'Mail', `<p><a href="/outbox">← Outbox</a></p>
<h1>${e(headers.subject ?? '(no subject)')}</h1>
<dl>${shown.map((h) => `<dt>${e(h)}</dt><dd>${e(headers[h] ?? '')}</dd>`).join('')}</dl>
<h2>HTML part</h2>
<iframe title="HTML part of the mail" src="/outbox/${file}/html" sandbox="allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation"></iframe>
<h2>Text part</h2>
<pre>${linked}</pre>`);
  });

  // The mail's own HTML, boxed in: sandboxed, no scripts, images only over https.
  router.get('/outbox/:file/html', async (req, res) => {
    const stored = await readOutboxMail(dir, String(req.params.file));
    if (!stored?.mail.html) throw new NotFoundError('no such mail in the outbox', 'mail_not_found');
    res
      .set({
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': "sandbox allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation; default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; frame-ancestors 'self'",
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-store',
      })
      .send(stored.mail.html);
  });
}

function sendOutboxPage(res: Response, title: string, body: string): void {
  res
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; frame-src 'self'; base-uri 'none'; frame-ancestors 'none'`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    })
    .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)} – NPS Loop demo</title><style>${STYLE}</style></head><body>${body}</body></html>`);
}
