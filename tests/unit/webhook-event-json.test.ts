import { describe, expect, it } from 'vitest';
import { storableJson } from '../../src/shared';
import { eventJson } from '../../src/webhooks/event-json';

// The webhook hot path checks an event's JSON text instead of walking it; it must decide exactly as storableJson.

const nested = (levels: number): unknown => {
  let v: unknown = 'leaf';
  for (let i = 0; i < levels; i++) v = i % 2 ? [v] : { k: v };
  return v;
};

const CASES: Array<[string, unknown]> = [
  ['a flat event', { portalId: 1, subscriptionType: 'deal.propertyChange', propertyValue: 'closedwon', objectId: 7 }],
  ['NUL in a value', { propertyValue: 'a\u0000b' }],
  ['NUL in a key', { ['we\u0000ird']: 1 }],
  ['a lone high surrogate', { propertyValue: 'x\ud83dy' }],
  ['a lone low surrogate', { propertyValue: 'x\ude00y' }],
  ['a surrogate pair', { propertyValue: 'smile 😀' }],
  ['the text \\u0000 typed out', { propertyValue: '\\u0000 and \\ud800' }],
  ['brackets and quotes inside strings', { propertyValue: ']]]}}}"[[[{{{', other: '\\"]' }],
  ['32 levels', nested(32)],
  ['33 levels', nested(33)],
  ['33 levels hidden behind a closing bracket in a string', { s: ']]]]', deep: nested(32) }],
  ['an array of ids', { mergedObjectIds: [1, 2, 3] }],
  ['50,000 levels', nested(50_000)],
];

describe('eventJson', () => {
  it.each(CASES)('decides %s as storableJson does, with its JSON text', (_name, value) => {
    const fast = eventJson(value, 32);
    const full = storableJson(value, 32);
    expect(fast.ok).toBe(full.ok);
    if (fast.ok && full.ok) {
      expect(fast.value).toEqual(full.value);
      expect(fast.json).toBe(JSON.stringify(full.value));
    }
    if (!fast.ok && !full.ok) expect(fast.reason).toBe(full.reason);
  });

  it('refuses more than 32 levels and keeps 32', () => {
    expect(eventJson(nested(32), 32).ok).toBe(true);
    expect(eventJson(nested(33), 32).ok).toBe(false);
  });
});
