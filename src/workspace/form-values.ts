import type { SettingsField, SettingsFieldIssue } from '../core';
import { isStorableText } from '../shared';

// Between a section's form and the settings object: the form field of a settings path, values read from the
// settings for display, a submitted form applied to a copy of the settings (parsed by field kind), and problems
// mapped back to the fields they belong to. Pure.

export type FormBody = Record<string, unknown>;

/** The form field name of a settings path: ['triggers', 0, 'stageId'] → "triggers.0.stageId". */
export function fieldKey(path: (string | number)[]): string {
  return path.map(String).join('.');
}

function valueAt(root: unknown, path: (string | number)[]): unknown {
  let at = root;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string | number, unknown>)[key];
  }
  return at;
}

function setAt(root: Record<string, unknown>, path: (string | number)[], value: unknown): void {
  let at: Record<string | number, unknown> = root;
  path.forEach((key, i) => {
    if (i === path.length - 1) {
      if (value === undefined) delete at[key];
      else at[key] = value;
      return;
    }
    const next = at[key];
    if (typeof next !== 'object' || next === null) at[key] = typeof path[i + 1] === 'number' ? [] : {};
    at = at[key] as Record<string | number, unknown>;
  });
}

/** What a field shows: the typed text after a refused save, else the stored value. */
export function displayValue(field: SettingsField, settings: unknown, typed?: Record<string, string>): string {
  const key = fieldKey(field.path);
  if (typed && key in typed) return typed[key]!;
  const value = valueAt(settings, field.path);
  if (field.kind === 'checkbox') return value === true ? 'on' : '';
  return value === undefined || value === null ? '' : String(value);
}

function raw(body: FormBody, key: string): string | undefined {
  const v = body[key];
  if (Array.isArray(v)) return typeof v.at(-1) === 'string' ? (v.at(-1) as string) : undefined;
  return typeof v === 'string' ? v : undefined;
}

export interface AppliedForm {
  /** The settings with the form's values in place; to be checked by the schema and the sections. */
  candidate: Record<string, unknown>;
  /** What the user typed, per field, to show again when the save is refused. */
  typed: Record<string, string>;
  /** Problems found while reading the form (a number that is not one). */
  issues: SettingsFieldIssue[];
}

/** Applies a submitted form to a copy of the settings, each field parsed by its kind. */
export function applyForm(settings: unknown, fields: SettingsField[], body: FormBody): AppliedForm {
  const candidate = structuredClone(settings) as Record<string, unknown>;
  const typed: Record<string, string> = {};
  const issues: SettingsFieldIssue[] = [];
  for (const field of fields) {
    const key = fieldKey(field.path);
    const text = raw(body, key);
    if (field.kind === 'checkbox') {
      typed[key] = text === undefined ? '' : 'on';
      setAt(candidate, field.path, text !== undefined);
      continue;
    }
    const value = field.kind === 'textarea' ? (text ?? '').replace(/\r\n/g, '\n').trim() : (text ?? '').trim();
    typed[key] = text ?? '';
    if (!isStorableText(value)) {
      issues.push({ path: field.path, message: 'must not contain a NUL character or an unpaired surrogate' });
      continue;
    }
    if (value === '' && field.optional) {
      setAt(candidate, field.path, undefined);
      continue;
    }
    if (field.kind === 'number') {
      const n = value === '' ? NaN : Number(value);
      if (!Number.isFinite(n)) issues.push({ path: field.path, message: 'enter a number' });
      else setAt(candidate, field.path, n);
      continue;
    }
    if (field.kind === 'select' && (value === '' || (field.options && !field.options.some((o) => o.value === value)))) {
      issues.push({ path: field.path, message: value === '' ? 'choose one' : 'choose one of the listed options' });
      continue;
    }
    setAt(candidate, field.path, field.kind === 'color' ? value.toLowerCase() : value);
  }
  return { candidate, typed, issues };
}

export interface PlacedIssues {
  /** Field key → its messages. */
  byField: Map<string, string[]>;
  /** Problems with settings this form does not show (named by their path). */
  other: SettingsFieldIssue[];
}

/** Puts each problem next to its field: the field whose path is the issue's path, or the closest one above it. */
export function placeIssues(fields: SettingsField[], issues: SettingsFieldIssue[]): PlacedIssues {
  const byField = new Map<string, string[]>();
  const other: SettingsFieldIssue[] = [];
  const keys = fields.map((f) => fieldKey(f.path));
  for (const issue of issues) {
    const key = fieldKey(issue.path);
    const owner = keys.includes(key)
      ? key
      : keys
          .filter((k) => key.startsWith(`${k}.`))
          .sort()
          .at(-1);
    if (owner === undefined) other.push(issue);
    else byField.set(owner, [...(byField.get(owner) ?? []), issue.message]);
  }
  return { byField, other };
}
