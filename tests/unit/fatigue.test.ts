import { describe, expect, it } from 'vitest';
import { evaluateFatigue, type FatigueContact, type FatigueInput } from '../../src/triggers/fatigue';

const now = new Date('2026-06-01T12:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
const reachable: FatigueContact = { email: 'ada@example.com', optedOut: false, bounced: false, deleted: false };
const base: FatigueInput = { now, quietPeriodDays: 90, contact: reachable, lastSurveyAt: null };

describe('evaluateFatigue', () => {
  const cases: Array<[string, Partial<FatigueInput>, ReturnType<typeof evaluateFatigue>]> = [
    ['a reachable contact never surveyed may be surveyed', {}, { ok: true }],
    ['a contact surveyed 91 days ago may be surveyed again', { lastSurveyAt: daysAgo(91) }, { ok: true }],
    ['a contact surveyed exactly 90 days ago may be surveyed again', { lastSurveyAt: daysAgo(90) }, { ok: true }],
    [
      'a contact surveyed 10 days ago is in the quiet period until day 90',
      { lastSurveyAt: daysAgo(10) },
      { ok: false, reason: 'quiet_period', until: new Date(daysAgo(10).getTime() + 90 * 86_400_000) },
    ],
    [
      'a survey still scheduled for tomorrow blocks a second one',
      { lastSurveyAt: new Date(now.getTime() + 86_400_000) },
      { ok: false, reason: 'quiet_period', until: new Date(now.getTime() + 91 * 86_400_000) },
    ],
    ['a person confirming the survey lifts the quiet period', { lastSurveyAt: daysAgo(10), force: true }, { ok: true }],
    ['a quiet period of 0 days never blocks', { quietPeriodDays: 0, lastSurveyAt: daysAgo(0) }, { ok: true }],
    ['an unmirrored contact is skipped as unknown', { contact: null }, { ok: false, reason: 'unknown_contact' }],
    [
      'a deleted contact is skipped even when in the quiet period',
      { contact: { ...reachable, deleted: true }, lastSurveyAt: daysAgo(1) },
      { ok: false, reason: 'contact_deleted' },
    ],
    [
      'a contact without an email is skipped',
      { contact: { ...reachable, email: null } },
      { ok: false, reason: 'no_email' },
    ],
    [
      'an address without @ counts as no email',
      { contact: { ...reachable, email: 'not-an-address' } },
      { ok: false, reason: 'no_email' },
    ],
    [
      'an opted-out contact is skipped',
      { contact: { ...reachable, optedOut: true } },
      { ok: false, reason: 'opted_out' },
    ],
    [
      'an opt-out is never overridden by a confirmation',
      { contact: { ...reachable, optedOut: true }, force: true },
      { ok: false, reason: 'opted_out' },
    ],
    ['a bounced address is skipped', { contact: { ...reachable, bounced: true } }, { ok: false, reason: 'bounced' }],
    [
      'a bounce is never overridden by a confirmation',
      { contact: { ...reachable, bounced: true }, force: true },
      { ok: false, reason: 'bounced' },
    ],
    [
      'an opted-out contact without email is reported as no email',
      { contact: { ...reachable, email: null, optedOut: true } },
      { ok: false, reason: 'no_email' },
    ],
  ];
  it.each(cases)('%s', (_name, overrides, expected) => {
    expect(evaluateFatigue({ ...base, ...overrides })).toEqual(expected);
  });
});
