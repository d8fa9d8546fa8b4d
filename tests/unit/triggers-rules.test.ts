import { describe, expect, it } from 'vitest';
import { settingsSchema, type SettingsInput } from '../../src/core/settings-schema';
import { anyRuleForStage, matchRules, milestoneKey, type StageEntry } from '../../src/triggers/trigger.rules';

const settings = (triggers: SettingsInput['triggers']) => settingsSchema.parse({ triggers });
const defaults = settingsSchema.parse({});
const custom = settings([
  { id: 'any-won', objectType: 'deal', pipelineId: '*', stageId: 'closedwon' },
  { id: 'enterprise-won', objectType: 'deal', pipelineId: 'enterprise', stageId: 'closedwon', delayHours: 72 },
  { id: 'disabled', enabled: false, objectType: 'deal', pipelineId: '*', stageId: 'contractsent' },
  { id: 'support-closed', objectType: 'ticket', pipelineId: '0', stageId: '4' },
]);

describe('matchRules', () => {
  const cases: Array<[string, ReturnType<typeof settingsSchema.parse>, StageEntry, string[]]> = [
    [
      'by default a deal entering closedwon in any pipeline matches',
      defaults,
      { objectType: 'deal', pipelineId: 'default', stageId: 'closedwon' },
      ['deal-closed-won'],
    ],
    [
      'by default a deal in a custom pipeline entering closedwon matches too',
      defaults,
      { objectType: 'deal', pipelineId: '987', stageId: 'closedwon' },
      ['deal-closed-won'],
    ],
    [
      'by default a deal entering another stage matches nothing',
      defaults,
      { objectType: 'deal', pipelineId: 'default', stageId: 'closedlost' },
      [],
    ],
    [
      'by default a ticket entering the closed stage of the default pipeline matches',
      defaults,
      { objectType: 'ticket', pipelineId: '0', stageId: '4' },
      ['ticket-closed'],
    ],
    [
      'by default a ticket closed in another pipeline matches nothing',
      defaults,
      { objectType: 'ticket', pipelineId: '77', stageId: '4' },
      [],
    ],
    [
      'a ticket whose pipeline is unknown matches only any-pipeline rules',
      defaults,
      { objectType: 'ticket', stageId: '4' },
      [],
    ],
    [
      'the rule naming the pipeline comes before the any-pipeline rule',
      custom,
      { objectType: 'deal', pipelineId: 'enterprise', stageId: 'closedwon' },
      ['enterprise-won', 'any-won'],
    ],
    [
      'another pipeline only gets the any-pipeline rule',
      custom,
      { objectType: 'deal', pipelineId: 'smb', stageId: 'closedwon' },
      ['any-won'],
    ],
    ['a disabled rule never matches', custom, { objectType: 'deal', pipelineId: 'smb', stageId: 'contractsent' }, []],
    [
      'a deal rule never matches a ticket with the same stage id',
      custom,
      { objectType: 'ticket', pipelineId: 'enterprise', stageId: 'closedwon' },
      [],
    ],
  ];
  it.each(cases)('%s', (_name, s, entry, expected) => {
    expect(matchRules(s, entry).map((r) => r.id)).toEqual(expected);
  });
});

describe('anyRuleForStage', () => {
  it.each([
    ['deal', 'closedwon', true],
    ['deal', 'contractsent', false],
    ['ticket', '4', true],
    ['ticket', 'closedwon', false],
  ] as const)('%s entering %s may fire a rule: %s', (objectType, stageId, expected) => {
    expect(anyRuleForStage(custom, objectType, stageId)).toBe(expected);
  });
});

describe('milestoneKey', () => {
  it('names the record, the stage and the contact so each milestone is surveyed once per person', () => {
    expect(milestoneKey('deal', 123, 'closedwon', '9')).toBe('deal:123:closedwon:contact:9');
    expect(milestoneKey('ticket', '55', '4', 10)).toBe('ticket:55:4:contact:10');
  });
});
