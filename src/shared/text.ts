// The one rule for text no database column can hold: NUL (Postgres text and jsonb refuse it) and an unpaired
// UTF-16 surrogate (not a character at all; jsonb refuses it, and UTF-8 cannot encode it). Both arrive from outside:
// HTTP inputs, HubSpot property values, webhook payloads. Every HTTP input is parsed through parseInput, which
// refuses such text anywhere with a 400 naming the field; text that must not be lost (a respondent's answer,
// workflow inputs, HubSpot's own data) is cleaned instead: NUL removed, an unpaired surrogate replaced by U+FFFD.
// Pure functions: callers decide whether to clean a value or to refuse it.

// eslint-disable-next-line no-control-regex -- matching NUL is the point
const UNSAFE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATES = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export const UNSAFE_TEXT_MESSAGE = 'must not contain a NUL character or an unpaired surrogate';

/** True when `text` can be stored as is (no NUL, no unpaired surrogate). */
export function isStorableText(text: string): boolean {
  return !UNSAFE.test(text);
}

/** `text` with NUL characters removed and each unpaired surrogate replaced by U+FFFD; the same string when clean. */
export function storableText(text: string): string {
  if (isStorableText(text)) return text;
  return text.replaceAll('\u0000', '').replace(LONE_SURROGATES, '\ufffd');
}

/** Every string in a parsed JSON, form or query value (keys too), cleaned with storableText. */
export function storableDeep(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(storableDeep);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableText(k), storableDeep(v)]));
  return value;
}

/** The paths of every string (or key) holding unsafe text, e.g. [['brand', 'name']]; depth-limited. */
export function unsafeTextPaths(value: unknown, path: PropertyKey[] = [], depth = 0): PropertyKey[][] {
  if (typeof value === 'string') return isStorableText(value) ? [] : [path];
  if (typeof value !== 'object' || value === null || depth > 32) return [];
  const found: PropertyKey[][] = [];
  for (const [k, v] of Object.entries(value)) {
    const at = [...path, Array.isArray(value) ? Number(k) : k];
    if (!isStorableText(k)) found.push(at);
    else found.push(...unsafeTextPaths(v, at, depth + 1));
    if (found.length >= 10) break;
  }
  return found;
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
