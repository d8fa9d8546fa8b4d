import { createHash } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { Sandbox } from '../sandbox-contract';
import type { ClosableKind, PanelAction } from '../control-panel';
import { HubSpotError } from '../errors';
import { firstString } from './parse';

/**
 * The sandbox's control page, for a person trying the product (no authentication, like the control API):
 *
 *   GET  /_control                     buttons, what happened after each click, the contact's nps_* properties and tasks
 *   GET  /_control/state               the same as JSON: {actions, next: {deal, ticket}}
 *   POST /_control/close-deal          {id?, portalId?} close an open deal of a contact who can be surveyed (closed-won)
 *   POST /_control/close-ticket        {id?, portalId?} the same for a ticket (its closed stage)
 *
 * A POST from a browser form is answered with a redirect back to the page; anything else gets the action as JSON.
 */

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;color:#1d2330;margin:0 auto;max-width:1000px;padding:16px}
h1{margin-bottom:4px}form{display:inline}button{font:inherit;font-weight:600;padding:10px 18px;margin:0 8px 8px 0;border:0;border-radius:6px;background:#ff7a59;color:#fff;cursor:pointer}
button:hover{background:#e8603f}a{color:#1f5fbf}.muted{color:#5b6472}.error{background:#fde8e7;border-left:4px solid #b3261e;padding:8px 12px}
.action{border:1px solid #d0d4da;border-radius:8px;padding:12px 16px;margin:12px 0}.ok{color:#1b7a3a}.bad{color:#b3261e}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #e3e6ea;vertical-align:top;font-size:14px}
pre{white-space:pre-wrap;word-break:break-all;background:#f4f5f7;padding:8px 12px;font-size:13px}nav a{margin-right:16px}`;
const STYLE_HASH = createHash('sha256').update(STYLE, 'utf8').digest('base64');

const esc = (value: unknown): string =>
  String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** Only http(s) links are shown as links: configured hrefs are data, never a javascript: URL. */
const safeHref = (href: string) => (/^https?:\/\//i.test(href) || href.startsWith('/') ? href : '#');

const hostOf = (origin: string) => {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
};

const wantsHtml = (req: Request) =>
  Boolean(req.is('application/x-www-form-urlencoded')) || /text\/html/.test(req.get('accept') ?? '');

export function controlPageRouter(sandboxOf: () => Sandbox): Router {
  const router = Router();

  // Only this page's own forms may click (a page elsewhere cannot post to a sandbox on localhost).
  router.use((req, res, next) => {
    const origin = req.get('origin');
    if (req.method !== 'POST' || !origin || hostOf(origin) === req.get('host')) return next();
    res.status(403).json({ status: 'error', message: 'cross-site request refused', category: 'FORBIDDEN' });
  });

  router.get('/', async (req, res) => sendPage(res, await page(sandboxOf(), firstString(req.query.error))));
  router.get('/state', async (_req, res) => {
    const sandbox = sandboxOf();
    const [deal] = await sandbox.controlPanel.candidates('deal');
    const [ticket] = await sandbox.controlPanel.candidates('ticket');
    res.json({ actions: sandbox.controlPanel.actions(), next: { deal: deal ?? null, ticket: ticket ?? null } });
  });

  const close = (kind: ClosableKind) => async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as { id?: unknown; portalId?: unknown };
    const id = body.id === undefined || body.id === '' ? undefined : String(body.id);
    const portalId = body.portalId === undefined || body.portalId === '' ? undefined : Number(body.portalId);
    try {
      const action = await sandboxOf().controlPanel.close(kind, { id, portalId });
      if (wantsHtml(req)) return void res.redirect(303, '/_control');
      res.status(201).json(action);
    } catch (error) {
      if (!(error instanceof HubSpotError) || !wantsHtml(req)) throw error;
      res.redirect(
        303,
        `/_control?error=${encodeURIComponent(String((error.body as { message?: string }).message ?? error.message))}`,
      );
    }
  };
  router.post('/close-deal', close('deal'));
  router.post('/close-ticket', close('ticket'));
  return router;
}

async function page(sandbox: Sandbox, error: string | undefined): Promise<string> {
  const panel = sandbox.controlPanel;
  const options = panel.options();
  const [deal] = await panel.candidates('deal');
  const [ticket] = await panel.candidates('ticket');
  const base = sandbox.url().replace('127.0.0.1', 'localhost');
  const links = (options.links ?? []).map((l) => `<a href="${esc(safeHref(l.href))}">${esc(l.label)}</a>`).join('');
  const curl = [
    deal &&
      `curl -X POST ${base}/_sandbox/deals/${deal.id}/stage -H 'content-type: application/json' -d '{"stage":"${deal.toStage}"}'`,
    ticket &&
      `curl -X POST ${base}/_sandbox/tickets/${ticket.id}/stage -H 'content-type: application/json' -d '{"stage":"${ticket.toStage}"}'`,
    `curl -X POST ${base}/_control/close-deal`,
  ].filter(Boolean);
  const actions = panel
    .actions()
    .map((a) => actionHtml(sandbox, a))
    .join('\n');
  return `<h1>HubSpot sandbox</h1>
<p class="muted">A local HubSpot portal (${esc(sandbox.defaultPortalId)}) that NPS Loop is installed in. Close a deal or a ticket the way a sales rep or a support agent would; HubSpot then sends the app a signed webhook and the app surveys the contact.</p>
${links ? `<nav>${links}</nav>` : ''}
${error ? `<p class="error" role="alert">${esc(error)}</p>` : ''}
<p>
<form method="post" action="/_control/close-deal"><button type="submit"${deal ? '' : ' disabled'}>Close a deal</button></form>
<form method="post" action="/_control/close-ticket"><button type="submit"${ticket ? '' : ' disabled'}>Close a ticket</button></form>
<a href="/_control">Refresh</a>
</p>
<p class="muted">Next: ${deal ? `deal ${esc(deal.id)} “${esc(deal.name)}” (${esc(deal.fromStage)} → ${esc(deal.toStageLabel)})` : 'no open deal of a contact who can be surveyed now'}; ${ticket ? `ticket ${esc(ticket.id)} “${esc(ticket.name)}” (${esc(ticket.fromStage)} → ${esc(ticket.toStageLabel)})` : 'no open ticket of a contact who can be surveyed now'}.</p>
<h2>What happened</h2>
${actions || '<p class="muted">Nothing yet: click a button above.</p>'}
<h2>The same from a terminal</h2>
<pre>${curl.map(esc).join('\n')}</pre>`;
}

function actionHtml(sandbox: Sandbox, a: PanelAction): string {
  const portal = sandbox.portal(a.portalId);
  const contact = portal.tables.contacts.live(Number(a.contact.id));
  const nps = Object.entries(contact?.properties ?? {})
    .filter(([name]) => name.startsWith('nps_'))
    .sort(([x], [y]) => x.localeCompare(y));
  const tasks = sandbox.crm.listTasks({ portalId: a.portalId, contactId: a.contact.id });
  const webhook = a.webhook
    ? `<span class="${a.webhook.outcome === 'delivered' ? 'ok' : 'bad'}">signed webhook ${esc(a.webhook.outcome)}${a.webhook.status ? ` (the app answered ${esc(a.webhook.status)})` : ''}</span>`
    : '<span class="bad">no webhook sent (no delivery target configured)</span>';
  const link = sandbox.controlPanel.options().contactLink;
  return `<div class="action">
<p><strong>${esc(a.at.slice(11, 19))}</strong> Closed ${esc(a.kind)} ${esc(a.id)} “${esc(a.name)}” (${esc(a.pipeline)}: ${esc(a.fromStage)} → ${esc(a.toStageLabel)}) · ${webhook}</p>
<p>Contact ${esc(a.contact.id)}: ${esc(a.contact.name)}${a.contact.email ? ` &lt;${esc(a.contact.email)}&gt;` : ''}${link ? ` · <a href="${esc(safeHref(link.href.replace('{contactId}', encodeURIComponent(a.contact.id))))}">${esc(link.label)}</a>` : ''}</p>
<table><caption class="muted">NPS properties on the contact</caption><tbody>${
    nps.length
      ? nps.map(([name, value]) => `<tr><th scope="row">${esc(name)}</th><td>${esc(value)}</td></tr>`).join('')
      : '<tr><td class="muted">none yet: they appear once the contact answers the survey</td></tr>'
  }</tbody></table>
<table><caption class="muted">Tasks on the contact</caption><thead><tr><th scope="col">Subject</th><th scope="col">Status</th><th scope="col">Priority</th><th scope="col">Type</th><th scope="col">Due</th></tr></thead><tbody>${
    tasks.length
      ? tasks
          .map(
            (t) =>
              `<tr><td>${esc(t.properties.hs_task_subject)}</td><td>${esc(t.properties.hs_task_status)}</td><td>${esc(t.properties.hs_task_priority)}</td><td>${esc(t.properties.hs_task_type)}</td><td>${esc((t.properties.hs_timestamp ?? '').slice(0, 10))}</td></tr>`,
          )
          .join('')
      : '<tr><td colspan="5" class="muted">none yet: the follow-up task appears once the contact answers</td></tr>'
  }</tbody></table>
</div>`;
}

function sendPage(res: Response, body: string): void {
  res.set({
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  })
    .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>HubSpot sandbox – control</title><style>${STYLE}</style></head><body>${body}</body></html>`);
}
