import { describe, expect, it } from 'vitest';
import {
  VISIT_RULE_ID,
  decideDue,
  snoozeDaysFor,
  snoozeUntil,
  type DueContact,
  type DueInput,
} from '../../src/web-survey/due.rules';
import { createRateLimiter } from '../../src/web-survey/rate-limit';
import { settingsSchema } from '../../src/core/settings-schema';
import { webSurveySettingsSections } from '../../src/web-survey/settings-section';

const NOW = new Date('2026-06-01T12:00:00Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

function input(contact: Partial<DueContact> | null, over: Partial<DueInput> = {}): DueInput {
  return {
    now: NOW,
    enabled: true,
    askOnVisit: false,
    quietPeriodDays: 90,
    contact:
      contact === null
        ? null
        : {
            contactId: '1',
            deleted: false,
            optedOut: false,
            snoozedUntil: null,
            openInvitationId: null,
            lastSurveyAt: null,
            ...contact,
          },
    ...over,
  };
}

describe('when the widget shows a survey', () => {
  it('shows an open web invitation', () => {
    expect(decideDue(input({ openInvitationId: 'inv-1', lastSurveyAt: ago(1) }))).toEqual({
      due: true,
      source: 'invitation',
      invitationId: 'inv-1',
    });
  });

  it('shows nothing while off, for unknown, deleted or opted-out contacts, or while snoozed', () => {
    const open = { openInvitationId: 'inv-1' };
    expect(decideDue(input(open, { enabled: false }))).toEqual({ due: false, reason: 'disabled' });
    expect(decideDue(input(null))).toEqual({ due: false, reason: 'unknown_contact' });
    expect(decideDue(input({ ...open, deleted: true }))).toEqual({ due: false, reason: 'contact_deleted' });
    expect(decideDue(input({ ...open, optedOut: true }))).toEqual({ due: false, reason: 'opted_out' });
    expect(decideDue(input({ ...open, snoozedUntil: new Date(NOW.getTime() + 1) }))).toEqual({
      due: false,
      reason: 'snoozed',
    });
    // A snooze that has run out no longer counts.
    expect(decideDue(input({ ...open, snoozedUntil: NOW })).due).toBe(true);
  });

  it('asks on visit only when that rule is on and the quiet period has passed', () => {
    expect(decideDue(input({}))).toEqual({ due: false, reason: 'nothing_open' });
    expect(decideDue(input({}, { askOnVisit: true }))).toEqual({ due: true, source: 'visit' });
    expect(decideDue(input({ lastSurveyAt: ago(89) }, { askOnVisit: true }))).toEqual({
      due: false,
      reason: 'quiet_period',
    });
    expect(decideDue(input({ lastSurveyAt: ago(90) }, { askOnVisit: true })).due).toBe(true);
    expect(decideDue(input({ lastSurveyAt: ago(1) }, { askOnVisit: true, quietPeriodDays: 0 })).due).toBe(true);
  });

  it('snoozes for the configured days', () => {
    expect(snoozeUntil(NOW, 14).getTime() - NOW.getTime()).toBe(14 * DAY);
  });
});

describe('web survey settings', () => {
  it('keeps allowed origins as bare origins, from a list or one per line, without duplicates', () => {
    const parsed = settingsSchema.parse({
      webSurvey: { allowedOrigins: 'https://app.example.com\nhttp://localhost:3000/, https://app.example.com' },
    });
    expect(parsed.webSurvey.allowedOrigins).toEqual(['https://app.example.com', 'http://localhost:3000']);
    expect(settingsSchema.parse({}).webSurvey).toEqual({
      enabled: false,
      allowedOrigins: [],
      askOnVisit: false,
      snoozeDays: 14,
    });
  });

  it('refuses addresses that are not an http(s) origin, naming the field', () => {
    for (const bad of [
      'javascript:alert(1)',
      'https://app.example.com/path',
      'app.example.com',
      'https://a.test/?x=1',
    ]) {
      const r = settingsSchema.safeParse({ webSurvey: { allowedOrigins: [bad] } });
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]?.path.slice(0, 2)).toEqual(['webSurvey', 'allowedOrigins']);
    }
  });
});

describe('a dismissal’s snooze days', () => {
  const rule = { objectType: 'deal', stageId: 'closedwon' } as const;
  const settings = settingsSchema.parse({
    webSurvey: { snoozeDays: 14 },
    triggers: [
      { ...rule, id: 'won', webSnoozeDays: 2 },
      { ...rule, id: 'plain' },
    ],
    relationship: { webSnoozeDays: 5 },
  });

  it('are the rule’s own days, the relationship cadence’s, or else the portal’s', () => {
    expect(snoozeDaysFor(settings, { trigger: 'deal', ruleId: 'won' })).toBe(2);
    expect(snoozeDaysFor(settings, { trigger: 'deal', ruleId: 'plain' })).toBe(14);
    expect(snoozeDaysFor(settings, { trigger: 'ticket', ruleId: 'removed-since' })).toBe(14);
    expect(snoozeDaysFor(settings, { trigger: 'relationship', ruleId: null })).toBe(5);
    expect(snoozeDaysFor(settings, { trigger: 'relationship', ruleId: VISIT_RULE_ID })).toBe(14);
    expect(snoozeDaysFor(settings, { trigger: 'workflow', ruleId: 'won' })).toBe(14);
    expect(snoozeDaysFor(settingsSchema.parse({}), { trigger: 'relationship', ruleId: null })).toBe(14);
  });

  it('are optional on rules and the cadence, whole days from 1 to 365, naming the field when refused', () => {
    const defaults = settingsSchema.parse({});
    expect(defaults.triggers.every((r) => r.webSnoozeDays === undefined)).toBe(true);
    expect(defaults.relationship.webSnoozeDays).toBeUndefined();
    for (const bad of [0, 366, 2.5, '2']) {
      const r = settingsSchema.safeParse({ triggers: [{ ...rule, id: 'won', webSnoozeDays: bad }] });
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]?.path).toEqual(['triggers', 0, 'webSnoozeDays']);
      const c = settingsSchema.safeParse({ relationship: { webSnoozeDays: bad } });
      expect(c.error?.issues[0]?.path).toEqual(['relationship', 'webSnoozeDays']);
    }
    expect(settingsSchema.parse({ triggers: [{ ...rule, id: 'won', webSnoozeDays: 365 }] }).triggers[0]).toMatchObject({
      webSnoozeDays: 365,
    });
  });
});

describe('the widget rate limiter', () => {
  it('counts per key within a window and starts again in the next', () => {
    const limiter = createRateLimiter(2, 60_000);
    const t = 1_800_000_000_000;
    expect([limiter.take('a', t), limiter.take('a', t + 1), limiter.take('a', t + 2)]).toEqual([true, true, false]);
    expect(limiter.take('b', t + 3)).toBe(true);
    expect(limiter.retryAfterSeconds(t + 3)).toBe(60);
    expect(limiter.take('a', t + 60_000)).toBe(true);
  });
});

describe('the web survey settings section', () => {
  it('asks for an origin before the web survey can be turned on', async () => {
    const [section] = webSurveySettingsSections;
    const ctx = {} as Parameters<NonNullable<NonNullable<typeof section>['validate']>>[0];
    const on = settingsSchema.parse({ webSurvey: { enabled: true } });
    expect(await section!.validate!(ctx, on)).toEqual([
      { path: ['webSurvey', 'allowedOrigins'], message: 'list at least one origin to show the web survey' },
    ]);
    const listed = settingsSchema.parse({ webSurvey: { enabled: true, allowedOrigins: ['https://app.example.com'] } });
    expect(await section!.validate!(ctx, listed)).toEqual([]);
  });
});
