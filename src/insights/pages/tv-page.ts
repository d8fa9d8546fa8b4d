import type { Request, Response } from 'express';
import type { AppDeps } from '../../core';
import { z } from 'zod';
import { parseInput } from '../../shared';
import { escapeHtml as e } from '../../shared';
import { assertOwnPortal } from '../filters';
import { insights, insightsContext } from '../service';
import type { Assets } from '../../core';
import type { OwnerDirectory } from '../owner-labels';
import { jsonForHtml, sendPage } from '../../core';
import { enpsTvTile } from '../../enps';

// GET /dashboard/tv: the wall-screen view for 1920×1080, readable from across the room. The page carries its
// first data as JSON; tv.js draws it and fetches /api/insights/tv every minute. No interaction needed.

const tvPageQuery = z.strictObject({ key: z.string().max(100).optional(), portalId: z.string().max(20).optional() });

export async function renderTv(
  deps: AppDeps,
  assets: Assets,
  owners: OwnerDirectory,
  req: Request,
  res: Response,
): Promise<void> {
  assertOwnPortal(parseInput(tvPageQuery, req.query, 'TV link'), req.portalId as number);
  const ctx = await insightsContext(deps, req.portalId as number, owners);
  const data = await insights.tv(ctx);
  sendPage(res, {
    title: `${ctx.settings.brand.name} · NPS`,
    styles: [assets.url('tv.css')],
    scripts: [assets.url('chart.umd.js'), assets.url('tv.js')],
    bodyClass: 'tv',
    body: `<main class="tv-grid">
<h1 class="visually-hidden">${e(ctx.settings.brand.name)} NPS, live</h1>
<section class="tv-score" aria-labelledby="tv-score-title">
<h2 id="tv-score-title">NPS · last 90 days</h2>
<p class="tv-nps"><span id="tv-nps">–</span> <span id="tv-moe" class="tv-moe"></span></p>
<p id="tv-change" class="tv-change"></p>
<p id="tv-meta" class="tv-meta"></p>
<div class="tv-spark"><canvas id="tv-sparkline" role="img" aria-label="NPS by week over the last 12 weeks"></canvas></div>
</section>
<section class="tv-counts" aria-labelledby="tv-counts-title">
<h2 id="tv-counts-title" class="visually-hidden">Answers</h2>
<p><span id="tv-today" class="tv-count">0</span> <span class="tv-label">answers today</span></p>
<p><span id="tv-week" class="tv-count">0</span> <span class="tv-label">this week</span></p>
</section>
<section class="tv-comments" aria-labelledby="tv-comments-title">
<h2 id="tv-comments-title">What promoters say</h2>
<ul id="tv-comment-list"></ul>
</section>
<section class="tv-heroes" aria-labelledby="tv-heroes-title">
<h2 id="tv-heroes-title">NPS heroes</h2>
<p id="tv-heroes-rule" class="tv-meta"></p>
<ol id="tv-hero-list"></ol>
</section>
${await enpsTvTile(deps, req.portalId as number)}
<p class="tv-footer" id="tv-status" role="status"></p>
</main>
<script type="application/json" id="tv-data">${jsonForHtml(data)}</script>`,
  });
}
