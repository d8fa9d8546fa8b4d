import fc from 'fast-check';
import { TEST_PORTAL_ID } from '../helpers/env';

// The fuzzer's arbitraries: hostile text and JSON, bodies shaped like HubSpot's webhook and workflow calls, query
// strings, content types, methods and path segments (used by fuzz-routes.ts).

export const ADMIN = 'fuzz-admin-token-0123456789';
export const BODY_LIMIT = 1024 * 1024;

/** Twilio's account (src/sms): its callbacks are signed with the auth token. */
export const TWILIO = {
  sid: 'AC00000000000000000000000000000000',
  token: 'fuzz-twilio-auth-token-0123456789',
  from: '+15005550006',
};

/** How a request is signed: HubSpot v3 or v2, a wrong signature, Twilio's X-Twilio-Signature, or not at all. */
export type Sign = 'v3' | 'v2' | 'none' | 'bad' | 'twilio';

export interface FuzzRequest {
  route: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** A body over the 1 MB limit: its length, filled in when sent (keeps counterexamples printable). */
  oversized?: number;
  sign: Sign;
}

// ---- arbitraries -------------------------------------------------------------------------------------------------

const nasty = fc.constantFrom(
  '\u0000',
  '\ud800',
  '\udfff',
  'a\u0000b',
  '\ufeff',
  '💥',
  '%00',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '__proto__',
  'constructor',
  '',
  ' ',
  'x'.repeat(6000),
);
export const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 20 }), nasty);
export const num = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -1, 1e308, -1e308, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, 1001, 10, 11, -0),
  fc.bigInt().map((b) => b.toString()),
);
const leaf: fc.Arbitrary<unknown> = fc.oneof(text, num, fc.boolean(), fc.constant(null));
export const json: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.oneof(text, fc.constantFrom('__proto__', 'constructor', 'toString')), tie('value'), {
      maxKeys: 5,
    }),
  ),
})).value;

/** JSON text that JSON.stringify cannot write: huge number literals, deep nesting, duplicate keys. */
const rawJson = fc.oneof(
  fc.integer({ min: 1, max: 100_000 }).map((d) => '['.repeat(d) + ']'.repeat(d)),
  fc.integer({ min: 1, max: 50_000 }).map((d) => '{"a":'.repeat(d) + '1' + '}'.repeat(d)),
  fc.constantFrom(
    '1' + '0'.repeat(400),
    '-1e999999',
    '{"score":1e400}',
    '{"a":1,"a":2}',
    '{"__proto__":{"polluted":true}}',
    '[{"eventId":"x","subscriptionType":"contact.creation","objectId":1e400}]',
    '"\\u0000"',
    '"\\ud800"',
    '{',
    'null',
    '',
    '\u0000',
    '{"callbackId":"\\u0000"}',
  ),
);

/** Arrays that look like HubSpot webhook deliveries, with fuzzed fields. */
export const webhookEvent = fc.record(
  {
    eventId: fc.oneof(fc.integer(), text),
    subscriptionId: fc.oneof(fc.integer(), text),
    portalId: fc.oneof(fc.constant(TEST_PORTAL_ID), num, text),
    appId: fc.oneof(fc.integer(), text),
    occurredAt: fc.oneof(fc.constant(Date.now()), num, text),
    subscriptionType: fc.oneof(
      fc.constantFrom(
        'contact.creation',
        'contact.propertyChange',
        'contact.deletion',
        'contact.privacyDeletion',
        'contact.merge',
        'deal.propertyChange',
        'deal.creation',
        'ticket.propertyChange',
        'company.propertyChange',
        'object.associationChange',
      ),
      text,
    ),
    attemptNumber: fc.oneof(fc.nat(), num),
    objectId: fc.oneof(fc.nat(), num, text),
    propertyName: fc.oneof(fc.constantFrom('dealstage', 'email', 'lifecyclestage', 'hs_pipeline_stage'), text),
    propertyValue: fc.oneof(fc.constantFrom('closedwon', 'customer', 'x@example.com'), text),
    changeSource: text,
    mergedObjectIds: fc.array(num, { maxLength: 3 }),
    primaryObjectId: num,
  },
  { requiredKeys: [] },
);

export const workflowExecution = fc.record(
  {
    callbackId: fc.oneof(fc.uuid(), text),
    origin: fc.record(
      {
        portalId: fc.oneof(fc.constant(TEST_PORTAL_ID), num),
        actionDefinitionId: num,
        actionExecutionIndexIdentifier: json,
      },
      { requiredKeys: [] },
    ),
    context: fc.record({ source: text, workflowId: num }, { requiredKeys: [] }),
    object: fc.record(
      { objectId: fc.oneof(fc.nat(), num, text), objectType: fc.oneof(fc.constant('CONTACT'), text), properties: json },
      { requiredKeys: [] },
    ),
    inputFields: fc.oneof(json, fc.dictionary(text, json, { maxKeys: 4 })),
    fields: json,
  },
  { requiredKeys: [] },
);

export const anyBody = fc.oneof(
  { weight: 4, arbitrary: json.map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: rawJson },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  {
    weight: 1,
    arbitrary: fc.dictionary(text, text, { maxKeys: 6 }).map((o) => new URLSearchParams(o).toString()),
  },
);

export const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'application/json; charset=latin1',
      'application/json; charset=utf-16',
      'application/x-www-form-urlencoded',
      'text/plain',
      'multipart/form-data; boundary=x',
      'application/vnd.api+json',
      'application/octet-stream',
      '*/*',
      'garbage',
      '',
    ),
  },
);

export const queryString = fc.oneof(
  fc.constant(''),
  fc
    .array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom('from', 'to', 'q', 'after', 'segment', 'category', 'limit', 'key', 'token', 'state', 'code'),
          text,
        ),
        fc.oneof(text, num.map(String), fc.constantFrom('2026-01-01', 'promoter', '-1', '99999999999')),
      ),
      { maxLength: 5 },
    )
    .map((pairs) => '?' + new URLSearchParams(pairs.map(([k, v]) => [k, String(v)])).toString()),
  fc.constantFrom('?%', '?a=%E0%A4%A', '?a[b]=1', '?a=1&a=2&a=3', '?' + 'a=1&'.repeat(2000), '?from=%00'),
);

export const method = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('GET', 'POST') },
  { weight: 2, arbitrary: fc.constantFrom('PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'PROPFIND', 'FUZZ') },
);

export const segment = fc.oneof(
  fc.nat().map(String),
  fc.constantFrom('0', '-1', '1e5', '99999999999999999999999', '%00', '%ZZ', '%2F', '..', 'null', 'x'.repeat(3000)),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
);

/** A Twilio status callback or inbound text, fields fuzzed. */
export const twilioForm = fc
  .record(
    {
      MessageSid: fc.oneof(
        fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 }).map((h) => `SM${h}`),
        text,
      ),
      SmsSid: text,
      MessageStatus: fc.oneof(fc.constantFrom('queued', 'sent', 'delivered', 'undelivered', 'failed', 'read'), text),
      ErrorCode: fc.oneof(fc.constantFrom('30003', '30007', '21610'), text),
      From: fc.oneof(fc.constantFrom('+14155550100', '+4915112345678', TWILIO.from), text),
      To: fc.oneof(fc.constant(TWILIO.from), text),
      Body: fc.oneof(fc.constantFrom('STOP', 'START', 'HELP', '0', '7', '10', '11', ' 9 ', 'nine'), text),
      AccountSid: fc.oneof(fc.constant(TWILIO.sid), text),
    },
    { requiredKeys: [] },
  )
  .map((f) => new URLSearchParams(f as Record<string, string>).toString());

/** Bodies shaped like the JSON APIs' inputs (themes, segments, alert webhooks), values fuzzed. */
export const adminJson = fc.record(
  {
    name: fc.oneof(text, fc.constantFrom('Onboarding', 'Pricing')),
    keywords: fc.oneof(fc.array(text, { maxLength: 4 }), json),
    phrase: fc.oneof(text, fc.constant('slow support')),
    language: fc.oneof(fc.constantFrom('en', 'de', 'fr'), text),
    into: fc.oneof(fc.uuid(), text),
    from: fc.oneof(fc.array(fc.uuid(), { maxLength: 3 }), json),
    ids: fc.oneof(fc.array(fc.uuid(), { maxLength: 3 }), json),
    kind: fc.oneof(fc.constantFrom('slack', 'teams'), text),
    url: fc.oneof(
      fc.constantFrom('https://hooks.slack.com/services/T0/B0/x', 'http://127.0.0.1:1/x', 'javascript:1'),
      text,
    ),
    dimensions: fc.oneof(
      fc.array(
        fc.record(
          { property: fc.oneof(fc.constant('contact.country'), text), label: text, bands: json },
          { requiredKeys: [] },
        ),
        { maxLength: 3 },
      ),
      json,
    ),
  },
  { requiredKeys: [] },
);
