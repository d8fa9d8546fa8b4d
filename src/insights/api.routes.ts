import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../core';
import { requireAdmin, requireAdminRole } from '../auth';
import { requireTvAccess } from '../auth';
import { parseInput } from '../shared';
import {
  assertOwnPortal,
  channelsQuery,
  commentsQuery,
  distributionQuery,
  exportQuery,
  headlineQuery,
  heroesQuery,
  moversQuery,
  parseQuery,
  segmentsQuery,
  trendQuery,
} from './filters';
import { assertKnownSegment, insights, insightsContext, type InsightsContext } from './service';
import { streamAnswersCsv } from './export-csv';
import { compareWithBenchmark } from './benchmark';
import type { OwnerDirectory } from './owner-labels';
import type { Period } from './math';

// GET /api/insights/...: the JSON behind the dashboard (documented in the README) and the CSV export. Signed in
// by a dashboard session or `Authorization: Bearer $ADMIN_TOKEN`; the portal is the signed-in one.

const tvQuery = z.strictObject({ key: z.string().max(100).optional(), portalId: z.string().max(20).optional() });

type FilterSchema = z.ZodType<{ from?: string; to?: string; portalId?: string }>;

export function registerInsightsApi(router: Router, deps: AppDeps, owners: OwnerDirectory): void {
  const signedIn = requireAdmin(deps);
  const today = () => deps.clock.now();
  const context = (req: Request) => insightsContext(deps, req.portalId as number, owners);
  const json =
    <T>(handler: (req: Request) => Promise<T>) =>
    async (req: Request, res: Response) => {
      const body = await handler(req);
      res.setHeader('cache-control', 'no-store');
      res.json(body);
    };
  /** A signed-in JSON read: the query parsed against `schema` (period resolved), then `read` with the portal's context. */
  const get = <S extends FilterSchema>(
    name: string,
    schema: S,
    read: (q: z.output<S> & { period: Period }, ctx: InsightsContext) => Promise<unknown>,
  ) =>
    router.get(
      `/api/insights/${name}`,
      signedIn,
      json(async (req) => read(parseQuery(schema, req.query, req.portalId as number, today()), await context(req))),
    );

  get('headline', headlineQuery, async (q, ctx) => {
    const head = await insights.headline(ctx, q.period, q.mode);
    // The published benchmark of the portal's industry beside its NPS (null fields when none is picked).
    return { ...head, benchmark: compareWithBenchmark(ctx.settings.insights.benchmarkIndustry, head) };
  });
  get('trend', trendQuery, (q, ctx) => insights.trend(ctx, q.period, q.granularity, q.mode));
  get('distribution', distributionQuery, (q, ctx) => insights.distribution(ctx, q.period, q.mode));
  get('channels', channelsQuery, (q, ctx) => insights.channels(ctx, q.period));
  get('segments', segmentsQuery, async (q, ctx) => ({
    mode: q.mode,
    period: q.period,
    segments: await insights.segments(ctx, q.period, q.mode, q.limit, q.segment),
  }));
  get('heroes', heroesQuery, (q, ctx) => insights.heroes(ctx, q.period, q.mode, q.limit));
  get('movers', moversQuery, (q, ctx) => insights.movers(ctx, q.period, q.segment, q.limit));
  get('comments', commentsQuery, async (q, ctx) => ({
    period: q.period,
    mode: q.mode,
    comments: await insights.comments(ctx, q, q.limit),
  }));
  router.get('/api/insights/export.csv', signedIn, requireAdminRole(), async (req, res) => {
    const q = parseQuery(exportQuery, req.query, req.portalId as number, today());
    if (q.segment) assertKnownSegment(await context(req), q.segment.name);
    await streamAnswersCsv(deps.db, req.portalId as number, q, res, req.log ?? deps.logger);
  });
  // The wall screen's data: a TV key or a session (see requireTvAccess).
  router.get(
    '/api/insights/tv',
    requireTvAccess(deps),
    json(async (req) => {
      const q = parseInput(tvQuery, req.query, 'filters');
      assertOwnPortal(q, req.portalId as number);
      return insights.tv(await context(req));
    }),
  );
}
