import type { Queryable } from '../storage';
import { catchUpInsights } from './catch-up';
import type { Mode } from './filters';
import { percent, type Period } from './math';
import { scoreHistogram } from './scores.repo';
import { deliveryTotals, type DeliveryTotals } from './delivery.repo';

interface RateRow {
  /** Trigger or channel name. */
  key: string;
  sent: number;
  answered: number;
  /** answered ÷ sent in percent, null when nothing was sent. */
  rate: number | null;
}

export interface Distribution {
  mode: Mode;
  period: Period;
  /** Answers per score 0..10. */
  histogram: Array<{ score: number; count: number }>;
  n: number;
  /** Surveys sent in the period and how many of those were answered (so far). */
  responseRate: { overall: RateRow; byTrigger: RateRow[]; byChannel: RateRow[] };
  reminders: {
    /** Sent surveys that got a reminder. */
    reminded: number;
    /** Of those, answered after the reminder went out. */
    answeredAfterReminder: number;
    /** Points of response rate that came after a reminder: answeredAfterReminder ÷ sent. */
    liftPoints: number | null;
    /** Share of all answers that came after a reminder. */
    shareOfAnswers: number | null;
  };
  skips: { total: number; byReason: Array<{ reason: string; count: number }> };
}

/** The 0–10 histogram, response rates by trigger and channel, reminder lift and skips by reason. */
export async function distribution(db: Queryable, portalId: number, period: Period, mode: Mode): Promise<Distribution> {
  await catchUpInsights(db, portalId);
  const [histogram, rows] = await Promise.all([
    scoreHistogram(db, portalId, period, mode),
    deliveryTotals(db, portalId, period),
  ]);
  const overall = rateRow('all', rows);
  const afterReminder = rows.reduce((a, r) => a + r.answeredAfterReminder, 0);
  const skipsByReason = new Map<string, number>();
  for (const r of rows)
    if (r.skipped) skipsByReason.set(r.skipReason, (skipsByReason.get(r.skipReason) ?? 0) + r.skipped);
  return {
    mode,
    period,
    histogram: histogram.map((count, score) => ({ score, count })),
    n: histogram.reduce((a, b) => a + b, 0),
    responseRate: { overall, byTrigger: ratesBy(rows, (r) => r.trigger), byChannel: ratesBy(rows, (r) => r.channel) },
    reminders: {
      reminded: rows.reduce((a, r) => a + r.reminded, 0),
      answeredAfterReminder: afterReminder,
      liftPoints: percent(afterReminder, overall.sent),
      shareOfAnswers: percent(afterReminder, overall.answered),
    },
    skips: {
      total: [...skipsByReason.values()].reduce((a, b) => a + b, 0),
      byReason: [...skipsByReason]
        .map(([reason, count]) => ({ reason, count }))
        .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    },
  };
}

function rateRow(key: string, rows: DeliveryTotals[]): RateRow {
  const sent = rows.reduce((a, r) => a + r.sent, 0);
  const answered = rows.reduce((a, r) => a + r.answered, 0);
  return { key, sent, answered, rate: percent(answered, sent) };
}

function ratesBy(rows: DeliveryTotals[], keyOf: (r: DeliveryTotals) => string): RateRow[] {
  const groups = new Map<string, DeliveryTotals[]>();
  for (const r of rows) groups.set(keyOf(r), [...(groups.get(keyOf(r)) ?? []), r]);
  return [...groups]
    .map(([key, g]) => rateRow(key, g))
    .filter((r) => r.sent > 0)
    .sort((a, b) => b.sent - a.sent || a.key.localeCompare(b.key));
}
