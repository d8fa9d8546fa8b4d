import { describe, expect, it } from 'vitest';
import { planFollowUp, type StoredFollowUp } from '../../src/follow-ups/plan';

const open = (over: Partial<StoredFollowUp> = {}): StoredFollowUp => ({
  hubspotTaskId: '900',
  status: 'open',
  category: 'detractor',
  contentHash: 'h1',
  ...over,
});

describe('what a follow-up flush does for one answer', () => {
  it.each([
    [
      'a new answer that needs a task is created',
      null,
      { wanted: true, category: 'detractor', contentHash: 'h1' },
      { kind: 'create' },
    ],
    [
      'a new answer whose category is turned off gets nothing',
      null,
      { wanted: false, category: 'passive', contentHash: 'h1' },
      { kind: 'none' },
    ],
    [
      'a pending row (never created) is created',
      open({ hubspotTaskId: null, status: 'pending' }),
      { wanted: true, category: 'detractor', contentHash: 'h1' },
      { kind: 'create' },
    ],
    [
      'a refused create is tried again',
      open({ hubspotTaskId: null, status: 'failed' }),
      { wanted: true, category: 'detractor', contentHash: 'h1' },
      { kind: 'create' },
    ],
    [
      'a pending row that is no longer wanted is dropped',
      open({ hubspotTaskId: null, status: 'pending' }),
      { wanted: false, category: 'promoter', contentHash: 'h2' },
      { kind: 'drop' },
    ],
    [
      'the same answer again changes nothing',
      open(),
      { wanted: true, category: 'detractor', contentHash: 'h1' },
      { kind: 'none' },
    ],
    [
      'a changed answer updates the same task',
      open(),
      { wanted: true, category: 'detractor', contentHash: 'h2' },
      { kind: 'update', reopen: false },
    ],
    [
      'a changed answer that needs no task still updates it (never closes it)',
      open(),
      { wanted: false, category: 'promoter', contentHash: 'h2' },
      { kind: 'update', reopen: false },
    ],
    [
      'a completed task whose answer moved to a category needing follow-up is reopened',
      open({ status: 'completed', category: 'promoter' }),
      { wanted: true, category: 'detractor', contentHash: 'h2' },
      { kind: 'update', reopen: true },
    ],
    [
      'a completed task with only a new comment is updated, not reopened',
      open({ status: 'completed' }),
      { wanted: true, category: 'detractor', contentHash: 'h2' },
      { kind: 'update', reopen: false },
    ],
    [
      'a task deleted in HubSpot is not recreated',
      open({ status: 'deleted' }),
      { wanted: true, category: 'detractor', contentHash: 'h2' },
      { kind: 'none' },
    ],
  ] as const)('%s', (_name, stored, desired, expected) => {
    expect(planFollowUp(stored, desired)).toEqual(expected);
  });
});
