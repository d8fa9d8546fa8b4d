// The one check for text no database column can hold: NUL (Postgres text and jsonb refuse it) and an unpaired
// UTF-16 surrogate (not a character at all; jsonb refuses it, and UTF-8 cannot encode it). Every input is parsed
// through parseInput, which refuses such text anywhere in the input with a 400 naming the field; free text a
// person typed and must not lose (the survey answer, workflow inputs) is stripped of it instead.

// eslint-disable-next-line no-control-regex -- matching NUL is the point
const UNSAFE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

export const UNSAFE_TEXT_MESSAGE = 'must not contain a NUL character or an unpaired surrogate';

function hasUnsafeText(text: string): boolean {
  return UNSAFE.test(text);
}

/** The text without NUL characters and unpaired surrogates. */
export function stripUnsafeText(text: string): string {
  return text.replace(UNSAFE_ALL, '');
}

/** Every string in a parsed JSON, form or query value (keys too), stripped of unsafe text. */
export function stripUnsafeDeep(value: unknown): unknown {
  if (typeof value === 'string') return stripUnsafeText(value);
  if (Array.isArray(value)) return value.map(stripUnsafeDeep);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [stripUnsafeText(k), stripUnsafeDeep(v)]));
  return value;
}

/** The paths of every string (or key) holding unsafe text, e.g. [['brand', 'name']]; depth-limited. */
export function unsafeTextPaths(value: unknown, path: PropertyKey[] = [], depth = 0): PropertyKey[][] {
  if (typeof value === 'string') return hasUnsafeText(value) ? [path] : [];
  if (typeof value !== 'object' || value === null || depth > 32) return [];
  const found: PropertyKey[][] = [];
  for (const [k, v] of Object.entries(value)) {
    const at = [...path, Array.isArray(value) ? Number(k) : k];
    if (hasUnsafeText(k)) found.push(at);
    else found.push(...unsafeTextPaths(v, at, depth + 1));
    if (found.length >= 10) break;
  }
  return found;
}
