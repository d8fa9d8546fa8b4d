import { describe, expect, it } from 'vitest';
import type { SettingsField } from '../../src/core';
import { diffSettings } from '../../src/core/settings-diff';
import { defaultSettings } from '../../src/core/settings-schema';
import { applyForm, placeIssues } from '../../src/workspace/form-values';

// Reading a submitted form into settings by field kind, placing problems next to fields, and the history's diff.

const fields: SettingsField[] = [
  { path: ['brand', 'name'], label: 'Name', kind: 'text' },
  { path: ['brand', 'senderEmail'], label: 'Sender email', kind: 'email', optional: true },
  { path: ['quietPeriodDays'], label: 'Quiet', kind: 'number' },
  { path: ['remindersEnabled'], label: 'Reminders', kind: 'checkbox' },
  { path: ['brand', 'color'], label: 'Colour', kind: 'color' },
  { path: ['triggers', 0, 'wording', 'followUpQuestion'], label: 'Question', kind: 'textarea', optional: true },
  {
    path: ['followUps', 'detractor', 'priority'],
    label: 'Priority',
    kind: 'select',
    options: [{ value: 'HIGH', label: 'High' }],
  },
];

describe('applyForm', () => {
  const settings = { ...defaultSettings(), brand: { ...defaultSettings().brand, senderEmail: 'a@b.example' } };

  it('parses each field by kind and leaves the stored settings untouched', () => {
    const { candidate, typed, issues } = applyForm(settings, fields, {
      'brand.name': '  Acme ',
      'brand.senderEmail': '',
      quietPeriodDays: ' 45 ',
      'brand.color': '#ABCDEF',
      'triggers.0.wording.followUpQuestion': 'Why?\r\n',
      'followUps.detractor.priority': 'HIGH',
    });
    expect(issues).toEqual([]);
    expect(candidate).toMatchObject({ brand: { name: 'Acme', color: '#abcdef' }, quietPeriodDays: 45 });
    expect((candidate.brand as Record<string, unknown>).senderEmail).toBeUndefined();
    expect(candidate.remindersEnabled).toBe(false);
    expect((candidate.triggers as Array<{ wording: unknown }>)[0]!.wording).toEqual({ followUpQuestion: 'Why?' });
    expect(typed.quietPeriodDays).toBe(' 45 ');
    expect(settings.brand.senderEmail).toBe('a@b.example');
  });

  it('reports a number that is not one and an option that was not offered, keeping what was typed', () => {
    const { issues, typed } = applyForm(settings, fields, {
      'brand.name': 'x',
      quietPeriodDays: 'ninety',
      'followUps.detractor.priority': 'URGENT',
      remindersEnabled: 'on',
    });
    expect(issues).toEqual([
      { path: ['quietPeriodDays'], message: 'enter a number' },
      { path: ['followUps', 'detractor', 'priority'], message: 'choose one of the listed options' },
    ]);
    expect(typed).toMatchObject({ quietPeriodDays: 'ninety', remindersEnabled: 'on' });
    const unchosen = applyForm(settings, fields, {
      'brand.name': 'x',
      quietPeriodDays: '1',
      'followUps.detractor.priority': '',
    });
    expect(unchosen.issues).toEqual([{ path: ['followUps', 'detractor', 'priority'], message: 'choose one' }]);
  });

  it('places issues on their field, a deeper path on the closest field above it, the rest apart', () => {
    const placed = placeIssues(fields, [
      { path: ['brand', 'color'], message: 'dark' },
      { path: ['triggers', 0, 'wording', 'followUpQuestion', 'x'], message: 'deep' },
      { path: ['relationship', 'everyDays'], message: 'elsewhere' },
    ]);
    expect([...placed.byField]).toEqual([
      ['brand.color', ['dark']],
      ['triggers.0.wording.followUpQuestion', ['deep']],
    ]);
    expect(placed.other).toEqual([{ path: ['relationship', 'everyDays'], message: 'elsewhere' }]);
  });
});

describe('diffSettings', () => {
  it('lists changed leaves with before → after, trigger rules keyed by id', () => {
    const before = defaultSettings();
    const after = structuredClone(before);
    after.brand.color = '#000000';
    after.triggers.shift();
    after.triggers[0]!.delayHours = 1;
    expect(diffSettings(before, after)).toEqual([
      { path: 'brand.color', before: '#1f5fbf', after: '#000000' },
      { path: 'triggers.deal-closed-won', before: before.triggers[0] },
      { path: 'triggers.ticket-closed.delayHours', before: 24, after: 1 },
    ]);
    expect(diffSettings(before, structuredClone(before))).toEqual([]);
    expect(diffSettings(after, before)[1]).toEqual({ path: 'triggers.deal-closed-won', after: before.triggers[0] });
  });
});
