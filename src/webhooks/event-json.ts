import { storableJson } from '../shared';

// An event's JSON for the payload column, made once per event on the acknowledgement's hot path. Most events hold
// nothing to clean, so their JSON text is checked instead of cleaning every string of the value: JSON.stringify
// escapes NUL and every lone surrogate (a paired one stays as is), so text without such an escape has nothing to
// clean. Anything else (and anything too deep) takes storableJson's full walk, which cleans the value or refuses it.

const UNSAFE_ESCAPE = /\\u(?:0000|d[89a-f])/i;

/**
 * Whether `value` holds an object or array at depth `max` or deeper (the top level is depth 0), as storableJson
 * counts it. Stops there, so a pathologically deep value costs no more than a shallow one (and never reaches
 * JSON.stringify, whose recursion it would overflow).
 */
function deeperThan(value: unknown, max: number, depth = 0): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (depth >= max) return true;
  for (const item of Array.isArray(value) ? value : Object.values(value))
    if (deeperThan(item, max, depth + 1)) return true;
  return false;
}

export type EventJson = { ok: true; value: unknown; json: string } | { ok: false; reason: string };

/**
 * `value` cleaned for a jsonb column as storableJson does it (refused when nested deeper than `maxDepth`), with
 * its JSON text.
 */
export function eventJson(value: unknown, maxDepth: number): EventJson {
  if (!deeperThan(value, maxDepth)) {
    const json = JSON.stringify(value);
    if (!UNSAFE_ESCAPE.test(json)) return { ok: true, value, json };
  }
  const clean = storableJson(value, maxDepth);
  return clean.ok ? { ok: true, value: clean.value, json: JSON.stringify(clean.value) } : clean;
}
