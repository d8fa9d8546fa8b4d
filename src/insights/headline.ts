import type { Queryable } from '../storage';
import { catchUpInsights } from './catch-up';
import { summarize, compareNps, type NpsComparison, type NpsSummary } from '../core';
import type { Mode } from './filters';
import { countsOfHistogram, daysIn, directionOf, previousPeriod, type Direction, type Period } from './math';
import { scoreHistogram } from './scores.repo';

interface PeriodNps extends NpsSummary {
  period: Period & { days: number };
}

export interface Headline extends PeriodNps {
  mode: Mode;
  minAnswers: number;
  target: number;
  /** NPS minus the target, null without answers. */
  vsTarget: number | null;
  previous: PeriodNps;
  /** This period minus the previous one; `significant` only when larger than the noise of both. */
  change: NpsComparison & { direction: Direction };
}

export interface InsightSettings {
  target: number;
  minAnswers: number;
}

/** NPS of a period with its margin of error, against the target and the previous period of the same length. */
export async function headline(
  db: Queryable,
  portalId: number,
  period: Period,
  mode: Mode,
  settings: InsightSettings,
): Promise<Headline> {
  await catchUpInsights(db, portalId);
  const previous = previousPeriod(period);
  const [current, before] = await Promise.all([
    scoreHistogram(db, portalId, period, mode),
    scoreHistogram(db, portalId, previous, mode),
  ]);
  const now = countsOfHistogram(current);
  const then = countsOfHistogram(before);
  const summary = summarize(now, settings.minAnswers);
  const change = compareNps(now, then);
  return {
    ...summary,
    period: { ...period, days: daysIn(period) },
    mode,
    minAnswers: settings.minAnswers,
    target: settings.target,
    vsTarget: summary.nps === null ? null : Math.round((summary.nps - settings.target) * 10) / 10,
    previous: { ...summarize(then, settings.minAnswers), period: { ...previous, days: daysIn(previous) } },
    change: { ...change, direction: directionOf(change) },
  };
}
