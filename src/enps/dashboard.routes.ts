import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { AppDeps, Assets } from '../core';
import { getSettings, registerAssets, sendPage } from '../core';
import { requireAdminRole, requireDashboardSession } from '../auth';
import { BadRequestError, escapeHtml as e, NotFoundError, parseInput } from '../shared';
import { renderAdmin } from './admin.view';
import { parseEmployeeCsv } from './employees.csv';
import { listEmployees, replaceEmployees } from './employees.repo';
import { addDays, dayOf, waveDates } from './enps.rules';
import { enpsCsv } from './export';
import { enpsResults, teamComparison, type TeamComparison } from './results';
import {
  commentsSection,
  comparisonSection,
  distributionSection,
  groupsSection,
  headlineSection,
  openWavesSection,
  trendSection,
} from './results.view';
import { teamsOf, type HubSpotTeam } from './roster';
import { closeWaveEarly, insertWave, listWaves } from './waves.repo';

// /dashboard/enps (results, for everyone signed in), /dashboard/enps/admin (waves and the employee list, admins),
// and the aggregate-only CSV export.

const waveForm = z.strictObject({
  _csrf: z.string().optional(),
  opensOn: z.iso.date(),
  closesOn: z.iso.date(),
  breakdown: z.enum(['team', 'tenure', 'location']).default('team'),
  question1: z.string().trim().max(300).default(''),
  question2: z.string().trim().max(300).default(''),
});

export function enpsDashboardRoutes(router: Router, deps: AppDeps): void {
  const assets = registerAssets(router);
  const session = requireDashboardSession(deps);
  const admin = [session, requireAdminRole()];

  router.get('/dashboard/enps', session, async (req, res) => {
    const portalId = req.portalId as number;
    const results = await enpsResults(deps, portalId);
    const latest = results.closed[0];
    let comparison: TeamComparison[] = [];
    if (latest?.total) comparison = await teamComparison(deps, portalId, latest).catch(() => []);
    page(res, assets, req, 'eNPS', [
      openWavesSection(results),
      headlineSection(latest),
      distributionSection(latest),
      trendSection(results.closed),
      groupsSection(latest),
      comparisonSection(comparison),
      commentsSection(latest),
    ]);
  });

  router.get('/dashboard/enps/export.csv', ...admin, async (req, res) => {
    const results = await enpsResults(deps, req.portalId as number);
    res.set({ 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="enps.csv"' });
    res.send(enpsCsv(results.closed));
  });

  router.get('/dashboard/enps/admin', ...admin, async (req, res) => adminPage(deps, assets, req, res));

  router.post('/dashboard/enps/waves', ...admin, async (req, res) => {
    const portalId = req.portalId as number;
    const form = parseInput(waveForm, req.body, 'wave');
    const today = dayOf(deps.clock.now());
    if (form.opensOn < today) throw new BadRequestError('invalid wave: opensOn: must be today or later');
    if (form.closesOn <= form.opensOn) throw new BadRequestError('invalid wave: closesOn: must be after opensOn');
    const settings = await getSettings(deps.db, portalId);
    const days = Math.round((Date.parse(form.closesOn) - Date.parse(form.opensOn)) / 86_400_000);
    await insertWave(deps.db, {
      portalId,
      ...waveDates(form.opensOn, days, settings.enps.reminderAfterDays),
      questions: [form.question1, form.question2].filter((q) => q !== ''),
      breakdown: form.breakdown,
      createdOn: today,
    });
    res.redirect(303, '/dashboard/enps/admin?done=wave');
  });

  router.post('/dashboard/enps/waves/:id/close', ...admin, async (req, res) => {
    const id = parseInput(z.uuid(), req.params.id, 'wave id');
    if (!(await closeWaveEarly(deps.db, req.portalId as number, id, dayOf(deps.clock.now()))))
      throw new NotFoundError('no open or scheduled wave with this id', 'wave_not_found');
    res.redirect(303, '/dashboard/enps/admin?done=closed');
  });

  router.post('/dashboard/enps/employees', ...admin, async (req, res) => {
    const portalId = req.portalId as number;
    const { csv } = parseInput(
      z.object({ csv: z.string().max(2_000_000), _csrf: z.string().optional() }),
      req.body,
      'employee list',
    );
    const parsed = parseEmployeeCsv(csv);
    if (parsed.bad.length > 0) {
      const problems = parsed.bad.slice(0, 50).map((b) => `line ${b.line}: ${b.reason}`);
      if (wantsJson(req))
        return void res
          .status(400)
          .json({ error: { code: 'invalid_csv', message: problems.join('; ') }, bad: parsed.bad });
      return adminPage(deps, assets, req, res, { problems, status: 400 });
    }
    await replaceEmployees(deps.db, portalId, parsed.employees);
    if (wantsJson(req)) return void res.json({ rows: parsed.rows, stored: parsed.employees.length });
    res.redirect(303, '/dashboard/enps/admin?done=employees');
  });
}

function wantsJson(req: Request): boolean {
  return (req.get('accept') ?? '').includes('application/json');
}

const NOTICES: Record<string, string> = {
  wave: 'The wave is scheduled.',
  closed: 'Done: the wave closes today (or was cancelled before it opened).',
  employees: 'The employee list is replaced.',
};

async function adminPage(
  deps: AppDeps,
  assets: Assets,
  req: Request,
  res: Response,
  extra: { problems?: string[]; status?: number } = {},
): Promise<void> {
  const portalId = req.portalId as number;
  const settings = await getSettings(deps.db, portalId);
  const today = dayOf(deps.clock.now());
  let teams: HubSpotTeam[] | null = null;
  try {
    teams = teamsOf(await deps.hubspot.forPortal(portalId).listOwners());
  } catch {
    teams = null;
  }
  const done = typeof req.query.done === 'string' ? NOTICES[req.query.done] : undefined;
  page(
    res,
    assets,
    req,
    'eNPS admin',
    [
      renderAdmin({
        csrf: req.dashboardSession?.csrfToken ?? '',
        waves: await listWaves(deps.db, portalId),
        today,
        defaults: { closesOn: addDays(today, settings.enps.openDays), breakdown: settings.enps.breakdown },
        employees: (await listEmployees(deps.db, portalId)).length,
        teams,
        chosenTeams: Object.entries(settings.enps.teams).flatMap(([id, on]) => (on ? [id] : [])),
        notice: done,
        problems: extra.problems,
      }),
    ],
    extra.status,
  );
}

function page(res: Response, assets: Assets, req: Request, title: string, sections: string[], status?: number): void {
  const admin = req.portalRole === 'admin';
  sendPage(res, {
    status,
    title: `${title} · NPS Loop`,
    styles: [assets.url('dashboard.css')],
    body: `<header class="top">
<p class="brand">NPS Loop · eNPS</p>
<nav aria-label="eNPS">
<a href="/dashboard">Customer NPS</a>
<a href="/dashboard/enps">eNPS results</a>
${admin ? '<a href="/dashboard/enps/admin">Waves and people</a>\n<a href="/dashboard/enps/export.csv" download>Export CSV (aggregates)</a>' : ''}
</nav>
</header>
<main class="page">
<h1>${e(title)}</h1>
<div class="grid">
${sections.join('\n')}
</div>
</main>`,
  });
}
