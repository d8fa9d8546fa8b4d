import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../src/core';
import {
  answerAlerts,
  destinationsOf,
  digestDayOf,
  digestDueAt,
  isWorse,
  needsSending,
  parseDigestKey,
  parseSendKey,
  shouldPlanAlert,
  webhookRefusal,
} from '../../src/alerts/alert.rules';

const on = (over: Partial<ReturnType<typeof defaultSettings>['alerts']> = {}) => ({
  ...defaultSettings().alerts,
  enabled: true,
  ...over,
});

describe('which answers alert', () => {
  it('alerts nothing while alerts are off (the default)', () => {
    expect(defaultSettings().alerts.enabled).toBe(false);
    expect(answerAlerts(defaultSettings().alerts, { score: 0, category: 'detractor' })).toBe(false);
  });

  it('alerts by category: detractors by default, passives when chosen', () => {
    expect(answerAlerts(on(), { score: 6, category: 'detractor' })).toBe(true);
    expect(answerAlerts(on(), { score: 7, category: 'passive' })).toBe(false);
    const withPassives = on({ categories: { detractor: true, passive: true, promoter: false } });
    expect(answerAlerts(withPassives, { score: 8, category: 'passive' })).toBe(true);
    expect(answerAlerts(withPassives, { score: 9, category: 'promoter' })).toBe(false);
  });

  it('alerts by score threshold, on its own or next to categories', () => {
    const onlyLow = on({ categories: { detractor: false, passive: false, promoter: false }, scoreAtMost: 3 });
    expect(answerAlerts(onlyLow, { score: 3, category: 'detractor' })).toBe(true);
    expect(answerAlerts(onlyLow, { score: 4, category: 'detractor' })).toBe(false);
    const passivesOrBelow7 = on({ categories: { detractor: false, passive: true, promoter: false }, scoreAtMost: 2 });
    expect(answerAlerts(passivesOrBelow7, { score: 1, category: 'detractor' })).toBe(true);
    expect(answerAlerts(passivesOrBelow7, { score: 5, category: 'detractor' })).toBe(false);
    expect(answerAlerts(passivesOrBelow7, { score: 7, category: 'passive' })).toBe(true);
  });
});

describe('a changed answer', () => {
  const s = on({ categories: { detractor: true, passive: true, promoter: false } });

  it('alerts the first time it matches', () => {
    expect(shouldPlanAlert(s, { score: 5, category: 'detractor' }, null)).toBe(true);
  });

  it('does not alert again when it gets better or stays the same', () => {
    expect(shouldPlanAlert(s, { score: 6, category: 'detractor' }, { score: 5, category: 'detractor' })).toBe(false);
    expect(shouldPlanAlert(s, { score: 5, category: 'detractor' }, { score: 5, category: 'detractor' })).toBe(false);
    expect(shouldPlanAlert(s, { score: 8, category: 'passive' }, { score: 4, category: 'detractor' })).toBe(false);
  });

  it('alerts again when it gets worse: a lower score or a worse category', () => {
    expect(shouldPlanAlert(s, { score: 2, category: 'detractor' }, { score: 5, category: 'detractor' })).toBe(true);
    expect(shouldPlanAlert(s, { score: 6, category: 'detractor' }, { score: 7, category: 'passive' })).toBe(true);
    expect(isWorse({ score: 8, category: 'detractor' }, { score: 8, category: 'passive' })).toBe(true);
  });

  it('does not alert when the worse answer no longer matches the rules', () => {
    const onlyPassives = on({ categories: { detractor: false, passive: true, promoter: false } });
    expect(shouldPlanAlert(onlyPassives, { score: 3, category: 'detractor' }, { score: 7, category: 'passive' })).toBe(
      false,
    );
  });

  it('is sent again only while what was sent is better than what is wanted', () => {
    expect(needsSending({ score: 4, category: 'detractor' }, null)).toBe(true);
    expect(needsSending({ score: 4, category: 'detractor' }, { score: 4, category: 'detractor' })).toBe(false);
    expect(needsSending({ score: 2, category: 'detractor' }, { score: 4, category: 'detractor' })).toBe(true);
  });
});

describe('destinations, digests and keys', () => {
  it('lists the owner email and the webhook only when configured, each with its delivery', () => {
    expect(destinationsOf(on(), false)).toEqual([{ destination: 'owner-email', delivery: 'immediate' }]);
    expect(destinationsOf(on({ ownerEmail: false, webhookDelivery: 'digest' }), true)).toEqual([
      { destination: 'webhook', delivery: 'digest' },
    ]);
  });

  it('puts an answer in the digest of its UTC day, sent at the next midnight', () => {
    expect(digestDayOf(new Date('2026-03-06T23:59:59Z'))).toBe('2026-03-06');
    expect(digestDueAt('2026-03-06').toISOString()).toBe('2026-03-07T00:00:00.000Z');
  });

  it('keys one alert per answer and destination, one digest per destination and day', () => {
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect(parseSendKey(`${id}:webhook`)).toEqual({ responseId: id, destination: 'webhook' });
    expect(parseSendKey(`${id}:sms`)).toBeNull();
    expect(parseDigestKey('owner-email:2026-03-06')).toEqual({ destination: 'owner-email', day: '2026-03-06' });
    expect(parseDigestKey('owner-email:yesterday')).toBeNull();
  });
});

describe('webhookRefusal', () => {
  it('disables a webhook that is gone or refuses us', () => {
    for (const status of [404, 410, 401, 403]) expect(webhookRefusal(status)).toBe('disable');
  });
  it('drops a message the webhook refused, keeping the webhook', () => {
    for (const status of [400, 413, 422]) expect(webhookRefusal(status)).toBe('drop');
  });
  it('retries a timeout, a rate limit, a server error and no answer at all', () => {
    for (const status of [408, 429, 500, 502, 503, undefined]) expect(webhookRefusal(status)).toBe('retry');
  });
});
