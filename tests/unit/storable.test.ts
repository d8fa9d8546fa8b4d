import { describe, expect, it } from 'vitest';
import { isStorableText, storableJson, storableText } from '../../src/shared/text';

describe('storableText', () => {
  it.each([
    ['plain text', 'Zoë 😀 日本', 'Zoë 😀 日本'],
    ['a NUL byte', 'a\u0000b\u0000', 'ab'],
    ['a lone high surrogate', 'a\ud800b', 'a\ufffdb'],
    ['a lone low surrogate', '\udc00x', '\ufffdx'],
    ['a high surrogate at the end', 'x\ud83d', 'x\ufffd'],
    ['reversed pair', '\ude00\ud83d', '\ufffd\ufffd'],
    ['both', '\u0000\ud800😀', '\ufffd😀'],
  ])('%s', (_name, input, expected) => {
    expect(storableText(input)).toBe(expected);
    expect(isStorableText(input)).toBe(input === expected);
    expect(isStorableText(storableText(input))).toBe(true);
  });

  it('returns the very same string when nothing needs cleaning', () => {
    const s = 'clean';
    expect(storableText(s)).toBe(s);
  });
});

describe('storableJson', () => {
  it('cleans strings and keys at every level and shares unchanged parts', () => {
    const clean = { a: [1, 'x'] };
    const value = { k: 'v\u0000', 'bad\ud800': { n: null, t: true }, nested: [['\udc00']], clean };
    const r = storableJson(value, 8);
    expect(r).toEqual({
      ok: true,
      value: { k: 'v', 'bad\ufffd': { n: null, t: true }, nested: [['\ufffd']], clean },
    });
    if (r.ok) expect((r.value as typeof value).clean).toBe(clean);
    const same = { a: 1, b: ['c'] };
    expect(storableJson(same, 8)).toEqual({ ok: true, value: same });
    expect((storableJson(same, 8) as { value: unknown }).value).toBe(same);
  });

  it('accepts exactly maxDepth levels and refuses one more', () => {
    const nest = (n: number): unknown => (n === 0 ? 'leaf' : [nest(n - 1)]);
    expect(storableJson(nest(3), 3).ok).toBe(true);
    expect(storableJson(nest(4), 3)).toEqual({ ok: false, reason: 'nested deeper than 3 levels' });
  });

  it('refuses 50,000 levels without exhausting the stack', () => {
    const deep = JSON.parse('['.repeat(50_000) + ']'.repeat(50_000)) as unknown;
    expect(storableJson({ deep }, 32).ok).toBe(false);
  });

  it('keeps a __proto__ key as data', () => {
    const value = JSON.parse('{"__proto__": {"x": "a\\u0000"}}') as unknown;
    const r = storableJson(value, 4);
    expect(r.ok && Object.getOwnPropertyNames(r.value)).toEqual(['__proto__']);
    expect(r.ok && JSON.stringify(r.value)).toBe('{"__proto__":{"x":"a"}}');
  });
});
