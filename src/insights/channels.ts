import type { Queryable } from '../storage';
import { summarize } from '../core';
import { catchUpInsights } from './catch-up';
import { answersByChannel, type ChannelAnswerTotals } from './channels.repo';
import { deliveryTotals, type DeliveryTotals } from './delivery.repo';
import { channelLabel } from './labels';
import { percent, type Period } from './math';

// Each channel's response rate and answers in a period. Two different counts, on purpose:
//  - response rate: of the invitations of this channel SENT in the period (by UTC day sent; skipped ones never
//    count), how many have been answered so far (invitation rollup, migration 430);
//  - answers: the answers GIVEN in the period through this channel (by UTC day answered), whether or not they
//    came from an invitation (answer rollup by channel, migration 620), with their NPS.

export interface ChannelRow {
  channel: string;
  label: string;
  /** Invitations of this channel sent in the period. */
  sent: number;
  /** Of those, answered (so far). */
  answered: number;
  /** answered ÷ sent in percent, one decimal; null when none was sent. */
  responseRate: number | null;
  /** Answers given in the period through this channel. */
  answers: number;
  promoters: number;
  passives: number;
  detractors: number;
  /** NPS of those answers; null without answers. */
  nps: number | null;
}

export interface ChannelInsights {
  period: Period;
  channels: ChannelRow[];
}

/** Channels in the order people think of them; others (none today) after, by name. */
const ORDER = ['email', 'sms', 'web', 'hubspot', 'page', 'manual', 'import', 'workflow'];

export async function channelInsights(db: Queryable, portalId: number, period: Period): Promise<ChannelInsights> {
  await catchUpInsights(db, portalId);
  const [delivery, answers] = await Promise.all([
    deliveryTotals(db, portalId, period),
    answersByChannel(db, portalId, period),
  ]);
  return { period, channels: combineChannels(delivery, answers) };
}

const NO_ANSWERS = { answers: 0, promoters: 0, passives: 0, detractors: 0, nps: null };

/** One row per channel that sent or received anything in the period. */
export function combineChannels(delivery: DeliveryTotals[], answers: ChannelAnswerTotals[]): ChannelRow[] {
  const rows = new Map<string, ChannelRow>();
  const row = (channel: string): ChannelRow => {
    let r = rows.get(channel);
    if (!r) {
      r = { channel, label: channelLabel(channel), sent: 0, answered: 0, responseRate: null, ...NO_ANSWERS };
      rows.set(channel, r);
    }
    return r;
  };
  for (const d of delivery) {
    if (d.sent === 0) continue;
    const r = row(d.channel);
    r.sent += d.sent;
    r.answered += d.answered;
  }
  for (const a of answers) {
    const r = row(a.channel);
    const summary = summarize({
      promoters: a.promoters,
      passives: a.answers - a.promoters - a.detractors,
      detractors: a.detractors,
    });
    Object.assign(r, {
      answers: a.answers,
      promoters: summary.promoters,
      passives: summary.passives,
      detractors: summary.detractors,
      nps: summary.nps,
    });
  }
  for (const r of rows.values()) r.responseRate = percent(r.answered, r.sent);
  const rank = (c: string) => (ORDER.includes(c) ? ORDER.indexOf(c) : ORDER.length);
  return [...rows.values()].sort((a, b) => rank(a.channel) - rank(b.channel) || a.channel.localeCompare(b.channel));
}
