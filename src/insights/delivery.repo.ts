import type { Queryable } from '../storage';
import type { Period } from './math';

// Survey delivery read from the invitation rollup (insight_invitation_daily, migration 430).

/** Invitations of one trigger, channel and skip reason in a period ('' when none was skipped). */
export interface DeliveryTotals {
  trigger: string;
  channel: string;
  skipReason: string;
  sent: number;
  answered: number;
  reminded: number;
  answeredAfterReminder: number;
  skipped: number;
}

export async function deliveryTotals(db: Queryable, portalId: number, period: Period): Promise<DeliveryTotals[]> {
  const r = await db.query<{
    trigger: string;
    channel: string;
    skip_reason: string;
    sent: number;
    answered: number;
    reminded: number;
    answered_after_reminder: number;
    skipped: number;
  }>(
    `SELECT trigger, channel, skip_reason, sum(sent)::int AS sent, sum(answered)::int AS answered, sum(reminded)::int AS reminded,
              sum(answered_after_reminder)::int AS answered_after_reminder, sum(skipped)::int AS skipped
         FROM insight_invitation_daily WHERE portal_id = $1 AND day BETWEEN $2::date AND $3::date
        GROUP BY 1, 2, 3`,
    [portalId, period.from, period.to],
  );
  return r.rows.map((x) => ({
    trigger: x.trigger,
    channel: x.channel,
    skipReason: x.skip_reason,
    sent: Number(x.sent),
    answered: Number(x.answered),
    reminded: Number(x.reminded),
    answeredAfterReminder: Number(x.answered_after_reminder),
    skipped: Number(x.skipped),
  }));
}
