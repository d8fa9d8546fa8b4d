import type { Queryable } from '../storage';
import { getSettings } from '../core';
import { foldedOnce } from './catch-up';
import { headline } from './headline';
import { segments } from './segments';
import { addDays, isoDay } from './math';
import type { SegmentName } from './filters';

// A one-line digest of the last 12 months for command-line summaries (`npm run demo -- --check`): the headline
// NPS with its margin, and the segment that stands out most above the rest (only a difference larger than the
// noise counts; none when nothing stands out).

export interface InsightsSummary {
  period: { from: string; to: string };
  nps: number | null;
  marginOfError: number | null;
  n: number;
  topSegment: {
    dimension: SegmentName;
    value: string;
    label: string;
    nps: number | null;
    n: number;
    aboveRest: number | null;
  } | null;
}

export async function insightsSummary(anyDb: Queryable, portalId: number, now: Date): Promise<InsightsSummary> {
  const db = await foldedOnce(anyDb, portalId);
  const to = isoDay(now);
  const period = { from: addDays(to, -364), to };
  const settings = await getSettings(db, portalId);
  const [head, splits] = await Promise.all([
    headline(db, portalId, period, 'all', settings.insights),
    segments(db, portalId, period, { mode: 'all', limit: 50, minAnswers: settings.insights.minAnswers }),
  ]);
  const candidates = splits.flatMap((s) =>
    s.values
      .filter((v) => v.vsRest.direction === 'above' && !v.tooFew)
      .map((v) => ({
        dimension: s.name,
        value: v.value,
        label: v.label,
        nps: v.nps,
        n: v.n,
        aboveRest: v.vsRest.difference,
      })),
  );
  candidates.sort((a, b) => (b.aboveRest ?? 0) - (a.aboveRest ?? 0));
  return { period, nps: head.nps, marginOfError: head.marginOfError, n: head.n, topSegment: candidates[0] ?? null };
}
