import { describe, expect, it } from 'vitest';
import { itemsToSend } from '../../src/outbox';

// The hold rules beyond the write-back defaults (tests/unit/writeback-batching.test.ts): a kind's own batch size,
// and a plain number as the hold (follow-up tasks).

const NOW = new Date('2025-06-15T12:00:00Z');
const aged = (ages: number[]) => ages.map((ms, i) => ({ i, dueAt: new Date(NOW.getTime() - ms) }));

describe('itemsToSend', () => {
  it.each([
    ['nothing due', [], 3000, 100, 0],
    ['a full batch of a kind with batches of 20 goes; its fresh remainder waits', Array(45).fill(0), 3000, 20, 40],
    ['a plain number holds the remainder until its oldest item waited that long', [2999, 0], 3000, 100, 0],
    ['… and then sends it all', [3000, 0], 3000, 100, 2],
    ['a hold of 0 sends everything due', [0, 0, 0], 0, 100, 3],
  ] as const)('%s', (_name, ages, hold, batchSize, sent) => {
    expect(itemsToSend(aged([...ages]), NOW, hold, batchSize)).toHaveLength(sent);
  });

  it('keeps the oldest-first order and sends the full batches first', () => {
    const due = aged(Array(25).fill(0));
    expect(itemsToSend(due, NOW, 3000, 10).map((d) => d.i)).toEqual(due.slice(0, 20).map((d) => d.i));
  });
});
