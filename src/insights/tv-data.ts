import type { Queryable } from '../storage';
import { foldedOnce } from './catch-up';
import type { Settings } from '../core';
import { headline, type Headline } from './headline';
import { trend } from './trend';
import { heroes, slaDaysOf } from './heroes';
import { latestComments } from './comments';
import { firstNameOnly, tvHeroes } from './tv-heroes';
import { addDays, bucketStart, isoDay } from './math';
import { answerCountsTodayAndWeek } from './scores.repo';

// What the wall screen shows: the big number for the last 90 days with its change, a 12-week sparkline, today's
// and this week's answers, the latest promoter comments and the owners worth celebrating (see tv-heroes.ts); when
// no owner qualifies, more promoter quotes instead. One request per minute per screen.

const HEROES_SHOWN = 5;
const COMMENTS_SHOWN = 3;
const QUOTES_SHOWN = 4;

export interface TvData {
  generatedAt: string;
  headline: Pick<Headline, 'nps' | 'marginOfError' | 'n' | 'tooFew' | 'target' | 'period' | 'change'>;
  sparkline: Array<{ bucket: string; nps: number | null; n: number }>;
  answers: { today: number; thisWeek: number };
  promoterComments: Array<{ comment: string; score: number; who: string; company: string | null; answeredAt: string }>;
  /** Owners with promoters whose NPS reaches `heroesBar`, by promoters earned (see tv-heroes.ts). */
  heroes: Array<{
    label: string;
    nps: number | null;
    marginOfError: number | null;
    n: number;
    promoters: number;
    tooFew: boolean;
  }>;
  /** The portal's NPS for the 90 days: the bar an owner must reach to be shown. */
  heroesBar: number | null;
  /** Only when no owner qualifies: promoter quotes of the 90 days not already shown above, first names only. */
  promoterQuotes: Array<{ comment: string; who: string; answeredAt: string }>;
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
      COMMENTS_SHOWN,
    ),
    heroes(db, portalId, period, {
      mode: 'all',
      minAnswers,
      // Every owner: the TV's own rule (tv-heroes.ts) picks from the whole list, not from the top by NPS.
      limit: Number.MAX_SAFE_INTEGER,
      now,
      ownerLabels,
      dueBusinessDays: slaDaysOf(settings),
    }),
  ]);
  const celebrated = tvHeroes(leaders.heroes, head.nps, HEROES_SHOWN);
  const quotes = celebrated.length > 0 ? [] : await fallbackQuotes(db, portalId, period, comments);
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
      comment: shorten(c.comment),
      score: c.score,
      // First names only: the screen hangs in an office, not in the CRM.
      who: firstNameOnly(c.contact.name),
      company: c.company?.name ?? null,
      answeredAt: c.answeredAt,
    })),
    heroes: celebrated.map((h) => ({
      label: h.label,
      nps: h.nps,
      marginOfError: h.marginOfError,
      n: h.n,
      promoters: h.promoters,
      tooFew: h.tooFew,
    })),
    heroesBar: head.nps,
    promoterQuotes: quotes,
  };
}

/** The wall screen reads comment rows only (no follow-up-only answers), so a comment is always there. */
const shorten = (comment: string | null) =>
  !comment ? '' : comment.length > 280 ? `${comment.slice(0, 277)}…` : comment;

/** The newest promoter comments of the period that the comments panel does not already show. */
async function fallbackQuotes(
  db: Queryable,
  portalId: number,
  period: { from: string; to: string },
  shown: Array<{ responseId: string }>,
): Promise<TvData['promoterQuotes']> {
  const skip = new Set(shown.map((c) => c.responseId));
  const rows = await latestComments(
    db,
    portalId,
    { period, mode: 'all', category: 'promoter' },
    COMMENTS_SHOWN + QUOTES_SHOWN,
  );
  return rows
    .filter((c) => !skip.has(c.responseId))
    .slice(0, QUOTES_SHOWN)
    .map((c) => ({ comment: shorten(c.comment), who: firstNameOnly(c.contact.name), answeredAt: c.answeredAt }));
}
