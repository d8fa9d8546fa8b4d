import { z } from 'zod';
import { LANGUAGES } from '../core';
import { BadRequestError, isStorableText, parseInput, storableDeep, storableText } from '../shared';

// The execution request HubSpot POSTs for "Send NPS survey" (HUBSPOT.md §4) and the answers we give. Pure.
// Parsed leniently: HubSpot adds fields over time (extension ids, actionExecutionIndexIdentifier, ...), so
// unknown keys are ignored; input values arrive as strings.
//
// A 4xx fails the enrolment for good (no retry), and inputs mapped from contact properties hold any value
// (hs_language = "en-us", "fr", ""). So only a request that cannot be our action at all is refused (no callbackId,
// no object.objectId, not a contact); every input that is out of range falls back to a default and the fallback
// is reported, so the caller can log it.

const hubspotId = z.union([
  z.number().int().positive(),
  z
    .string()
    .trim()
    .regex(/^\d{1,18}$/, 'must be a numeric id')
    .transform(Number),
]);

const executionSchema = z
  .object({
    callbackId: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .refine(isStorableText, 'must not contain a NUL character or a lone surrogate'),
    origin: z.object({ portalId: hubspotId }).loose(),
    object: z
      .object({
        objectId: hubspotId,
        objectType: z.string().optional(),
        properties: z.record(z.string(), z.unknown()).optional(),
      })
      .loose(),
    inputFields: z.record(z.string(), z.unknown()).nullish(),
  })
  .loose();

export type Language = (typeof LANGUAGES)[number];

const DEFAULT_MAX_WAIT_DAYS = 7;
const MAX_WAIT_DAYS = 60;
const SURVEY_LABEL_MAX = 200;
const FOLLOW_UP_MAX = 300;
const KNOWN_INPUTS = new Set(['survey_label', 'follow_up_question', 'language', 'wait_for_answer', 'max_wait_days']);

/** Calls whose callbackId starts with this are `npm run doctor`'s signed self-test: answered, nothing scheduled. */
export const SELF_TEST_CALLBACK_PREFIX = 'nps-loop-self-test-';

/** One input that was out of range and replaced: the field, the type of what came (never the value), what was used. */
export interface InputFallback {
  field: string;
  valueType: string;
  reason: string;
  used: string | number | boolean | null;
}

interface ActionInputs {
  surveyLabel?: string;
  followUpQuestion?: string;
  /** The language as given (trimmed), resolved against the portal's default by resolveLanguage. */
  language?: string;
  waitForAnswer: boolean;
  maxWaitDays: number;
}

export interface Execution {
  callbackId: string;
  portalId: number;
  contactId: number;
  inputs: ActionInputs;
  fallbacks: InputFallback[];
  selfTest: boolean;
}

const valueType = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const isBlank = (v: unknown): boolean => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

function textInput(field: string, raw: unknown, max: number, fallbacks: InputFallback[]): string | undefined {
  if (isBlank(raw)) return undefined;
  if (typeof raw !== 'string' && typeof raw !== 'number') {
    fallbacks.push({ field, valueType: valueType(raw), reason: 'not_text', used: null });
    return undefined;
  }
  // Stored as text: a NUL is removed and a lone surrogate replaced (U+FFFD), rather than failing the execution.
  const s = storableText(String(raw)).trim();
  if (s.length <= max) return s;
  fallbacks.push({ field, valueType: 'string', reason: `longer_than_${max}`, used: `first ${max} characters` });
  return s.slice(0, max).trimEnd();
}

const TRUE = new Set(['true', 'yes', '1', 'on']);
const FALSE = new Set(['false', 'no', '0', 'off']);

function booleanInput(field: string, raw: unknown, fallbacks: InputFallback[]): boolean {
  if (isBlank(raw)) return false;
  if (typeof raw === 'boolean') return raw;
  const s = String(raw).trim().toLowerCase();
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  fallbacks.push({ field, valueType: valueType(raw), reason: 'not_a_boolean', used: false });
  return false;
}

function daysInput(field: string, raw: unknown, fallbacks: InputFallback[]): number {
  if (isBlank(raw)) return DEFAULT_MAX_WAIT_DAYS;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim()) : NaN;
  if (!Number.isFinite(n)) {
    fallbacks.push({ field, valueType: valueType(raw), reason: 'not_a_number', used: DEFAULT_MAX_WAIT_DAYS });
    return DEFAULT_MAX_WAIT_DAYS;
  }
  const days = Math.round(n);
  if (days < 1 || days > MAX_WAIT_DAYS) {
    fallbacks.push({
      field,
      valueType: valueType(raw),
      reason: `outside_1_to_${MAX_WAIT_DAYS}`,
      used: DEFAULT_MAX_WAIT_DAYS,
    });
    return DEFAULT_MAX_WAIT_DAYS;
  }
  return days;
}

function languageInput(raw: unknown, fallbacks: InputFallback[]): string | undefined {
  if (isBlank(raw)) return undefined;
  if (typeof raw !== 'string') {
    fallbacks.push({ field: 'language', valueType: valueType(raw), reason: 'not_text', used: null });
    return undefined;
  }
  return raw.trim();
}

/**
 * The survey language for a language input: a supported language as is (any case, `_` or `-`), else its base
 * language when we have it (`en-US` → en, `da_DK` → da), else the portal's default. Empty: no choice (undefined),
 * the survey then uses the contact's language or the portal's default.
 */
export function resolveLanguage(
  value: string | undefined,
  portalDefault: Language,
): { language?: Language; fallback?: 'base_language' | 'portal_default' } {
  if (value === undefined || value.trim() === '') return {};
  const tag = value.trim().toLowerCase().replace(/_/g, '-');
  const supported = (s: string): s is Language => (LANGUAGES as readonly string[]).includes(s);
  if (supported(tag)) return { language: tag };
  const base = tag.split('-')[0] ?? '';
  if (supported(base)) return { language: base, fallback: 'base_language' };
  return { language: portalDefault, fallback: 'portal_default' };
}

/**
 * Parses an execution request. A 400 (which fails the enrolment for good) only for a request that cannot be our
 * action: no callbackId, origin.portalId or object.objectId, or an object that is not a contact. It names the field.
 */
/**
 * Input and property values come from contact records and may hold anything: NUL characters and unpaired
 * surrogates are stripped from them (refusing would fail the enrolment for good). Anything else holding such text,
 * e.g. the callbackId, is refused by parseInput with a 400 that names it.
 */
function withValuesStripped(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const b = body as Record<string, unknown>;
  const object = b.object;
  return {
    ...b,
    ...('inputFields' in b ? { inputFields: storableDeep(b.inputFields) } : {}),
    ...(typeof object === 'object' && object !== null && !Array.isArray(object) && 'properties' in object
      ? { object: { ...object, properties: storableDeep((object as { properties: unknown }).properties) } }
      : {}),
  };
}

export function parseExecution(body: unknown): Execution {
  const e = parseInput(executionSchema, withValuesStripped(body), 'workflow action request');
  if (e.object.objectType && e.object.objectType.toUpperCase() !== 'CONTACT') {
    throw new BadRequestError(
      `invalid workflow action request: object.objectType: this action runs on contacts, got ${e.object.objectType}`,
      undefined,
      'invalid_input',
    );
  }
  const f = e.inputFields ?? {};
  const fallbacks: InputFallback[] = [];
  const inputs: ActionInputs = {
    surveyLabel: textInput('survey_label', f.survey_label, SURVEY_LABEL_MAX, fallbacks),
    followUpQuestion: textInput('follow_up_question', f.follow_up_question, FOLLOW_UP_MAX, fallbacks),
    language: languageInput(f.language, fallbacks),
    waitForAnswer: booleanInput('wait_for_answer', f.wait_for_answer, fallbacks),
    maxWaitDays: daysInput('max_wait_days', f.max_wait_days, fallbacks),
  };
  // A field this version does not know (a newer definition's, e.g. a survey type) is ignored, and said so.
  for (const [name, value] of Object.entries(f))
    if (!KNOWN_INPUTS.has(name) && !isBlank(value))
      fallbacks.push({ field: name, valueType: valueType(value), reason: 'unknown_input', used: null });
  return {
    callbackId: e.callbackId,
    portalId: e.origin.portalId,
    contactId: e.object.objectId,
    inputs,
    fallbacks,
    selfTest: e.callbackId.startsWith(SELF_TEST_CALLBACK_PREFIX),
  };
}

/** Output values are strings, as CallbackCompletionRequest.outputFields types them (HubSpot SDK). */
export type OutputFields = Record<string, string>;
export interface ActionAnswer {
  outputFields: OutputFields;
}

/** Answered at once: the survey was scheduled to be sent, or skipped (quiet period, opt-out, no email, ...). */
export function immediateAnswer(outcome: 'sent' | 'skipped', skipReason?: string): ActionAnswer {
  return { outputFields: { survey_outcome: outcome, skip_reason: skipReason ?? '', hs_execution_state: 'SUCCESS' } };
}

/** The portal has not installed NPS Loop (or uninstalled it): the enrolment goes on, the action shows a failure. */
export function notInstalledAnswer(): ActionAnswer {
  return {
    outputFields: { survey_outcome: 'skipped', skip_reason: 'not_installed', hs_execution_state: 'FAIL_CONTINUE' },
  };
}

/** Older stored answers may hold numbers: what goes back to HubSpot is always strings. */
export function asStrings(fields: Record<string, unknown>): OutputFields {
  return Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]),
  );
}

/** The enrollment waits at the action until we complete the callback, or HubSpot's expiration passes. */
export function blockAnswer(maxWaitDays: number): ActionAnswer {
  return { outputFields: { hs_execution_state: 'BLOCK', hs_expiration_duration: `P${maxWaitDays}D` } };
}

export interface InvitationState {
  status: string;
  skipReason: string | null;
  waitUntil: Date | null;
}

/**
 * The outputFields that complete a blocked callback, or null while the contact may still answer. The answer
 * wins over expiry: someone who answered on the last day is "answered", even if the sweep runs late.
 */
export function completionFor(
  inv: InvitationState,
  answer: { score: number; category: string } | null,
  now: Date,
): OutputFields | null {
  if (answer)
    return {
      hs_execution_state: 'SUCCESS',
      nps_score: String(answer.score),
      nps_category: answer.category,
      survey_outcome: 'answered',
      skip_reason: '',
    };
  if (inv.status === 'skipped')
    return { hs_execution_state: 'SUCCESS', survey_outcome: 'skipped', skip_reason: inv.skipReason ?? '' };
  const waitOver = inv.waitUntil !== null && inv.waitUntil.getTime() <= now.getTime();
  if (inv.status === 'expired' || waitOver)
    return { hs_execution_state: 'SUCCESS', survey_outcome: 'expired', skip_reason: '' };
  return null;
}
