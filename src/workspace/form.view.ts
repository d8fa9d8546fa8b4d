import type { SettingsField, SettingsFieldKind } from '../core';
import { escapeHtml as e } from '../shared';
import { displayValue, fieldKey, type PlacedIssues } from './form-values';

// A section's fields as HTML form controls, each with its label, help and (after a refused save) its problem,
// tied together with aria-describedby so a screen reader reads the problem with the field.

export interface FormState {
  settings: unknown;
  /** What the user typed, after a refused save. */
  typed?: Record<string, string>;
  issues?: PlacedIssues;
}

function idOf(key: string): string {
  return `f-${key.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
}

const INPUT_TYPE: Partial<Record<SettingsFieldKind, string>> = {
  text: 'text',
  number: 'text',
  color: 'color',
  email: 'email',
  url: 'url',
};

function control(field: SettingsField, id: string, value: string, described: string): string {
  const name = e(fieldKey(field.path));
  const common = `id="${id}" name="${name}"${described}`;
  switch (field.kind) {
    case 'checkbox':
      return `<input type="checkbox" ${common}${value === 'on' ? ' checked' : ''}>`;
    case 'textarea':
      return `<textarea ${common} rows="3">${e(value)}</textarea>`;
    case 'select': {
      const options = field.options ?? [];
      const known = options.some((o) => o.value === value);
      const current = known || value === '' ? '' : `<option value="${e(value)}" selected>${e(value)}</option>`;
      const listed = options
        .map((o) => `<option value="${e(o.value)}"${o.value === value ? ' selected' : ''}>${e(o.label)}</option>`)
        .join('');
      return `<select ${common}>${current}${listed}</select>`;
    }
    case 'number': {
      const mode = (field.min ?? 0) < 0 || (field.step ?? 1) % 1 !== 0 ? 'decimal' : 'numeric';
      return `<input type="text" inputmode="${mode}" ${common} value="${e(value)}">`;
    }
    default:
      return `<input type="${INPUT_TYPE[field.kind] ?? 'text'}" ${common} value="${e(value)}"${field.kind === 'email' ? ' autocomplete="email"' : ''}>`;
  }
}

function range(field: SettingsField): string {
  if (field.kind !== 'number' || (field.min === undefined && field.max === undefined)) return '';
  if (field.min !== undefined && field.max !== undefined) return `From ${field.min} to ${field.max}.`;
  return field.min !== undefined ? `At least ${field.min}.` : `At most ${field.max}.`;
}

export function renderField(field: SettingsField, state: FormState): string {
  const key = fieldKey(field.path);
  const id = idOf(key);
  const problems = state.issues?.byField.get(key) ?? [];
  const help = [field.help, range(field), field.optional && field.kind !== 'checkbox' ? 'Optional.' : '']
    .filter(Boolean)
    .join(' ');
  const describedBy = [problems.length ? `${id}-error` : '', help ? `${id}-help` : ''].filter(Boolean).join(' ');
  const described =
    (problems.length ? ' aria-invalid="true"' : '') + (describedBy ? ` aria-describedby="${describedBy}"` : '');
  const input = control(field, id, displayValue(field, state.settings, state.typed), described);
  const label = `<label for="${id}">${e(field.label)}</label>`;
  const error = problems.length
    ? `<p class="field-error" id="${id}-error">${problems.map((m) => e(m)).join('<br>')}</p>`
    : '';
  const helpText = help ? `<p class="field-help" id="${id}-help">${e(help)}</p>` : '';
  const row = field.kind === 'checkbox' ? `<div class="check">${input} ${label}</div>` : `${label}\n${input}`;
  return `<div class="field${problems.length ? ' invalid' : ''}">
${row}
${error}${helpText}
</div>`;
}

/** Problems with settings the form does not show, above the form. */
export function otherProblems(state: FormState): string {
  const other = state.issues?.other ?? [];
  if (other.length === 0) return '';
  return `<div class="form-problems" role="alert" id="other-problems"><p>These settings stop the save:</p><ul>${other
    .map((i) => `<li><code>${e(fieldKey(i.path) || 'settings')}</code>: ${e(i.message)}</li>`)
    .join('')}</ul></div>`;
}

/** The "please fix" summary shown at the top of a refused form, linking to each invalid field. */
export function errorSummary(fields: SettingsField[], state: FormState): string {
  const byField = state.issues?.byField;
  if (!byField || byField.size === 0) return '';
  const items = fields
    .filter((f) => byField.has(fieldKey(f.path)))
    .map(
      (f) =>
        `<li><a href="#${idOf(fieldKey(f.path))}">${e(f.label)}</a>: ${e(byField.get(fieldKey(f.path))![0]!)}</li>`,
    )
    .join('');
  return `<div class="form-problems" role="alert" id="error-summary"><p>Nothing was saved. Please fix:</p><ul>${items}</ul></div>`;
}
