// Text and JSON as PostgreSQL can store them. A `text` or `jsonb` value may not hold a NUL character, and `jsonb`
// refuses a lone UTF-16 surrogate (`\ud800` without its pair); both arrive from outside (HubSpot property values,
// webhook payloads). Pure functions: callers decide whether to clean a value or to refuse it.

const NUL = '\u0000';
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** True when `text` can be stored as is (no NUL, no lone surrogate). */
export function isStorableText(text: string): boolean {
  LONE_SURROGATE.lastIndex = 0;
  return !text.includes(NUL) && !LONE_SURROGATE.test(text);
}

/** `text` with NUL characters removed and each lone surrogate replaced by U+FFFD; the same string when clean. */
export function storableText(text: string): string {
  if (isStorableText(text)) return text;
  return text.replaceAll(NUL, '').replace(LONE_SURROGATE, '\ufffd');
}

export type StorableJson = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * A JSON value (as JSON.parse returns it) ready for a `jsonb` column: every string and key cleaned with
 * storableText, and refused when nested deeper than `maxDepth` (arrays and objects count one level each). The walk
 * stops at the limit, so a pathologically deep value costs no more than a shallow one. Unchanged parts are shared.
 */
export function storableJson(value: unknown, maxDepth: number): StorableJson {
  const tooDeep = { reason: `nested deeper than ${maxDepth} levels` };
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return storableText(v);
    if (v === null || typeof v !== 'object') return v;
    if (depth >= maxDepth) throw tooDeep;
    if (Array.isArray(v)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const item = walk(v[i], depth + 1);
        if (item !== v[i]) (out ??= v.slice())[i] = item;
      }
      return out ?? v;
    }
    let changed = false;
    const entries = Object.entries(v).map(([k, item]) => {
      const key = storableText(k);
      const next = walk(item, depth + 1);
      if (key !== k || next !== item) changed = true;
      return [key, next] as const;
    });
    return changed ? Object.fromEntries(entries) : v;
  };
  try {
    return { ok: true, value: walk(value, 0) };
  } catch (err) {
    if (err === tooDeep) return { ok: false, reason: tooDeep.reason };
    throw err;
  }
}
