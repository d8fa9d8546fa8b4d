import { storableJson } from '../shared';

// An event's JSON for the payload column, made once per event on the acknowledgement's hot path. Most events hold
// nothing to clean and are flat, so their JSON text is checked instead of walking the value: JSON.stringify escapes
// NUL and every lone surrogate (a paired one stays as is), so text without such an escape has nothing to clean.
// Anything else takes storableJson's full walk, which cleans the value or refuses it.

const UNSAFE_ESCAPE = /\\u(?:0000|d[89a-f])/i;

/** Whether the JSON text nests containers (objects, arrays) more than `max` deep; strings are skipped. */
function nestedDeeperThan(json: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // a backslash escapes the next character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

export type EventJson = { ok: true; value: unknown; json: string } | { ok: false; reason: string };

/**
 * `value` cleaned for a jsonb column as storableJson does it (refused when nested deeper than `maxDepth`), with
 * its JSON text.
 */
export function eventJson(value: unknown, maxDepth: number): EventJson {
  const json = JSON.stringify(value);
  if (!UNSAFE_ESCAPE.test(json) && !nestedDeeperThan(json, maxDepth)) return { ok: true, value, json };
  const clean = storableJson(value, maxDepth);
  return clean.ok ? { ok: true, value: clean.value, json: JSON.stringify(clean.value) } : clean;
}
