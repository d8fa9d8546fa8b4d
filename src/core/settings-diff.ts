// What a settings save changed, for the history: every leaf path whose value differs, with before → after.
// Lists of objects with an `id` (trigger rules) are keyed by id, so removing the first rule reads as one removal
// (the whole rule, before), not as every later rule changing.

export interface SettingsChange {
  /** Dotted path, e.g. "brand.color" or "triggers.deal-closed-won.delayHours". */
  path: string;
  /** Absent when the value was added. */
  before?: unknown;
  /** Absent when the value was removed. */
  after?: unknown;
}

interface Leaves {
  values: Map<string, unknown>;
  /** Items of id-keyed lists by path ("triggers.deal-closed-won"), so a whole added or removed item is one change. */
  items: Map<string, unknown>;
}

function keyedById(list: unknown[]): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const item of list) {
    const id = (item as { id?: unknown } | null)?.id;
    if (typeof item !== 'object' || item === null || typeof id !== 'string' || id in out) return undefined;
    out[id] = item;
  }
  return out;
}

function flatten(value: unknown, prefix: string, into: Leaves): Leaves {
  if (Array.isArray(value)) {
    const keyed = value.length > 0 ? keyedById(value) : undefined;
    if (!keyed) {
      into.values.set(prefix, value);
      return into;
    }
    for (const [id, item] of Object.entries(keyed)) into.items.set(`${prefix}.${id}`, item);
    value = keyed;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && prefix) into.values.set(prefix, value);
    for (const [key, child] of entries) flatten(child, prefix ? `${prefix}.${key}` : key, into);
    return into;
  }
  if (value !== undefined) into.values.set(prefix, value);
  return into;
}

/** The leaf paths whose values differ between two settings objects, in path order. */
export function diffSettings(before: unknown, after: unknown): SettingsChange[] {
  const a = flatten(before, '', { values: new Map(), items: new Map() });
  const b = flatten(after, '', { values: new Map(), items: new Map() });
  const whole = new Map<string, SettingsChange>();
  for (const [path, item] of a.items) if (!b.items.has(path)) whole.set(path, { path, before: item });
  for (const [path, item] of b.items) if (!a.items.has(path)) whole.set(path, { path, after: item });
  const inWhole = (path: string) => [...whole.keys()].some((w) => path.startsWith(`${w}.`));
  const changes: SettingsChange[] = [...whole.values()];
  for (const path of new Set([...a.values.keys(), ...b.values.keys()])) {
    if (inWhole(path)) continue;
    const was = a.values.get(path);
    const now = b.values.get(path);
    if (JSON.stringify(was) === JSON.stringify(now)) continue;
    const change: SettingsChange = { path };
    if (a.values.has(path)) change.before = was;
    if (b.values.has(path)) change.after = now;
    changes.push(change);
  }
  return changes.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}
