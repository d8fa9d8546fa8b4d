import { z } from 'zod';
import { LANGUAGES } from '../core';
import { BadRequestError, describeIssues, parseInput } from '../shared';

// The execution request HubSpot POSTs for "Send NPS survey" (HUBSPOT.md §4) and the answers we give. Pure.
// Parsed leniently: HubSpot adds fields over time (extension ids, actionExecutionIndexIdentifier, ...), so
// unknown keys are ignored; input values arrive as strings.

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
    callbackId: z.string().trim().min(1).max(200),
    origin: z.object({ portalId: hubspotId }).loose(),
    object: z
      .object({
        objectId: hubspotId,
        objectType: z.string().optional(),
        properties: z.record(z.string(), z.unknown()).optional(),
      })
      .loose(),
    inputFields: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();

const blankToUndefined = (v: unknown) =>
  v === null || v === undefined || (typeof v === 'string' && v.trim() === '') ? undefined : v;
const text = (max: number) =>
  z.preprocess(blankToUndefined, z.string().trim().max(max, `at most ${max} characters`).optional());

const DEFAULT_MAX_WAIT_DAYS = 7;
const MAX_WAIT_DAYS = 60;

const inputFieldsSchema = z
  .object({
    survey_label: text(200),
    follow_up_question: text(300),
    language: z.preprocess(
      (v) => (typeof v === 'string' ? blankToUndefined(v.trim().toLowerCase()) : blankToUndefined(v)),
      z.enum(LANGUAGES).optional(),
    ),
    wait_for_answer: z.preprocess(
      (v) => (typeof v === 'string' ? (v.trim().toLowerCase() === '' ? undefined : v.trim().toLowerCase()) : v),
      z.union([z.boolean(), z.enum(['true', 'false']).transform((s) => s === 'true')]).optional(),
    ),
    max_wait_days: z.preprocess(
      (v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : blankToUndefined(v)),
      z
        .number({ error: 'must be a number of days' })
        .int('must be a whole number of days')
        .min(1)
        .max(MAX_WAIT_DAYS)
        .optional(),
    ),
  })
  .loose();

interface ActionInputs {
  surveyLabel?: string;
  followUpQuestion?: string;
  language?: (typeof LANGUAGES)[number];
  waitForAnswer: boolean;
  maxWaitDays: number;
}

export interface Execution {
  callbackId: string;
  portalId: number;
  contactId: number;
  inputs: ActionInputs;
}

/** Parses an execution request; a 400 names every missing or bad field (e.g. "callbackId", "object.objectId"). */
export function parseExecution(body: unknown): Execution {
  const e = parseInput(executionSchema, body, 'workflow action request');
  if (e.object.objectType && e.object.objectType.toUpperCase() !== 'CONTACT') {
    throw new BadRequestError(
      `invalid workflow action request: object.objectType: this action runs on contacts, got ${e.object.objectType}`,
      undefined,
      'invalid_input',
    );
  }
  const parsed = inputFieldsSchema.safeParse(e.inputFields ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ ...i, path: ['inputFields', ...i.path] }));
    throw new BadRequestError(`invalid workflow action request: ${describeIssues(issues)}`, undefined, 'invalid_input');
  }
  const f = parsed.data;
  return {
    callbackId: e.callbackId,
    portalId: e.origin.portalId,
    contactId: e.object.objectId,
    inputs: {
      surveyLabel: f.survey_label,
      followUpQuestion: f.follow_up_question,
      language: f.language,
      waitForAnswer: f.wait_for_answer ?? false,
      maxWaitDays: f.max_wait_days ?? DEFAULT_MAX_WAIT_DAYS,
    },
  };
}

export type OutputFields = Record<string, string | number>;
export interface ActionAnswer {
  outputFields: OutputFields;
}

/** Answered at once: the survey was scheduled to be sent, or skipped (quiet period, opt-out, no email, ...). */
export function immediateAnswer(outcome: 'sent' | 'skipped', skipReason?: string): ActionAnswer {
  return { outputFields: { survey_outcome: outcome, skip_reason: skipReason ?? '', hs_execution_state: 'SUCCESS' } };
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
      nps_score: answer.score,
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
