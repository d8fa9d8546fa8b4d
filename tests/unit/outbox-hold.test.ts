import { describe, expect, it } from 'vitest';
import { DEFAULT_HOLD, itemsToSend, worthDraining } from '../../src/outbox';

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

describe('worthDraining (the ticker queues a drain only when it would send)', () => {
  const summary = (count: number, oldestAgo: number, newestAgo: number) => ({
    count,
    oldest: new Date(NOW.getTime() - oldestAgo),
    newest: new Date(NOW.getTime() - newestAgo),
  });
  it.each([
    ['a lone fresh item is still held', summary(1, 100, 100), false],
    ['a lone item past the quiet time goes', summary(1, 600, 600), true],
    ['items still streaming in are held', summary(5, 2000, 100), false],
    ['… until the oldest has waited the longest hold', summary(5, 3000, 100), true],
    ['a full batch goes at once', summary(100, 10, 0), true],
  ] as const)('%s', (_name, due, worth) => {
    expect(worthDraining(due, NOW, DEFAULT_HOLD)).toBe(worth);
  });

  it('follows a plain-number hold and the kind’s batch size like itemsToSend', () => {
    expect(worthDraining(summary(3, 2999, 0), NOW, 3000, 100)).toBe(false);
    expect(worthDraining(summary(3, 3000, 0), NOW, 3000, 100)).toBe(true);
    expect(worthDraining(summary(20, 0, 0), NOW, 3000, 20)).toBe(true);
  });
});
