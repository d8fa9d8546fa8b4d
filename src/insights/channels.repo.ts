import type { Queryable } from '../storage';
import type { Period } from './math';

// Answers per channel read from their rollup (insight_channel_daily, migration 620).

export interface ChannelAnswerTotals {
  channel: string;
  answers: number;
  promoters: number;
  detractors: number;
}

export async function answersByChannel(
  db: Queryable,
  portalId: number,
  period: Period,
): Promise<ChannelAnswerTotals[]> {
  const r = await db.query<{ channel: string; answers: number; promoters: number; detractors: number }>(
    `SELECT channel, sum(answers)::int AS answers, sum(promoters)::int AS promoters, sum(detractors)::int AS detractors
       FROM insight_channel_daily WHERE portal_id = $1 AND day BETWEEN $2::date AND $3::date
      GROUP BY channel`,
    [portalId, period.from, period.to],
  );
  return r.rows
    .map((x) => ({
      channel: x.channel,
      answers: Number(x.answers),
      promoters: Number(x.promoters),
      detractors: Number(x.detractors),
    }))
    .filter((x) => x.answers > 0);
}
