import { describe, expect, it } from 'vitest';
import { chooseChannel, evaluateFatigue, type FatigueContact } from '../../src/triggers/fatigue';
import { channelList, settingsSchema } from '../../src/core/settings-schema';

const now = new Date('2026-06-01T12:00:00Z');
const phone = { ok: true as const, e164: '+4520123456', country: 'DK' };
const everything: FatigueContact = {
  email: 'ada@example.com',
  optedOut: false,
  surveyOptedOut: false,
  bounced: false,
  deleted: false,
  phone,
  smsOptedOut: false,
};
const input = (contact: FatigueContact, lastSurveyAt: Date | null = null) => ({
  now,
  quietPeriodDays: 90,
  contact,
  lastSurveyAt,
});

describe('chooseChannel', () => {
  it('takes the first channel the contact can be reached on', () => {
    expect(chooseChannel(['sms', 'email'], input(everything))).toMatchObject({
      channel: 'sms',
      decision: { ok: true },
    });
  });

  it('falls back to email when there is no phone, and says what was passed over', () => {
    const r = chooseChannel(['sms', 'email'], input({ ...everything, phone: { ok: false, reason: 'no_phone' } }));
    expect(r).toEqual({
      channel: 'email',
      decision: { ok: true },
      passedOver: [{ channel: 'sms', reason: 'no_phone' }],
    });
  });

  it('falls back past a number that replied STOP', () => {
    const r = chooseChannel(['sms', 'email'], input({ ...everything, smsOptedOut: true }));
    expect(r.channel).toBe('email');
    expect(r.passedOver).toEqual([{ channel: 'sms', reason: 'sms_opted_out' }]);
  });

  it('records the first channel and its reason when no channel works', () => {
    const r = chooseChannel(
      ['sms', 'email'],
      input({ ...everything, email: null, phone: { ok: false, reason: 'invalid_phone' } }),
    );
    expect(r).toMatchObject({ channel: 'sms', decision: { ok: false, reason: 'invalid_phone' } });
  });

  it('stops at the quiet period: one per contact, whatever the channel', () => {
    const r = chooseChannel(['sms', 'email'], input(everything, new Date(now.getTime() - 86_400_000)));
    expect(r).toMatchObject({ channel: 'sms', decision: { ok: false, reason: 'quiet_period' }, passedOver: [] });
  });

  it('a survey-page unsubscribe covers every channel; an email opt-out only email', () => {
    const unsubscribed = { ...everything, optedOut: true, surveyOptedOut: true };
    expect(chooseChannel(['sms', 'web', 'email'], input(unsubscribed)).decision).toEqual({
      ok: false,
      reason: 'opted_out',
    });
    const noEmail = { ...everything, optedOut: true, surveyOptedOut: false };
    expect(chooseChannel(['email', 'sms'], input(noEmail))).toMatchObject({ channel: 'sms', decision: { ok: true } });
  });

  it('web needs nothing up front: the widget shows it when the person is next seen', () => {
    expect(evaluateFatigue({ ...input({ ...everything, email: null, phone: undefined }), channel: 'web' })).toEqual({
      ok: true,
    });
  });

  it('a contact loaded without phone data cannot be texted', () => {
    const { phone: _ignored, ...withoutPhone } = everything;
    expect(evaluateFatigue({ ...input(withoutPhone), channel: 'sms' })).toEqual({ ok: false, reason: 'no_phone' });
  });
});

describe('channel settings', () => {
  const rule = { id: 'r', objectType: 'deal', stageId: 'closedwon' };
  it('keep the single-channel form and accept an ordered fallback list', () => {
    const s = settingsSchema.parse({
      triggers: [
        { ...rule, channel: 'sms' },
        { ...rule, id: 'f', channel: ['sms', 'email'] },
      ],
    });
    expect(s.triggers.map((r) => channelList(r.channel))).toEqual([['sms'], ['sms', 'email']]);
    expect(settingsSchema.parse({}).triggers[0]!.channel).toBe('email');
    expect(settingsSchema.parse({ relationship: { channel: ['web', 'email'] } }).relationship.channel).toEqual([
      'web',
      'email',
    ]);
  });

  it.each([
    ['an unknown channel', 'fax'],
    ['an empty list', []],
    ['a channel listed twice', ['sms', 'sms']],
  ])('refuse %s', (_name, channel) => {
    expect(settingsSchema.safeParse({ triggers: [{ ...rule, channel }] }).success).toBe(false);
  });

  it('take a default SMS country as a two-letter code', () => {
    expect(settingsSchema.parse({ sms: { defaultCountry: 'dk' } }).sms).toEqual({ defaultCountry: 'DK' });
    expect(settingsSchema.safeParse({ sms: { defaultCountry: 'Denmark' } }).success).toBe(false);
  });
});
