import { describe, expect, it } from 'vitest';
import { formatDuration, formatProgress, progressThrottle } from '../../src/contacts/progress';

describe('formatProgress', () => {
  it.each([
    [{ processed: 0, total: 1000, elapsedMs: 0 }, '[........................] 0/1000   0%  0.0 contacts/s'],
    [
      { processed: 500, total: 1000, elapsedMs: 2000 },
      '[############............] 500/1000  50%  250 contacts/s  eta 2s',
    ],
    [{ processed: 1000, total: 1000, elapsedMs: 4000 }, '[########################] 1000/1000 100%  250 contacts/s'],
    [{ processed: 120, total: 100, elapsedMs: 1000 }, '[########################] 120/100 100%  120 contacts/s'],
    [{ processed: 42, elapsedMs: 10_000 }, '42 contacts  4.2 contacts/s'],
  ])('%o → %s', (snapshot, expected) => {
    expect(formatProgress(snapshot)).toBe(expected);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [59_400, '59s'],
    [61_000, '1m01s'],
    [3_725_000, '1h02m'],
  ])('%i ms → %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});

describe('progressThrottle', () => {
  it('redraws a terminal at most every 100 ms but always draws the final state', () => {
    const due = progressThrottle(true);
    expect([due(0), due(50), due(100), due(120, true)]).toEqual([true, false, true, true]);
  });

  it('writes one line every 5 s to a pipe', () => {
    const due = progressThrottle(false);
    expect([due(0), due(4999), due(5000)]).toEqual([true, false, true]);
  });
});
