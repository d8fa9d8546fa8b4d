import type { Request, Response } from 'express';
import type { SettingsChange, SettingsVersion } from '../core';
import { getSettings, settingsHistory, settingsVersion } from '../core';
import { NotFoundError, escapeHtml as e } from '../shared';
import { csrfOf, isAdmin, sendWorkspacePage } from './layout.view';
import { saveFromWorkspace } from './save';
import type { WorkspaceRoutes } from './sections.routes';

// GET /dashboard/settings/history: every saved version (who, when, what changed). POST .../:version/restore
// (admins): the old settings are checked against today's schema and checks, then saved as a new version.

const HISTORY_PATH = '/dashboard/settings/history';
const SOURCES: Record<SettingsVersion['source'], string> = {
  workspace: 'settings page',
  api: 'API',
  restore: 'restore',
  file: 'settings file',
};

function shown(value: unknown): string {
  if (value === undefined) return '(not set)';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

function changeList(changes: SettingsChange[]): string {
  if (changes.length === 0) return '<p class="hint">No change.</p>';
  const items = changes
    .slice(0, 25)
    .map(
      (c) =>
        `<li><code>${e(c.path)}</code>: <span class="before">${e(shown(c.before))}</span> <span aria-hidden="true">→</span><span class="visually-hidden">became</span> <span class="after">${e(shown(c.after))}</span></li>`,
    )
    .join('');
  const more = changes.length > 25 ? `<li>and ${changes.length - 25} more</li>` : '';
  return `<ul class="changes">${items}${more}</ul>`;
}

function versionCard(req: Request, v: SettingsVersion, current: boolean): string {
  const when = v.savedAt.replace('T', ' ').slice(0, 16) + ' UTC';
  const restore =
    !current && isAdmin(req)
      ? `<form method="post" action="${HISTORY_PATH}/${v.version}/restore"><input type="hidden" name="_csrf" value="${e(csrfOf(req))}"><button type="submit" class="secondary">Restore version ${v.version}</button></form>`
      : '';
  return `<li class="version" id="version-${v.version}">
<h2>Version ${v.version}${current ? ' <span class="badge">Current</span>' : ''}</h2>
<p class="meta">${e(when)} · ${e(v.savedBy)} · ${e(SOURCES[v.source])}</p>
${changeList(v.changes)}
${restore}
</li>`;
}

export function registerHistoryRoutes(r: WorkspaceRoutes): void {
  const { router, deps, assets } = r;

  const render = async (req: Request, res: Response, problem?: { version: number; issues: string[] }) => {
    const portalId = req.portalId as number;
    const [settings, versions] = await Promise.all([
      getSettings(deps.db, portalId),
      settingsHistory(deps.db, portalId, 100),
    ]);
    const refused = problem
      ? `<div class="form-problems" role="alert" id="restore-problems"><p>Version ${problem.version} was not restored: it does not pass today’s checks.</p><ul>${problem.issues.map((i) => `<li>${e(i)}</li>`).join('')}</ul></div>`
      : '';
    const restored =
      req.query.restored !== undefined
        ? `<p class="notice" role="status" id="saved-notice">Restored as a new version. Saved.</p>`
        : '';
    sendWorkspacePage(res, req, assets, settings, {
      title: 'History',
      status: problem ? 400 : 200,
      main: `<p class="crumbs"><a href="/dashboard/settings">Settings</a> › History</p>
<h1>History</h1>
<p class="sub">Every save of the settings, newest first: from these pages, the API or the settings file. Restoring an earlier version saves it again as the newest.</p>
${restored}${refused}
${versions.length ? `<ol class="versions" id="versions">${versions.map((v, i) => versionCard(req, v, i === 0)).join('\n')}</ol>` : '<p id="versions">No saves yet: the settings are the defaults or the settings file’s.</p>'}`,
    });
  };

  router.get(HISTORY_PATH, r.signedIn, (req, res) => render(req, res));

  router.post(`${HISTORY_PATH}/:version/restore`, r.signedIn, r.adminOnly, async (req, res) => {
    const number = Number(req.params.version);
    const version = Number.isSafeInteger(number)
      ? await settingsVersion(deps.db, req.portalId as number, number)
      : undefined;
    if (!version)
      throw new NotFoundError(`no settings version ${String(req.params.version)}`, 'unknown_settings_version');
    const outcome = await saveFromWorkspace(deps, req, version.settings, r.sections(), [], 'restore');
    if (outcome.ok) return void res.redirect(303, `${HISTORY_PATH}?restored=${version.version}`);
    const issues = outcome.issues.map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`);
    await render(req, res, { version: version.version, issues });
  });
}
