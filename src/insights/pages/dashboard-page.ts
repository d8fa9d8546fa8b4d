import type { Request, Response } from 'express';
import type { AppDeps } from '../../core';
import { escapeHtml as e } from '../../shared';
import { listTvLinks } from '../../auth';
import { workflowActionAvailability } from '../../portals';
import { dashboardQuery, isCustomDimension, parseQuery } from '../filters';
import { foldedOnce } from '../catch-up';
import { insights, insightsContext } from '../service';
import type { Headline } from '../headline';
import type { Assets } from '../../core';
import type { OwnerDirectory } from '../owner-labels';
import { jsonForHtml, sendPage } from '../../core';
import { compareWithBenchmark } from '../benchmark';
import { renderReviewsSection } from '../../reviews';
import { benchmarkSection } from './benchmark.view';
import { themesDashboardSection } from '../../themes';
import { moversPanel } from './movers.view';
import { channelsPanel } from './channels.view';
import { fmtChange, fmtCount, fmtMargin, fmtNps, fmtPercent, fmtPeriod } from './format';
import {
  SPLIT_OPTIONS,
  commentsSection,
  distributionSection,
  heroesSection,
  segmentsSection,
  trendSection,
  tvLinksSection,
} from './dashboard-sections.view';

// GET /dashboard: one server-rendered page with every number as HTML (readable without JavaScript), plus the
// chart data as a JSON block that dashboard.js draws with Chart.js. Filters are plain GET parameters.

export async function renderDashboard(
  deps: AppDeps,
  assets: Assets,
  owners: OwnerDirectory,
  req: Request,
  res: Response,
): Promise<void> {
  const portalId = req.portalId as number;
  const q = parseQuery(dashboardQuery, req.query, portalId, deps.clock.now());
  const split = q.split;
  const ctx = await insightsContext({ ...deps, db: await foldedOnce(deps.db, portalId) }, portalId, owners);
  // The other features' sections render alongside the insights queries, not after them.
  const extraSections = Promise.all([
    themesDashboardSection(deps, portalId, q.period, q.granularity, req.portalRole === 'admin'),
    renderReviewsSection(deps, portalId, q.period, owners),
    moversPanel(ctx, q.period, isCustomDimension(split) ? 'owner' : split),
  ]);
  // Handled below; this keeps a failure there from being an unhandled rejection when the queries fail first.
  extraSections.catch(() => undefined);
  const [head, trend, dist, segs, heroes, comments, links, workflowAction] = await Promise.all([
    insights.headline(ctx, q.period, q.mode),
    insights.trend(ctx, q.period, q.granularity, q.mode),
    insights.distribution(ctx, q.period, q.mode),
    insights.segments(ctx, q.period, q.mode, 25, split),
    insights.heroes(ctx, q.period, q.mode, 50),
    insights.comments(ctx, q, 25),
    req.portalRole === 'admin' ? listTvLinks(deps.db, portalId) : Promise.resolve(null),
    workflowActionAvailability(deps.db, portalId),
  ]);
  const [themesHtml, reviewsHtml, moversHtml] = await extraSections;
  const base = new URLSearchParams({
    from: q.period.from,
    to: q.period.to,
    mode: q.mode,
    granularity: q.granularity,
    split,
  });
  const exportQuery = new URLSearchParams({ from: q.period.from, to: q.period.to, mode: q.mode });
  if (q.category) exportQuery.set('category', q.category);
  if (q.segment) exportQuery.set('segment', `${q.segment.name}:${q.segment.value}`);
  if (q.q) exportQuery.set('q', q.q);
  const csrf = req.dashboardSession?.csrfToken ?? '';
  const chartData = {
    target: head.target,
    trend: trend.points.map((p) => ({ label: p.bucket, nps: p.nps, moe: p.marginOfError, n: p.n, shares: p.shares })),
    histogram: dist.histogram.map((h) => h.count),
  };

  sendPage(res, {
    title: `NPS ${fmtNps(head.nps)} · NPS Loop`,
    styles: [assets.url('dashboard.css')],
    scripts: [assets.url('chart.umd.js'), assets.url('dashboard.js')],
    body: `<header class="top">
<p class="brand">${e(ctx.settings.brand.name)} · NPS</p>
<nav aria-label="Dashboard">
<a href="/dashboard/tv">TV view</a>
<a href="/dashboard/settings">Settings</a>
<a href="/dashboard/enps">eNPS</a>
<a href="/api/insights/export.csv?${e(exportQuery.toString())}" download>Export CSV</a>
<form method="post" action="/dashboard/sign-out"><input type="hidden" name="_csrf" value="${e(csrf)}"><button type="submit" class="link">Sign out<span class="visually-hidden"> (${e(req.dashboardSession?.userLabel ?? '')})</span></button></form>
</nav>
</header>
<main class="page">
<h1 class="visually-hidden">NPS dashboard</h1>
${workflowAction.available ? '' : workflowActionNotice()}
${filterForm(q, split, [...SPLIT_OPTIONS, ...ctx.custom.map((c) => ({ value: c.name, label: c.label }))])}
<div class="grid">
${headlineCard(head)}
${benchmarkSection(compareWithBenchmark(ctx.settings.insights.benchmarkIndustry, head), head, req.portalRole === 'admin')}
${distributionSection(dist)}
${trendSection(trend)}
${segmentsSection(segs[0]!, base)}
${moversHtml}
${await channelsPanel(ctx, q.period)}
${heroesSection(heroes)}
${commentsSection(comments, q, base)}
${themesHtml}
${reviewsHtml}
${links ? tvLinksSection(links, csrf) : ''}
</div>
</main>
<script type="application/json" id="dashboard-data">${jsonForHtml(chartData)}</script>`,
  });
}

/** The install did not grant `automation`: say what is missing and why, once, above the numbers. */
function workflowActionNotice(): string {
  return `<p class="warning" role="note" id="workflow-action-unavailable">The <strong>Send NPS survey</strong> workflow action is unavailable:
this HubSpot account did not grant the <code>automation</code> scope (workflows need Marketing Hub Professional or Enterprise).
Surveys, the CRM cards and this dashboard work as usual; reinstall the app once the account has workflows.</p>`;
}

function filterForm(
  q: { period: { from: string; to: string }; mode: string; granularity: string },
  split: string,
  splitOptions: Array<{ value: string; label: string }>,
): string {
  const option = (value: string, label: string, current: string) =>
    `<option value="${e(value)}"${value === current ? ' selected' : ''}>${e(label)}</option>`;
  return `<form method="get" action="/dashboard" class="filters" id="filters">
<label>From <input type="date" name="from" value="${e(q.period.from)}" required></label>
<label>To <input type="date" name="to" value="${e(q.period.to)}" required></label>
<label>Count <select name="mode">${option('all', 'All answers', q.mode)}${option('latest', 'Latest answer per person', q.mode)}</select></label>
<label>Trend by <select name="granularity">${option('week', 'Week', q.granularity)}${option('month', 'Month', q.granularity)}${option('quarter', 'Quarter', q.granularity)}</select></label>
<label>Segments by <select name="split">${splitOptions.map((o) => option(o.value, o.label, split)).join('')}</select></label>
<button type="submit">Show</button>
</form>`;
}

function headlineCard(h: Headline): string {
  const changeClass = h.change.direction;
  const arrow = h.change.direction === 'up' ? '▲' : h.change.direction === 'down' ? '▼' : '▶';
  const noise =
    h.change.difference === null
      ? 'no answers to compare with'
      : h.change.significant
        ? `larger than the noise (${fmtMargin(h.change.marginOfError)})`
        : `within the noise (${fmtMargin(h.change.marginOfError)})`;
  return `<section class="card headline" aria-labelledby="h-headline">
<h2 id="h-headline">NPS, ${e(fmtPeriod(h.period))}</h2>
<p class="nps-big"><span class="value">${fmtNps(h.nps)}</span> <span class="moe">${e(fmtMargin(h.marginOfError))}</span></p>
<p>${fmtCount(h.n)} answers${h.mode === 'latest' ? ' (latest per person)' : ''} · ${fmtPercent(h.n ? (h.promoters / h.n) * 100 : null)} promoters · ${fmtPercent(h.n ? (h.detractors / h.n) * 100 : null)} detractors</p>
${h.tooFew ? `<p class="warning" role="note">Only ${fmtCount(h.n)} answers: too few to trust (the minimum is ${h.minAnswers}).</p>` : ''}
<p>Target ${fmtNps(h.target)}${h.vsTarget === null ? '' : ` · ${h.vsTarget >= 0 ? `${fmtNps(h.vsTarget)} above` : `${fmtNps(-h.vsTarget)} below`} target`}</p>
<p class="change ${changeClass}"><span aria-hidden="true">${arrow}</span> ${fmtChange(h.change.difference)} against the previous ${h.period.days} days
(${e(fmtPeriod(h.previous.period))}, NPS ${fmtNps(h.previous.nps)}, ${fmtCount(h.previous.n)} answers): ${noise}</p>
</section>`;
}
