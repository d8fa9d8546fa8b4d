import type { Queryable } from '../storage';
import { foldedOnce } from './catch-up';
import type { Settings } from '../core';
import { headline, type Headline } from './headline';
import { trend } from './trend';
import { heroes, slaDaysOf } from './heroes';
import { latestComments } from './comments';
import { addDays, bucketStart, isoDay } from './math';
import { answerCountsTodayAndWeek } from './scores.repo';

// What the wall screen shows: the big number for the last 90 days with its change, a 12-week sparkline, today's
// and this week's answers, the latest promoter comments and the top owners. One request per minute per screen.

export interface TvData {
  generatedAt: string;
  headline: Pick<Headline, 'nps' | 'marginOfError' | 'n' | 'tooFew' | 'target' | 'period' | 'change'>;
  sparkline: Array<{ bucket: string; nps: number | null; n: number }>;
  answers: { today: number; thisWeek: number };
  promoterComments: Array<{ comment: string; score: number; who: string; company: string | null; answeredAt: string }>;
  heroes: Array<{
    label: string;
    nps: number | null;
    marginOfError: number | null;
    n: number;
    promoters: number;
    tooFew: boolean;
  }>;
}

export async function tvData(
  anyDb: Queryable,
  portalId: number,
  settings: Settings,
  now: Date,
  ownerLabels?: Map<string, string>,
): Promise<TvData> {
  const db = await foldedOnce(anyDb, portalId);
  const today = isoDay(now);
  const period = { from: addDays(today, -89), to: today };
  const weekStart = bucketStart(today, 'week');
  const minAnswers = settings.insights.minAnswers;
  const [head, weekly, counts, comments, leaders] = await Promise.all([
    headline(db, portalId, period, 'all', settings.insights),
    trend(db, portalId, { from: addDays(weekStart, -77), to: today }, 'week', 'all', minAnswers),
    answerCountsTodayAndWeek(db, portalId, today, weekStart),
    latestComments(
      db,
      portalId,
      { period: { from: addDays(today, -29), to: today }, mode: 'all', category: 'promoter' },
      3,
    ),
    heroes(db, portalId, period, {
      mode: 'all',
      minAnswers,
      limit: 5,
      now,
      ownerLabels,
      dueBusinessDays: slaDaysOf(settings),
    }),
  ]);
  return {
    generatedAt: now.toISOString(),
    headline: {
      nps: head.nps,
      marginOfError: head.marginOfError,
      n: head.n,
      tooFew: head.tooFew,
      target: head.target,
      period: head.period,
      change: head.change,
    },
    sparkline: weekly.points.map((p) => ({ bucket: p.bucket, nps: p.nps, n: p.n })),
    answers: counts,
    promoterComments: comments.map((c) => ({
      comment: c.comment.length > 280 ? `${c.comment.slice(0, 277)}…` : c.comment,
      score: c.score,
      // First names only: the screen hangs in an office, not in the CRM.
      who: c.contact.name?.split(' ')[0] ?? 'A customer',
      company: c.company?.name ?? null,
      answeredAt: c.answeredAt,
    })),
    heroes: leaders.heroes
      .filter((h) => h.n > 0)
      .map((h) => ({
        label: h.label,
        nps: h.nps,
        marginOfError: h.marginOfError,
        n: h.n,
        promoters: h.promoters,
        tooFew: h.tooFew,
      })),
  };
}
