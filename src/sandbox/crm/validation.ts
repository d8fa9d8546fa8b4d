import type { PropertyProblem } from '../errors';
import { OBJECT_TYPE_INFO, type ObjectType } from './object-types';
import type { PropertyDefinition, PropertyRegistry } from './property-registry';

export interface ValidationContext {
  type: ObjectType;
  registry: PropertyRegistry;
  ownerIds: ReadonlySet<string>;
}

export interface ValidatedValues {
  /** Normalised string values; '' means "clear the value". */
  values: Record<string, string>;
  problems: PropertyProblem[];
}

/**
 * Checks property values the way HubSpot does for writes: unknown names, read-only values, options,
 * numbers, dates, booleans, owner ids and email syntax. `trusted` (control API, seeding) may write
 * values HubSpot reserves for itself, like `hs_email_optout`.
 */
export function validateValues(
  ctx: ValidationContext,
  input: Record<string, unknown>,
  trusted = false,
): ValidatedValues {
  const values: Record<string, string> = {};
  const problems: PropertyProblem[] = [];
  for (const [name, raw] of Object.entries(input)) {
    const def = ctx.registry.get(ctx.type, name);
    if (!def) {
      problems.push({ name, error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
      continue;
    }
    if (!trusted && isReadOnly(ctx.type, def)) {
      problems.push({
        name,
        error: 'READ_ONLY_VALUE',
        message: `"${name}" is a read only property; its value cannot be set.`,
      });
      continue;
    }
    const result = normalise(ctx, def, raw);
    if (typeof result === 'string') values[name] = result;
    else problems.push({ name, ...result });
  }
  return { values, problems };
}

function isReadOnly(type: ObjectType, def: PropertyDefinition): boolean {
  return def.readOnlyValue || def.name === OBJECT_TYPE_INFO[type].modifiedProperty;
}

type Problem = { error: string; message: string };

function normalise(ctx: ValidationContext, def: PropertyDefinition, raw: unknown): string | Problem {
  if (raw === null || raw === undefined) return '';
  if (typeof raw === 'object')
    return { error: 'INVALID_VALUE', message: `${JSON.stringify(raw)} is not a valid value for ${def.name}` };
  const text = String(raw).trim();
  if (text === '') return '';
  switch (def.type) {
    case 'number':
      return /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text) && Number.isFinite(Number(text))
        ? text
        : { error: 'INVALID_INTEGER', message: `${text} was not a valid number.` };
    case 'bool': {
      const lower = text.toLowerCase();
      return lower === 'true' || lower === 'false'
        ? lower
        : { error: 'INVALID_BOOLEAN', message: `${text} is not a valid boolean; use true or false` };
    }
    case 'datetime':
    case 'date':
      return normaliseDate(def, text);
    case 'enumeration':
      return normaliseOption(ctx, def, text);
    default:
      if (ctx.type === 'contacts' && def.name === 'email') {
        const email = text.toLowerCase();
        return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)
          ? email
          : { error: 'INVALID_EMAIL', message: `Email address ${text} is invalid` };
      }
      return text;
  }
}

function normaliseDate(def: PropertyDefinition, text: string): string | Problem {
  const ms = /^-?\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms))
    return { error: 'INVALID_DATE', message: `${text} is not a valid date or epoch milliseconds` };
  if (def.type === 'date' && ms % 86_400_000 !== 0) {
    return { error: 'INVALID_DATE', message: `${text} is not midnight in UTC` };
  }
  return new Date(ms).toISOString();
}

function normaliseOption(ctx: ValidationContext, def: PropertyDefinition, text: string): string | Problem {
  if (def.name === 'hubspot_owner_id') {
    return ctx.ownerIds.has(text) ? text : { error: 'INVALID_OWNER_ID', message: `${text} is not a valid owner id` };
  }
  const allowed = ctx.registry.optionsOf(def).map((o) => o.value);
  const chosen =
    def.fieldType === 'checkbox'
      ? text
          .split(';')
          .map((v) => v.trim())
          .filter(Boolean)
      : [text];
  const bad = chosen.find((v) => !allowed.includes(v));
  if (bad === undefined) return chosen.join(';');
  return { error: 'INVALID_OPTION', message: `${bad} was not one of the allowed options: [${allowed.join(', ')}]` };
}
