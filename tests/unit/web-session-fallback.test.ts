import { describe, expect, it } from 'vitest';
import { chooseChannel, WEB_SESSION_DAYS, type FatigueContact } from '../../src/triggers/fatigue';

const DAY = 86_400_000;
const now = new Date('2026-06-01T12:00:00Z');
const contact: FatigueContact = {
  email: 'ada@example.com',
  optedOut: false,
  surveyOptedOut: false,
  bounced: false,
  deleted: false,
};
const input = (lastWebSessionAt: Date | null | undefined, lastSurveyAt: Date | null = null) => ({
  now,
  quietPeriodDays: 90,
  contact: { ...contact, lastWebSessionAt },
  lastSurveyAt,
});

describe('the web channel and web sessions', () => {
  it('uses web for a contact the widget saw within the window', () => {
    const r = chooseChannel(['web', 'email'], input(new Date(now.getTime() - 2 * DAY)));
    expect(r).toEqual({ channel: 'web', decision: { ok: true }, passedOver: [] });
  });

  it('falls back to email for a contact the widget never saw', () => {
    const r = chooseChannel(['web', 'email'], input(null));
    expect(r).toEqual({
      channel: 'email',
      decision: { ok: true },
      passedOver: [{ channel: 'web', reason: 'no_web_session' }],
    });
  });

  it('falls back when the last session is older than the window', () => {
    const old = new Date(now.getTime() - (WEB_SESSION_DAYS + 1) * DAY);
    expect(chooseChannel(['web', 'email'], input(old)).channel).toBe('email');
    const recent = new Date(now.getTime() - (WEB_SESSION_DAYS - 1) * DAY);
    expect(chooseChannel(['web', 'email'], input(recent)).channel).toBe('web');
  });

  it('skips a web-only rule with no_web_session on the web channel', () => {
    expect(chooseChannel(['web'], input(null))).toMatchObject({
      channel: 'web',
      decision: { ok: false, reason: 'no_web_session' },
    });
  });

  it('does not check sessions that were not loaded (an invitation already scheduled for the widget)', () => {
    expect(chooseChannel(['web'], input(undefined)).decision).toEqual({ ok: true });
  });

  it('keeps the quiet period first: a contact in it is skipped for quiet_period, not passed to email', () => {
    const r = chooseChannel(['web', 'email'], input(new Date(now.getTime() - DAY), new Date(now.getTime() - DAY)));
    expect(r).toMatchObject({ channel: 'web', decision: { ok: false, reason: 'quiet_period' }, passedOver: [] });
  });

  it('reports the quiet period, not the missing session, when both apply', () => {
    // No session passes web over; email then meets the contact's one quiet period.
    const r = chooseChannel(['web', 'email'], input(null, new Date(now.getTime() - DAY)));
    expect(r.decision).toMatchObject({ ok: false, reason: 'quiet_period' });
  });
});
