import { describe, expect, it } from 'vitest';
import {
  blockAnswer,
  completionFor,
  immediateAnswer,
  parseExecution,
  resolveLanguage,
} from '../../src/workflow-action/payload';
import { BadRequestError } from '../../src/shared/errors';

const valid = {
  callbackId: 'ap-1001-123456-7-0',
  origin: { portalId: 1001, actionDefinitionId: 4711, actionDefinitionVersion: 1 },
  context: { source: 'WORKFLOWS', workflowId: 90001 },
  object: { objectId: 501, objectType: 'CONTACT', properties: { email: 'ada@example.com', hs_language: 'en' } },
  inputFields: {
    survey_label: 'Onboarding',
    follow_up_question: 'What could we do better?',
    language: 'da',
    wait_for_answer: 'true',
    max_wait_days: '14',
  },
  actionExecutionIndexIdentifier: { enrollmentId: 1, actionExecutionIndex: 0 },
};

function badRequestMessage(body: unknown): string {
  try {
    parseExecution(body);
  } catch (err) {
    expect(err).toBeInstanceOf(BadRequestError);
    return (err as Error).message;
  }
  throw new Error('expected a 400');
}

describe('workflow action request', () => {
  it('reads ids, inputs given as strings, and ignores keys it does not know', () => {
    expect(parseExecution(valid)).toEqual({
      callbackId: 'ap-1001-123456-7-0',
      portalId: 1001,
      contactId: 501,
      inputs: {
        surveyLabel: 'Onboarding',
        followUpQuestion: 'What could we do better?',
        language: 'da',
        waitForAnswer: true,
        maxWaitDays: 14,
      },
      fallbacks: [],
      selfTest: false,
    });
  });

  it('cleans inputs and properties (NUL removed, an unpaired surrogate becomes U+FFFD), and refuses both in the callbackId', () => {
    const e = parseExecution({
      ...valid,
      object: { ...valid.object, properties: { email: 'ada\u0000@example.com', hs_language: 'e\u0000n' } },
      inputFields: { ...valid.inputFields, survey_label: 'Onbo\u0000arding', follow_up_question: 'Why\udc00?' },
    });
    expect(e.inputs.surveyLabel).toBe('Onboarding');
    expect(e.inputs.followUpQuestion).toBe('Why\ufffd?');
    expect(e.fallbacks).toEqual([]);
    for (const bad of ['\u0000', '\ud800'])
      expect(badRequestMessage({ ...valid, callbackId: `ap-1${bad}` })).toContain('callbackId');
  });

  it('defaults to not waiting, 7 days, and no overrides when inputs are missing or blank', () => {
    const e = parseExecution({
      ...valid,
      object: { objectId: '501' },
      inputFields: { language: '', wait_for_answer: '', max_wait_days: '' },
    });
    expect(e.contactId).toBe(501);
    expect(e.inputs).toEqual({
      surveyLabel: undefined,
      followUpQuestion: undefined,
      language: undefined,
      waitForAnswer: false,
      maxWaitDays: 7,
    });
    expect(e.fallbacks).toEqual([]);
  });

  it.each([
    ['callbackId', { ...valid, callbackId: undefined }],
    ['callbackId', { ...valid, callbackId: '  ' }],
    ['object.objectId', { ...valid, object: { objectType: 'CONTACT' } }],
    ['object.objectId', { ...valid, object: { objectId: 'abc' } }],
    ['object', { ...valid, object: undefined }],
    ['origin.portalId', { ...valid, origin: {} }],
    ['object.objectType', { ...valid, object: { objectId: 7, objectType: 'DEAL' } }],
  ])('names %s when it is missing or bad', (field, body) => {
    expect(badRequestMessage(body)).toContain(`${field}:`);
  });

  it.each([
    ['max_wait_days', 'soon', 'string', 'not_a_number', 7],
    ['max_wait_days', '0', 'string', 'outside_1_to_60', 7],
    ['max_wait_days', '-3', 'string', 'outside_1_to_60', 7],
    ['max_wait_days', '100000', 'string', 'outside_1_to_60', 7],
    ['max_wait_days', 1e12, 'number', 'outside_1_to_60', 7],
    ['max_wait_days', { days: 3 }, 'object', 'not_a_number', 7],
    ['wait_for_answer', 'maybe', 'string', 'not_a_boolean', false],
    ['wait_for_answer', 17, 'number', 'not_a_boolean', false],
    ['survey_type', 'CSAT', 'string', 'unknown_input', null],
    ['language', ['en'], 'array', 'not_text', null],
    ['survey_label', { x: 1 }, 'object', 'not_text', null],
  ] as const)('%s = %j falls back to a default and says so, with the type only', (field, value, type, reason, used) => {
    const e = parseExecution({ ...valid, inputFields: { [field]: value } });
    expect(e.fallbacks).toEqual([{ field, valueType: type, reason, used }]);
    expect(e.inputs.maxWaitDays).toBe(7);
    expect(e.inputs.waitForAnswer).toBe(false);
  });

  it('reads yes/no booleans, rounds fractional days and cuts an over-long label', () => {
    const e = parseExecution({
      ...valid,
      inputFields: { wait_for_answer: 'YES', max_wait_days: '2.6', survey_label: 'x'.repeat(250) },
    });
    expect(e.inputs).toMatchObject({ waitForAnswer: true, maxWaitDays: 3 });
    expect(e.inputs.surveyLabel).toHaveLength(200);
    expect(e.fallbacks).toEqual([
      { field: 'survey_label', valueType: 'string', reason: 'longer_than_200', used: 'first 200 characters' },
    ]);
  });

  it('accepts null inputFields and recognises the doctor self-test', () => {
    const e = parseExecution({ ...valid, callbackId: 'nps-loop-self-test-1', inputFields: null });
    expect(e.selfTest).toBe(true);
    expect(e.fallbacks).toEqual([]);
  });

  it('rejects a body that is not an object', () => {
    expect(badRequestMessage([1, 2])).toContain('invalid workflow action request');
  });
});

describe('survey language of a language input', () => {
  it.each([
    ['en', 'da', 'en', undefined],
    ['DA', 'en', 'da', undefined],
    [' sv ', 'en', 'sv', undefined],
    ['EN', 'da', 'en', undefined],
    ['en-us', 'da', 'en', 'base_language'],
    ['en-US', 'da', 'en', 'base_language'],
    ['en_GB', 'da', 'en', 'base_language'],
    ['da-DK', 'en', 'da', 'base_language'],
    ['de-AT', 'en', 'de', 'base_language'],
    ['sv-se', 'en', 'sv', 'base_language'],
    ['fr', 'da', 'da', 'portal_default'],
    ['pt-br', 'en', 'en', 'portal_default'],
    ['zh-hans', 'sv', 'sv', 'portal_default'],
    ['english', 'de', 'de', 'portal_default'],
    ['-', 'en', 'en', 'portal_default'],
  ] as const)('%j with portal default %s → %s (%s)', (value, portalDefault, language, fallback) => {
    expect(resolveLanguage(value, portalDefault)).toEqual(fallback ? { language, fallback } : { language });
  });

  it('an empty language is no choice: the contact language or portal default applies later', () => {
    expect(resolveLanguage(undefined, 'da')).toEqual({});
    expect(resolveLanguage('  ', 'da')).toEqual({});
  });
});

describe('workflow action answers', () => {
  it('answers sent or skipped at once with SUCCESS', () => {
    expect(immediateAnswer('sent')).toEqual({
      outputFields: { survey_outcome: 'sent', skip_reason: '', hs_execution_state: 'SUCCESS' },
    });
    expect(immediateAnswer('skipped', 'quiet_period').outputFields).toMatchObject({
      survey_outcome: 'skipped',
      skip_reason: 'quiet_period',
      hs_execution_state: 'SUCCESS',
    });
  });

  it('blocks for the maximum wait as an ISO-8601 duration', () => {
    expect(blockAnswer(14)).toEqual({ outputFields: { hs_execution_state: 'BLOCK', hs_expiration_duration: 'P14D' } });
  });

  const now = new Date('2026-03-10T12:00:00Z');
  const later = new Date('2026-03-11T12:00:00Z');
  const earlier = new Date('2026-03-09T12:00:00Z');
  it.each([
    [
      'an answer completes with score and category',
      { status: 'answered', skipReason: null, waitUntil: later },
      { score: 3, category: 'detractor' },
      {
        hs_execution_state: 'SUCCESS',
        nps_score: '3',
        nps_category: 'detractor',
        survey_outcome: 'answered',
        skip_reason: '',
      },
    ],
    [
      'an answer wins even after the wait ran out',
      { status: 'answered', skipReason: null, waitUntil: earlier },
      { score: 9, category: 'promoter' },
      {
        hs_execution_state: 'SUCCESS',
        nps_score: '9',
        nps_category: 'promoter',
        survey_outcome: 'answered',
        skip_reason: '',
      },
    ],
    [
      'an expired invitation completes as expired',
      { status: 'expired', skipReason: null, waitUntil: later },
      null,
      { hs_execution_state: 'SUCCESS', survey_outcome: 'expired', skip_reason: '' },
    ],
    [
      'a wait that ran out completes as expired',
      { status: 'sent', skipReason: null, waitUntil: earlier },
      null,
      { hs_execution_state: 'SUCCESS', survey_outcome: 'expired', skip_reason: '' },
    ],
    [
      'a survey skipped at send time completes as skipped',
      { status: 'skipped', skipReason: 'opted_out', waitUntil: later },
      null,
      { hs_execution_state: 'SUCCESS', survey_outcome: 'skipped', skip_reason: 'opted_out' },
    ],
    ['a survey still out keeps waiting', { status: 'sent', skipReason: null, waitUntil: later }, null, null],
    ['a survey not sent yet keeps waiting', { status: 'scheduled', skipReason: null, waitUntil: later }, null, null],
  ] as const)('%s', (_name, inv, answer, expected) => {
    expect(completionFor(inv, answer, now)).toEqual(expected);
  });
});
