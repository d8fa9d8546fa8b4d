import type { Request, RequestHandler, Response, Router } from 'express';
import type { AppDeps, Assets, SettingsField, SettingsSection, SettingsSectionContext } from '../core';
import { getSettings } from '../core';
import { NotFoundError, escapeHtml as e } from '../shared';
import { applyForm, placeIssues, type FormBody } from './form-values';
import { errorSummary, otherProblems, renderField, type FormState } from './form.view';
import { csrfOf, isAdmin, savedNotice, sendWorkspacePage, viewerNotice } from './layout.view';
import { saveFromWorkspace } from './save';

// GET /dashboard/settings: the menu of sections. GET/POST /dashboard/settings/:section: one section's form,
// rendered from its fields; a save is checked as a whole and either lands (redirect with "Saved") or comes back
// with each problem next to its field and the typed values kept.

export interface WorkspaceRoutes {
  router: Router;
  deps: AppDeps;
  assets: Assets;
  sections: () => SettingsSection[];
  signedIn: RequestHandler;
  adminOnly: RequestHandler;
}

function sortedSections(sections: () => SettingsSection[]): SettingsSection[] {
  return [...sections()].sort((a, b) => a.order - b.order || a.title.localeCompare(b.title));
}

async function fieldsOf(section: SettingsSection, ctx: SettingsSectionContext): Promise<SettingsField[]> {
  if (typeof section.fields === 'function') return section.fields(ctx);
  return section.fields ?? [];
}

function menu(sections: SettingsSection[]): string {
  const items = sections
    .map(
      (
        s,
      ) => `<li><a href="${e(s.href ?? `/dashboard/settings/${s.id}`)}" class="ws-link"><span class="ws-title">${e(s.title)}</span>
${s.description ? `<span class="ws-desc">${e(s.description)}</span>` : ''}</a></li>`,
    )
    .join('\n');
  return `<ul class="ws-menu" id="sections">
${items}
<li><a href="/dashboard/settings/history" class="ws-link"><span class="ws-title">History</span>
<span class="ws-desc">Every saved version: who changed what, and when. Restore an earlier one.</span></a></li>
</ul>`;
}

export function sectionForm(
  req: Request,
  action: string,
  title: string,
  fields: SettingsField[],
  state: FormState,
  extra = '',
  cancel = '/dashboard/settings',
): string {
  const admin = isAdmin(req);
  return `${errorSummary(fields, state)}${otherProblems(state)}
<form method="post" action="${e(action)}" class="ws-form" novalidate>
<input type="hidden" name="_csrf" value="${e(csrfOf(req))}">
<fieldset${admin ? '' : ' disabled'}>
<legend class="visually-hidden">${e(title)}</legend>
${fields.map((f) => renderField(f, state)).join('\n')}
</fieldset>
${admin ? `<div class="actions"><button type="submit" name="_action" value="save">Save</button> <a href="${e(cancel)}">Cancel</a></div>` : ''}
${extra}
</form>`;
}

export function registerSectionRoutes(r: WorkspaceRoutes): void {
  const { router, deps, assets } = r;
  const find = (id: string) => {
    const section = r.sections().find((s) => s.id === id && s.fields);
    if (!section) throw new NotFoundError(`no settings section ${id}`, 'unknown_settings_section');
    return section;
  };

  const render = async (req: Request, res: Response, section: SettingsSection, state?: Partial<FormState>) => {
    const portalId = req.portalId as number;
    const settings = await getSettings(deps.db, portalId);
    const fields = await fieldsOf(section, { deps, portalId, settings });
    const form: FormState = { settings, ...state };
    sendWorkspacePage(res, req, assets, settings, {
      title: section.title,
      status: state?.issues ? 400 : 200,
      main: `<p class="crumbs"><a href="/dashboard/settings">Settings</a> › ${e(section.title)}</p>
<h1>${e(section.title)}</h1>
${section.description ? `<p class="sub">${e(section.description)}</p>` : ''}
${savedNotice(req)}${viewerNotice(req)}
${sectionForm(req, `/dashboard/settings/${section.id}`, section.title, fields, form)}`,
    });
  };

  router.get('/dashboard/settings', r.signedIn, async (req, res) => {
    const settings = await getSettings(deps.db, req.portalId as number);
    sendWorkspacePage(res, req, assets, settings, {
      title: 'Settings',
      main: `<h1>Settings</h1>
<p class="sub">What NPS Loop does for this HubSpot account. Changes apply at once and every save is kept in the history.</p>
${viewerNotice(req)}
${menu(sortedSections(r.sections))}`,
    });
  });

  router.get('/dashboard/settings/:section', r.signedIn, async (req, res) => {
    // A section with a page of its own (rows in its own tables) is reached by its id too.
    const own = r.sections().find((s) => s.id === req.params.section && !s.fields && s.href);
    if (own?.href) return void res.redirect(303, own.href);
    await render(req, res, find(String(req.params.section)));
  });

  router.post('/dashboard/settings/:section', r.signedIn, r.adminOnly, async (req, res) => {
    const section = find(String(req.params.section));
    const portalId = req.portalId as number;
    const settings = await getSettings(deps.db, portalId);
    const fields = await fieldsOf(section, { deps, portalId, settings });
    const applied = applyForm(settings, fields, (req.body ?? {}) as FormBody);
    const outcome = await saveFromWorkspace(deps, req, applied.candidate, r.sections(), applied.issues);
    if (outcome.ok) return void res.redirect(303, `/dashboard/settings/${section.id}?saved=1`);
    await render(req, res, section, { typed: applied.typed, issues: placeIssues(fields, outcome.issues) });
  });
}
