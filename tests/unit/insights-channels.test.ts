import { describe, expect, it } from 'vitest';
import { combineChannels } from '../../src/insights/channels';
import type { DeliveryTotals } from '../../src/insights/delivery.repo';

const delivery = (channel: string, sent: number, answered: number, trigger = 'deal', skipped = 0): DeliveryTotals => ({
  trigger,
  channel,
  skipReason: skipped ? 'no_phone' : '',
  sent,
  answered,
  reminded: 0,
  answeredAfterReminder: 0,
  skipped,
});

describe('combineChannels', () => {
  it('adds up every trigger of a channel and gives answered ÷ sent', () => {
    const rows = combineChannels([delivery('sms', 3, 1, 'deal'), delivery('sms', 1, 1, 'ticket')], []);
    expect(rows).toEqual([
      expect.objectContaining({ channel: 'sms', label: 'Text message (SMS)', sent: 4, answered: 2, responseRate: 50 }),
    ]);
  });

  it('leaves out channels that only skipped, and gives no rate to channels that only received answers', () => {
    const rows = combineChannels(
      [delivery('web', 0, 0, 'deal', 5)],
      [{ channel: 'manual', answers: 4, promoters: 2, detractors: 1 }],
    );
    expect(rows).toEqual([
      {
        channel: 'manual',
        label: 'Logged by hand',
        sent: 0,
        answered: 0,
        responseRate: null,
        answers: 4,
        promoters: 2,
        passives: 1,
        detractors: 1,
        nps: 25,
      },
    ]);
  });

  it('orders email, sms, web, hubspot, then the answer-only channels, then anything else by name', () => {
    const rows = combineChannels(
      [delivery('hubspot', 1, 0), delivery('web', 1, 0), delivery('email', 1, 0), delivery('sms', 1, 0)],
      ['zeta', 'import', 'page', 'alpha'].map((channel) => ({ channel, answers: 1, promoters: 0, detractors: 0 })),
    );
    expect(rows.map((r) => r.channel)).toEqual(['email', 'sms', 'web', 'hubspot', 'page', 'import', 'alpha', 'zeta']);
    expect(rows.find((r) => r.channel === 'hubspot')?.label).toBe('HubSpot-sent email');
  });
});
