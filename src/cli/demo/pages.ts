import { createHash } from 'node:crypto';
import type { Response, Router } from 'express';
import type { ContactCard } from '../../../extensions/app/cards/contract';
import { requireDashboardSession } from '../../auth';
import type { AppDeps } from '../../core';
import type { Feature } from '../../core';
import { escapeHtml as e } from '../../shared/http';
import { NotFoundError } from '../../shared/errors';
import { signV3 } from '../../shared/signature';
import { signedCurl, summariseContactCard } from './card';
import { capturedMailDir, listCapturedMail, readCapturedMail } from './mail-folder';
import { demoWebAppRoutes } from './web-app';

// The demo's own pages in the app, mounted only by `npm run demo` (src/cli/demo/environment.ts passes this feature
// to startServer; `npm start` never has it). They show addresses and live survey links, so every one of them needs
// the dashboard sign-in. Operator pages for trying the product locally, so their few labels are English.
//
//   GET /demo/mail                   the captured survey mails, newest first
//   GET /demo/mail/:file             one mail: headers, its HTML part (boxed in) and its text part with live links
//   GET /demo/mail/:file/html        the mail's own HTML, sandboxed
//   GET /demo/card/:contactId        what the CRM card shows for a contact, fetched from the signed card API
//   GET /demo/web-app                a sample customer web app with the in-app web survey (./web-app.ts)

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;color:#1d2330;margin:0 auto;max-width:960px;padding:16px}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #d0d4da;vertical-align:top}
a{color:#1f5fbf}pre{white-space:pre-wrap;word-break:break-all;background:#f4f5f7;padding:12px}
iframe{width:100%;height:720px;border:1px solid #d0d4da}dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 12px}dt{font-weight:700}
.big{font-size:2.5rem;font-weight:700}.promoter{color:#1b7a3a}.passive{color:#8a6d00}.detractor{color:#b3261e}`;
const STYLE_HASH = createHash('sha256').update(STYLE, 'utf8').digest('base64');

const CONTACT_ID = /^\d{1,18}$/;

export const demoFeature: Feature = {
  name: 'demo',
  routes(router, deps) {
    demoMailRoutes(router, deps);
    demoCardRoutes(router, deps);
    demoWebAppRoutes(router, deps);
  },
};

function demoMailRoutes(router: Router, deps: AppDeps): void {
  const dir = capturedMailDir(deps.config.dataDir);
  const signedIn = requireDashboardSession(deps);

  router.get('/demo/mail', signedIn, async (_req, res) => {
    const mails = await listCapturedMail(dir);
    const rows = mails
      .map(
        (m) =>
          `<tr><td>${e(m.date)}</td><td>${e(m.to)}</td><td><a href="/demo/mail/${encodeURIComponent(m.file)}">${e(m.subject)}</a></td></tr>`,
      )
      .join('\n');
    sendDemoPage(
      res,
      'Demo mail',
      `<h1>Demo mail</h1>
<p>The demo captures survey emails in ${e(dir)} instead of sending them. ${mails.length} mail(s). Open one and click a score to answer.</p>
<table><thead><tr><th scope="col">Written</th><th scope="col">To</th><th scope="col">Subject</th></tr></thead>
<tbody>${rows}</tbody></table>`,
    );
  });

  router.get('/demo/mail/:file', signedIn, async (req, res) => {
    const stored = await readCapturedMail(dir, String(req.params.file));
    if (!stored) throw new NotFoundError('no such mail in the demo mail folder', 'mail_not_found');
    const { headers, text } = stored.mail;
    const shown = ['from', 'to', 'subject', 'date', 'message-id', 'list-unsubscribe'];
    const linked = e(text ?? '').replace(/https?:\/\/[^\s<&]+/g, (url) => `<a href="${url}">${url}</a>`);
    const file = encodeURIComponent(String(req.params.file));
    sendDemoPage(
      res,
      headers.subject ?? 'Mail',
      `<p><a href="/demo/mail">← Demo mail</a></p>
<h1>${e(headers.subject ?? '(no subject)')}</h1>
<dl>${shown.map((h) => `<dt>${e(h)}</dt><dd>${e(headers[h] ?? '')}</dd>`).join('')}</dl>
<h2>HTML part</h2>
<iframe title="HTML part of the mail" src="/demo/mail/${file}/html" sandbox="allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation"></iframe>
<h2>Text part</h2>
<pre>${linked}</pre>`,
    );
  });

  // The mail's own HTML, boxed in: sandboxed, no scripts, images only over https.
  router.get('/demo/mail/:file/html', signedIn, async (req, res) => {
    const stored = await readCapturedMail(dir, String(req.params.file));
    if (!stored?.mail.html) throw new NotFoundError('no such mail in the demo mail folder', 'mail_not_found');
    res
      .set({
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy':
          "sandbox allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation; default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; frame-ancestors 'self'",
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-store',
      })
      .send(stored.mail.html);
  });
}

/** What HubSpot's CRM card shows for a contact: the app asks its own card API exactly as hubspot.fetch would. */
function demoCardRoutes(router: Router, deps: AppDeps): void {
  router.get('/demo/card/:contactId', requireDashboardSession(deps), async (req, res) => {
    const contactId = String(req.params.contactId);
    if (!CONTACT_ID.test(contactId)) throw new NotFoundError('no such contact', 'contact_not_found');
    const path = `/api/card/contacts/${contactId}?portalId=${req.portalId}`;
    const ts = Date.now();
    const { config } = deps;
    const answer = await fetch(`${config.publicBaseUrl}${path}`, {
      headers: {
        'x-hubspot-signature-v3': signV3(config.hubspot.clientSecret, 'GET', `${config.publicBaseUrl}${path}`, '', ts),
        'x-hubspot-request-timestamp': String(ts),
      },
    });
    if (!answer.ok)
      throw new NotFoundError(`the card API answered ${answer.status} for contact ${contactId}`, 'card_unavailable');
    const card = (await answer.json()) as ContactCard;
    sendDemoPage(res, `Card of contact ${contactId}`, cardBody(card, signedCurl(config, path)));
  });
}

function cardBody(card: ContactCard, curl: string): string {
  const day = (iso: string | null | undefined) => (iso ? e(iso.slice(0, 10)) : '—');
  const score =
    card.score === null
      ? '<p class="big">—</p><p>No current score.</p>'
      : `<p class="big ${e(card.category)}">${e(card.score)}</p><p>${e(card.category)}, answered ${day(card.currentAnsweredAt)}</p>`;
  const history = card.history
    .slice(0, 10)
    .map(
      (h) =>
        `<tr><td>${day(h.answeredAt)}</td><td class="${e(h.category)}">${e(h.score)}</td><td>${e(h.channel)}</td><td>${e(h.comment ?? '')}</td></tr>`,
    )
    .join('');
  const tasks = card.openFollowUps
    .map(
      (t) =>
        `<li>${t.url && /^https?:\/\//.test(t.url) ? `<a href="${e(t.url)}">${e(t.subject)}</a>` : e(t.subject)} · ${e(t.priority ?? '')} · ${e(t.ownerName ?? 'no owner')} · due ${day(t.dueAt)}</li>`,
    )
    .join('');
  const s = card.surveyStatus;
  return `<h1>NPS card: contact ${e(card.contactId)}</h1>
<p>What the NPS Loop card on this contact's record in HubSpot shows, read from the card API (<code>/api/card/contacts/${e(card.contactId)}</code>).</p>
${score}
<p>${e(summariseContactCard(card))}</p>
<h2>Survey</h2>
<dl><dt>status</dt><dd>${e(s.state.replace('_', ' '))}${s.reason && s.reason !== s.state ? ` (${e(s.reason)})` : ''}</dd>${s.quietUntil ? `<dt>quiet until</dt><dd>${day(s.quietUntil)}</dd>` : ''}
<dt>Send survey now</dt><dd>${card.canSend.allowed ? (card.canSend.needsConfirmation ? 'asks to confirm' : 'ready') : `disabled: ${e(card.canSend.reason ?? card.canSend.code ?? '')}`}</dd></dl>
<h2>Open follow-ups (${card.openFollowUps.length})</h2>
<ul>${tasks || '<li>none</li>'}</ul>
<h2>History (${card.historyTotal} answer${card.historyTotal === 1 ? '' : 's'}, newest first)</h2>
<table><thead><tr><th scope="col">Answered</th><th scope="col">Score</th><th scope="col">Channel</th><th scope="col">Comment</th></tr></thead><tbody>${history}</tbody></table>
<h2>The same, from a terminal</h2>
<pre>${e(curl)}</pre>`;
}

function sendDemoPage(res: Response, title: string, body: string): void {
  res.set({
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; frame-src 'self'; base-uri 'none'; frame-ancestors 'none'`,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  })
    .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)} – NPS Loop demo</title><style>${STYLE}</style></head><body>${body}</body></html>`);
}
