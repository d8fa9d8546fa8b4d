import type { AppDeps } from '../core';
import { getSettings } from '../core';
import type { Settings } from '../core';
import {
  isCustomDimension,
  type AnswerFilters,
  type Granularity,
  type Mode,
  type SegmentDimension,
  type SegmentName,
} from './filters';
import { BadRequestError } from '../shared';
import { segmentableDimensions } from '../segments';
import type { CustomDimensionInfo } from './labels';
import type { Period } from './math';
import { headline } from './headline';
import { trend } from './trend';
import { distribution } from './distribution';
import { segments } from './segments';
import { heroes, slaDaysOf } from './heroes';
import { latestComments } from './comments';
import { tvData } from './tv-data';
import { movers } from './movers';
import { channelInsights } from './channels';
import type { OwnerDirectory } from './owner-labels';

// The insight reads with the portal's settings applied (target, minimum answers, SLAs): what the JSON API and
// the pages call. The portal id always comes from the sign-in, never from the request.

export interface InsightsContext {
  deps: Pick<AppDeps, 'db' | 'clock'>;
  portalId: number;
  settings: Settings;
  /** Owner id → name when HubSpot told us in time; ids are shown otherwise. */
  ownerLabels?: Map<string, string>;
  /** The portal's custom segment dimensions (not refused). */
  custom: CustomDimensionInfo[];
}

export async function insightsContext(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  portalId: number,
  owners?: OwnerDirectory,
): Promise<InsightsContext> {
  const [settings, ownerLabels, custom] = await Promise.all([
    getSettings(deps.db, portalId),
    owners?.labels(portalId),
    segmentableDimensions(deps.db, portalId),
  ]);
  return { deps, portalId, settings, ownerLabels, custom };
}

/** A custom dimension the portal has not configured (or that was refused) is a 400 that names it. */
export function assertKnownSegment(c: InsightsContext, name: SegmentName | undefined): void {
  if (name === undefined || !isCustomDimension(name) || c.custom.some((d) => d.name === name)) return;
  const configured = c.custom.map((d) => d.name).join(', ') || 'none';
  throw new BadRequestError(
    `invalid filters: unknown segment "${name}"; this portal's custom dimensions: ${configured}`,
    undefined,
    'invalid_filters',
  );
}

export const insights = {
  headline: (c: InsightsContext, period: Period, mode: Mode) =>
    headline(c.deps.db, c.portalId, period, mode, c.settings.insights),
  trend: (c: InsightsContext, period: Period, granularity: Granularity, mode: Mode) =>
    trend(c.deps.db, c.portalId, period, granularity, mode, c.settings.insights.minAnswers),
  distribution: (c: InsightsContext, period: Period, mode: Mode) => distribution(c.deps.db, c.portalId, period, mode),
  segments: (c: InsightsContext, period: Period, mode: Mode, limit: number, dimension?: SegmentName) => {
    assertKnownSegment(c, dimension);
    return segments(c.deps.db, c.portalId, period, {
      mode,
      limit,
      dimensions: dimension ? [dimension] : undefined,
      minAnswers: c.settings.insights.minAnswers,
      ownerLabels: c.ownerLabels,
      custom: c.custom,
    });
  },
  heroes: (c: InsightsContext, period: Period, mode: Mode, limit: number) =>
    heroes(c.deps.db, c.portalId, period, {
      mode,
      limit,
      minAnswers: c.settings.insights.minAnswers,
      now: c.deps.clock.now(),
      dueBusinessDays: slaDaysOf(c.settings),
      ownerLabels: c.ownerLabels,
    }),
  comments: (c: InsightsContext, filters: AnswerFilters, limit: number) => {
    assertKnownSegment(c, filters.segment?.name);
    return latestComments(c.deps.db, c.portalId, filters, limit, { withFollowUpOnly: true });
  },
  movers: (c: InsightsContext, period: Period, dimension: SegmentDimension, limit: number) =>
    movers(c.deps.db, c.portalId, period, { dimension, limit, ownerLabels: c.ownerLabels }),
  channels: (c: InsightsContext, period: Period) => channelInsights(c.deps.db, c.portalId, period),
  tv: (c: InsightsContext) => tvData(c.deps.db, c.portalId, c.settings, c.deps.clock.now(), c.ownerLabels),
};
