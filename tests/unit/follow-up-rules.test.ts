import { describe, expect, it } from 'vitest';
import {
  dueDateFor,
  needsSourceOwner,
  resolveOwner,
  sourceObjectTypeOf,
  taskRuleFor,
} from '../../src/follow-ups/follow-up.rules';
import { defaultSettings, settingsSchema } from '../../src/core/settings-schema';

describe('follow-up rules', () => {
  const defaults = defaultSettings().followUps;

  it.each([
    ['detractor', 'HIGH', 'CALL', 1],
    ['passive', 'MEDIUM', 'TODO', 3],
    ['promoter', 'LOW', 'TODO', 5],
  ] as const)(
    'by default a %s answer gets a %s %s task due in %i business day(s)',
    (category, priority, taskType, days) => {
      expect(taskRuleFor(defaults, category)).toEqual({ category, priority, taskType, dueBusinessDays: days });
    },
  );

  it('gives no task for a category the portal turned off, and follows its own priority and type', () => {
    const followUps = settingsSchema.parse({
      followUps: {
        passive: { enabled: false },
        promoter: { priority: 'MEDIUM', taskType: 'EMAIL', dueBusinessDays: 2 },
      },
    }).followUps;
    expect(taskRuleFor(followUps, 'passive')).toBeNull();
    expect(taskRuleFor(followUps, 'promoter')).toEqual({
      category: 'promoter',
      priority: 'MEDIUM',
      taskType: 'EMAIL',
      dueBusinessDays: 2,
    });
    expect(taskRuleFor(followUps, 'detractor')?.priority).toBe('HIGH');
  });

  it('makes a detractor answered on a Friday due on Monday', () => {
    const rule = taskRuleFor(defaults, 'detractor')!;
    expect(dueDateFor(rule, new Date('2026-03-06T15:00:00Z')).toISOString()).toBe('2026-03-09T15:00:00.000Z');
  });

  it('makes a passive answered on a Thursday due the next Tuesday', () => {
    const rule = taskRuleFor(defaults, 'passive')!;
    expect(dueDateFor(rule, new Date('2026-03-05T09:00:00Z')).toISOString()).toBe('2026-03-10T09:00:00.000Z');
  });
});

describe('follow-up owner', () => {
  it.each([
    [
      'the contact owner comes first',
      { contactOwnerId: '11', sourceObjectType: 'deal', sourceOwnerId: '22', defaultOwnerId: '33' },
      { ownerId: '11', source: 'contact' },
    ],
    [
      'then the deal owner',
      { contactOwnerId: null, sourceObjectType: 'deal', sourceOwnerId: '22', defaultOwnerId: '33' },
      { ownerId: '22', source: 'deal' },
    ],
    [
      'then the ticket owner',
      { contactOwnerId: '', sourceObjectType: 'ticket', sourceOwnerId: '44', defaultOwnerId: '33' },
      { ownerId: '44', source: 'ticket' },
    ],
    [
      'then the default owner',
      { contactOwnerId: null, sourceObjectType: 'deal', sourceOwnerId: null, defaultOwnerId: '33' },
      { ownerId: '33', source: 'default' },
    ],
    [
      'the default when there is no deal or ticket',
      { contactOwnerId: null, sourceObjectType: null, sourceOwnerId: '22', defaultOwnerId: '33' },
      { ownerId: '33', source: 'default' },
    ],
    [
      'unassigned when nobody is known',
      { contactOwnerId: null, sourceObjectType: null, defaultOwnerId: undefined },
      { ownerId: null, source: 'none' },
    ],
    [
      'a malformed owner id is skipped',
      { contactOwnerId: 'abc', sourceObjectType: 'deal', sourceOwnerId: ' 22 ' },
      { ownerId: '22', source: 'deal' },
    ],
  ] as const)('%s', (_name, candidates, expected) => {
    expect(resolveOwner(candidates)).toEqual(expected);
  });

  it('reads the deal or ticket owner only when the contact has none', () => {
    expect(needsSourceOwner({ contactOwnerId: '11', sourceObjectType: 'deal' })).toBe(false);
    expect(needsSourceOwner({ contactOwnerId: null, sourceObjectType: 'deal' })).toBe(true);
    expect(needsSourceOwner({ contactOwnerId: null, sourceObjectType: null })).toBe(false);
  });

  it.each([
    ['deal', 'deal'],
    ['deals', 'deal'],
    ['0-3', 'deal'],
    ['TICKET', 'ticket'],
    ['0-5', 'ticket'],
    ['contact', null],
    [null, null],
  ] as const)('reads source object type %s as %s', (raw, expected) => {
    expect(sourceObjectTypeOf(raw)).toBe(expected);
  });
});
