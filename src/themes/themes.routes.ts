import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { AppDeps, Assets } from '../core';
import { sendPage } from '../core';
import { requireAdmin, requireAdminRole, requireDashboardSession } from '../auth';
import { AppError, DAY_MS, parseInput } from '../shared';
import { THEME_LANGUAGES } from './language';
import { compileTheme, tagComment } from './tagging';
import { themesReport } from './dashboard-report';
import { themesPageBody, type CandidateView } from './admin-page.view';
import {
  changeTheme,
  currentThemes,
  defineTheme,
  mergeThemes,
  removeTheme,
  themeCandidates,
  type CandidateQuery,
} from './service';

// /api/themes (JSON, for scripts: ADMIN_TOKEN or a dashboard session with its CSRF token) and /dashboard/themes
// (the admin page and its forms). Reading needs sign-in; changing needs the admin role.

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'a day as YYYY-MM-DD' });
const candidatesQuery = z
  .object({
    from: day.optional(),
    to: day.optional(),
    category: z.enum(['', 'promoter', 'passive', 'detractor']).optional(),
    limit: z.coerce.number().int().min(1).max(100).optional(),
  })
  .strict();
const acceptInput = z.object({
  phrase: z.string().trim().min(1).max(80),
  language: z.enum(THEME_LANGUAGES),
  name: z.string().trim().max(80).optional(),
  _csrf: z.string().optional(),
});
const reportQuery = z
  .object({ from: day.optional(), to: day.optional(), granularity: z.enum(['week', 'month', 'quarter']).optional() })
  .strict();
const themeId = z.object({ id: z.uuid({ error: 'not a theme id' }) });

/** Default period: the last 90 days, today included (as on the dashboard). */
function candidateQuery(query: unknown, now: Date) {
  const q = parseInput(candidatesQuery, query, 'query');
  const to = q.to ?? now.toISOString().slice(0, 10);
  const from = q.from ?? new Date(new Date(`${to}T00:00:00Z`).getTime() - 89 * DAY_MS).toISOString().slice(0, 10);
  const range: CandidateQuery = {
    from: new Date(`${from}T00:00:00Z`),
    to: new Date(new Date(`${to}T00:00:00Z`).getTime() + DAY_MS),
    category: q.category || null,
  };
  return { days: { from, to, category: q.category ?? '' }, range, limit: q.limit ?? 20 };
}

async function candidatesWithCoverage(
  deps: AppDeps,
  portalId: number,
  query: unknown,
): Promise<{
  days: { from: string; to: string; category: string };
  candidates: CandidateView[];
}> {
  const q = candidateQuery(query, deps.clock.now());
  const [themes, candidates] = await Promise.all([
    currentThemes(deps, portalId),
    themeCandidates(deps, portalId, q.range, q.limit),
  ]);
  const compiled = themes.map(compileTheme);
  return {
    days: q.days,
    candidates: candidates.map((c) => {
      const match = tagComment(c.phrase, c.language, compiled)[0];
      return { ...c, coveredBy: match ? (themes.find((t) => t.id === match.themeId)?.name ?? null) : null };
    }),
  };
}

/** A form's keywords_<language> fields (comma or newline separated) as the API's keywords object. */
function keywordsOfForm(body: Record<string, unknown>): Record<string, string[]> {
  const keywords: Record<string, string[]> = {};
  for (const l of THEME_LANGUAGES) {
    const raw = body[`keywords_${l}`];
    if (typeof raw === 'string')
      keywords[l] = raw
        .split(/[,\n]/)
        .map((k) => k.trim())
        .filter(Boolean);
  }
  return keywords;
}

const asArray = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

export function registerThemesRoutes(router: Router, deps: AppDeps, assets: Assets): void {
  const reader = requireAdmin(deps);
  const writer = [requireAdmin(deps), requireAdminRole()];
  const portal = (req: Request) => req.portalId as number;

  router.get('/api/themes', reader, async (req, res) => {
    res.json({ themes: await currentThemes(deps, portal(req)) });
  });
  router.post('/api/themes', ...writer, async (req, res) => {
    res.status(201).json(await defineTheme(deps, portal(req), req.body));
  });
  router.get('/api/themes/candidates', reader, async (req, res) => {
    const { days, candidates } = await candidatesWithCoverage(deps, portal(req), req.query);
    res.json({
      period: { from: days.from, to: days.to },
      category: days.category || null,
      scoring:
        'log-odds ratio with an informative Dirichlet prior, as a z-score: phrases used by more of the period’s comments (countIn of totalIn) than of the other comments (countOut of totalOut)',
      candidates,
    });
  });
  router.get('/api/themes/report', reader, async (req, res) => {
    const q = parseInput(reportQuery, req.query, 'query');
    const { days } = candidateQuery({ from: q.from, to: q.to }, deps.clock.now());
    res.json(await themesReport(deps, portal(req), days, q.granularity ?? 'month'));
  });
  router.post('/api/themes/candidates/accept', ...writer, async (req, res) => {
    const input = parseInput(acceptInput, req.body ?? {}, 'candidate');
    const theme = await defineTheme(deps, portal(req), {
      name: input.name || input.phrase,
      keywords: { [input.language]: [input.phrase] },
    });
    res.status(201).json(theme);
  });
  router.post('/api/themes/merge', ...writer, async (req, res) => {
    res.json(await mergeThemes(deps, portal(req), req.body));
  });
  router.patch('/api/themes/:id', ...writer, async (req, res) => {
    const { id } = parseInput(themeId, req.params, 'theme id');
    res.json(await changeTheme(deps, portal(req), id, req.body));
  });
  router.delete('/api/themes/:id', ...writer, async (req, res) => {
    const { id } = parseInput(themeId, req.params, 'theme id');
    await removeTheme(deps, portal(req), id);
    res.status(204).end();
  });

  const signedIn = requireDashboardSession(deps);
  const page = async (
    req: Request,
    res: Response,
    extra: { error?: string; notice?: string; status?: number } = {},
  ) => {
    const { days, candidates } = await candidatesWithCoverage(deps, portal(req), extra.error ? {} : req.query);
    res.setHeader('cache-control', 'no-store');
    sendPage(res, {
      title: 'Comment themes · NPS Loop',
      styles: [assets.url('dashboard.css')],
      status: extra.status,
      body: themesPageBody({
        themes: await currentThemes(deps, portal(req)),
        candidates,
        query: days,
        canManage: req.portalRole === 'admin',
        csrf: req.dashboardSession?.csrfToken ?? '',
        error: extra.error,
        notice: extra.notice,
      }),
    });
  };
  /** Runs a form's change; a 4xx is shown on the page (status kept), success goes back to the page. */
  const form = (change: (req: Request) => Promise<unknown>) => async (req: Request, res: Response) => {
    try {
      await change(req);
    } catch (err) {
      if (err instanceof AppError && err.status < 500)
        return page(req, res, { error: err.message, status: err.status });
      throw err;
    }
    res.redirect(303, '/dashboard/themes');
  };
  const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;

  router.get('/dashboard/themes', signedIn, (req, res) => page(req, res));
  router.post(
    '/dashboard/themes',
    signedIn,
    requireAdminRole(),
    form((req) => defineTheme(deps, portal(req), { name: body(req).name ?? '', keywords: keywordsOfForm(body(req)) })),
  );
  router.post(
    '/dashboard/themes/accept',
    signedIn,
    requireAdminRole(),
    form(async (req) => {
      const input = parseInput(acceptInput, body(req), 'candidate');
      await defineTheme(deps, portal(req), { name: input.phrase, keywords: { [input.language]: [input.phrase] } });
    }),
  );
  router.post(
    '/dashboard/themes/merge',
    signedIn,
    requireAdminRole(),
    form((req) => mergeThemes(deps, portal(req), { into: body(req).into, from: asArray(body(req).from) })),
  );
  router.post(
    '/dashboard/themes/:id',
    signedIn,
    requireAdminRole(),
    form(async (req) => {
      const { id } = parseInput(themeId, req.params, 'theme id');
      await changeTheme(deps, portal(req), id, { name: body(req).name, keywords: keywordsOfForm(body(req)) });
    }),
  );
  router.post(
    '/dashboard/themes/:id/delete',
    signedIn,
    requireAdminRole(),
    form(async (req) => {
      const { id } = parseInput(themeId, req.params, 'theme id');
      await removeTheme(deps, portal(req), id);
    }),
  );
}
