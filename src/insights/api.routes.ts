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
import { assertKnownSegment, insights, insightsContext } from './service';
import { streamAnswersCsv } from './export-csv';
import { compareWithBenchmark } from './benchmark';
import type { OwnerDirectory } from './owner-labels';

// GET /api/insights/...: the JSON behind the dashboard (documented in the README) and the CSV export. Signed in
// by a dashboard session or `Authorization: Bearer $ADMIN_TOKEN`; the portal is the signed-in one.

const tvQuery = z.strictObject({ key: z.string().max(100).optional(), portalId: z.string().max(20).optional() });

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

  router.get(
    '/api/insights/headline',
    signedIn,
    json(async (req) => {
      const q = parseQuery(headlineQuery, req.query, req.portalId as number, today());
      const ctx = await context(req);
      const head = await insights.headline(ctx, q.period, q.mode);
      // The published benchmark of the portal's industry beside its NPS (null fields when none is picked).
      return { ...head, benchmark: compareWithBenchmark(ctx.settings.insights.benchmarkIndustry, head) };
    }),
  );
  router.get(
    '/api/insights/trend',
    signedIn,
    json(async (req) => {
      const q = parseQuery(trendQuery, req.query, req.portalId as number, today());
      return insights.trend(await context(req), q.period, q.granularity, q.mode);
    }),
  );
  router.get(
    '/api/insights/distribution',
    signedIn,
    json(async (req) => {
      const q = parseQuery(distributionQuery, req.query, req.portalId as number, today());
      return insights.distribution(await context(req), q.period, q.mode);
    }),
  );
  router.get(
    '/api/insights/channels',
    signedIn,
    json(async (req) => {
      const q = parseQuery(channelsQuery, req.query, req.portalId as number, today());
      return insights.channels(await context(req), q.period);
    }),
  );
  router.get(
    '/api/insights/segments',
    signedIn,
    json(async (req) => {
      const q = parseQuery(segmentsQuery, req.query, req.portalId as number, today());
      return {
        mode: q.mode,
        period: q.period,
        segments: await insights.segments(await context(req), q.period, q.mode, q.limit, q.segment),
      };
    }),
  );
  router.get(
    '/api/insights/heroes',
    signedIn,
    json(async (req) => {
      const q = parseQuery(heroesQuery, req.query, req.portalId as number, today());
      return insights.heroes(await context(req), q.period, q.mode, q.limit);
    }),
  );
  router.get(
    '/api/insights/movers',
    signedIn,
    json(async (req) => {
      const q = parseQuery(moversQuery, req.query, req.portalId as number, today());
      return insights.movers(await context(req), q.period, q.segment, q.limit);
    }),
  );
  router.get(
    '/api/insights/comments',
    signedIn,
    json(async (req) => {
      const q = parseQuery(commentsQuery, req.query, req.portalId as number, today());
      return { period: q.period, mode: q.mode, comments: await insights.comments(await context(req), q, q.limit) };
    }),
  );
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
