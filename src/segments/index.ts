import { z } from 'zod';
import type { Feature, SettingsSection } from '../core';
import { registerAssets } from '../core';
import { parseInput } from '../shared';
import { BACKFILL_QUEUE, runBackfill } from './backfill';
import { checkDimensions } from './dimensions';
import { registerSegmentRoutes } from './routes';

// Segments by CRM property (issue 14): admins add contact or primary-company properties as segment dimensions;
// the contact mirror keeps each contact's value, a backfill reads them for contacts already mirrored, and the
// insights segments (src/insights) group answers by them.

export { DATE_BAND_LABELS, type DimensionKind } from './banding';
export { mirrorSegmentValues, segmentPropertyNames } from './values';
export { segmentableDimensions } from './status';

const backfillJob = z.object({ portalId: z.number().int().positive(), dimension: z.string().max(120) }).strict();

const segmentsSection: SettingsSection = {
  id: 'segments',
  title: 'Segments by CRM property',
  description: 'Contact or company properties the dashboard can split answers by.',
  order: 60,
  href: '/dashboard/settings/segments',
  async validate(ctx, candidate) {
    // Only new or changed dimensions are checked against the portal, so unrelated saves make no HubSpot call.
    const before = new Set(ctx.settings.segments.dimensions.map((d) => JSON.stringify(d)));
    const dims = candidate.segments.dimensions;
    const changed = dims.filter((d) => !before.has(JSON.stringify(d)));
    const issues = await checkDimensions(ctx.deps, ctx.portalId, changed);
    return issues.map((i) => ({
      path: ['segments', 'dimensions', dims.indexOf(changed[i.index]!), i.field],
      message: i.message,
    }));
  },
};

export const segmentsFeature: Feature = {
  name: 'segments',
  settingsSections: [segmentsSection],
  routes(router, deps) {
    registerSegmentRoutes(router, deps, registerAssets(router));
  },
  queues: (deps) => [
    {
      name: BACKFILL_QUEUE,
      retryLimit: 10,
      retryDelaySeconds: 30,
      // A killed run is retried after this and resumes after the last contact saved.
      expireInSeconds: 15 * 60,
      handle: async (data: unknown) => {
        const job = parseInput(backfillJob, data, 'segments.backfill job');
        await runBackfill(deps, job.portalId, job.dimension);
      },
    },
  ],
};
