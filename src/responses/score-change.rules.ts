import { categoryOf } from '../core';

// Score-change signals (issue 15): how a contact's current answer compares with their previous one. Pure rules;
// the write-back, the company rollup, the card and the dashboard's movers panel all apply these.
//
// "Previous" is the contact's answer before the current one, in answer order (answer time, then last write).
// A person who changes their answer within one invitation changes that invitation's single answer (the latest
// answer wins, ARCHITECTURE.md §4), so the previous answer is always the previous invitation's (or an earlier
// logged or imported answer), never the first version of the same survey. It counts however old it is: an
// answer from two years ago is still what this one changed from.

export type ScoreTrend = 'improved' | 'declined' | 'unchanged' | 'first';

export const SCORE_TRENDS: readonly ScoreTrend[] = ['improved', 'declined', 'unchanged', 'first'];

/** A drop of this many points or more puts a contact at risk, whatever the categories. */
export const AT_RISK_DROP = 3;

export interface ScoreChange {
  previousScore: number | null;
  /** current − previous, in points; null for a first answer. */
  change: number | null;
  trend: ScoreTrend;
  /** Moved from promoter or passive down to detractor, or dropped by AT_RISK_DROP points or more. */
  atRisk: boolean;
}

export function scoreChange(current: number, previous: number | null): ScoreChange {
  if (previous === null) return { previousScore: null, change: null, trend: 'first', atRisk: false };
  const change = current - previous;
  const trend: ScoreTrend = change > 0 ? 'improved' : change < 0 ? 'declined' : 'unchanged';
  const fellToDetractor = categoryOf(previous) !== 'detractor' && categoryOf(current) === 'detractor';
  return { previousScore: previous, change, trend, atRisk: fellToDetractor || change <= -AT_RISK_DROP };
}

interface Ordered {
  answeredAt: Date;
  updatedAt: Date;
}

function before(a: Ordered, b: Ordered): boolean {
  const byTime = a.answeredAt.getTime() - b.answeredAt.getTime();
  return byTime < 0 || (byTime === 0 && a.updatedAt.getTime() < b.updatedAt.getTime());
}

/** The answer just before `current` among the contact's answers (the same order latestAnswer uses), or null. */
export function previousAnswer<T extends Ordered>(answers: readonly T[], current: T): T | null {
  let best: T | null = null;
  for (const a of answers) {
    if (a === current || !before(a, current)) continue;
    if (!best || before(best, a)) best = a;
  }
  return best;
}

export interface CompanyTrend {
  /** '' when no contact of the company has a current answer. */
  trend: ScoreTrend | '';
  atRiskContacts: number;
}

/**
 * A company's direction from its respondents' changes: more contacts improved than declined is "improved", and the
 * reverse "declined"; a tie among contacts who answered before is "unchanged"; only first answers is "first".
 */
export function companyTrend(changes: readonly ScoreChange[]): CompanyTrend {
  let improved = 0;
  let declined = 0;
  let compared = 0;
  let atRiskContacts = 0;
  for (const c of changes) {
    if (c.trend !== 'first') compared++;
    if (c.trend === 'improved') improved++;
    if (c.trend === 'declined') declined++;
    if (c.atRisk) atRiskContacts++;
  }
  const trend: CompanyTrend['trend'] =
    changes.length === 0
      ? ''
      : compared === 0
        ? 'first'
        : improved > declined
          ? 'improved'
          : declined > improved
            ? 'declined'
            : 'unchanged';
  return { trend, atRiskContacts };
}
