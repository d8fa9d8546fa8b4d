import { describe, expect, it } from 'vitest';
import { sdkSignature } from '../../src/hubspot/sdk-signature';
import {
  normaliseV3Uri,
  signV1,
  signV2,
  signV3,
  verifyHubSpotSignature,
  type SignedRequest,
} from '../../src/shared/signature';

// Our verifier against two independent oracles: HubSpot's published worked examples (v1, v2) and the signing
// code in @hubspot/api-client (v1, v2, v3). Where the SDK and the documentation disagree — v3 URIs with encoded
// characters — we follow the documentation (HUBSPOT.md §3.4).

// developers.hubspot.com/docs/faq/v1-request-validation and …/v2-request-validation
const DOC_SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const DOC_V1_BODY =
  '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';

const SECRET = 'app-client-secret-3f6e0d8a';
const NOW = Date.parse('2026-03-02T10:00:00Z');
const URI = 'https://nps.example.com/webhooks/hubspot';
const BODY =
  '[{"objectId":51,"subscriptionType":"deal.propertyChange","propertyName":"dealstage","propertyValue":"closedwon"}]';

function v3Request(
  overrides: Partial<{ method: string; uri: string; body: string; timestamp: number; signature: string }> = {},
): SignedRequest {
  const method = overrides.method ?? 'POST';
  const uri = overrides.uri ?? URI;
  const body = overrides.body ?? BODY;
  const timestamp = overrides.timestamp ?? NOW;
  const signature =
    overrides.signature ?? sdkSignature('v3', { clientSecret: SECRET, method, url: uri, requestBody: body, timestamp });
  return {
    method,
    uri,
    rawBody: body,
    headers: { 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(timestamp) },
  };
}

describe('HubSpot’s published examples', () => {
  it('v1: secret + body', () => {
    expect(signV1(DOC_SECRET, DOC_V1_BODY)).toBe('232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de');
  });

  it.each([
    { method: 'GET', body: '', hash: 'eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e' },
    {
      method: 'POST',
      body: '{"example_field":"example_value"}',
      hash: '9569219f8ba981ffa6f6f16aa0f48637d35d728c7e4d93d0d52efaa512af7900',
    },
  ])('v2 $method: secret + method + URI + body', ({ method, body, hash }) => {
    expect(signV2(DOC_SECRET, method, 'https://www.example.com/webhook_uri', body)).toBe(hash);
  });

  it('accepts the v1 example delivery where v1 is allowed', () => {
    const req = {
      method: 'POST',
      uri: URI,
      rawBody: DOC_V1_BODY,
      headers: {
        'x-hubspot-signature': '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de',
        'x-hubspot-signature-version': 'v1',
      },
    };
    expect(verifyHubSpotSignature(DOC_SECRET, req, { now: NOW, allowLegacy: ['v1'] })).toMatchObject({
      ok: true,
      version: 'v1',
    });
  });
});

describe('agreement with the SDK’s Signature.getSignature', () => {
  it.each([
    { method: 'POST', uri: URI, body: BODY },
    { method: 'GET', uri: 'https://nps.example.com/api/card/contacts/51?portalId=62515&userId=9', body: '' },
    {
      method: 'POST',
      uri: 'https://nps.example.com/hubspot/workflow-actions/send-survey',
      body: '{"callbackId":"ap-1-2-3","inputFields":{"lang":"fr"},"note":"ça va ✓"}',
    },
  ])('$method $uri', ({ method, uri, body }) => {
    const input = { clientSecret: SECRET, method, url: uri, requestBody: body, timestamp: NOW };
    expect(signV3(SECRET, method, uri, body, NOW)).toBe(sdkSignature('v3', input));
    expect(signV2(SECRET, method, uri, body)).toBe(sdkSignature('v2', input));
    expect(signV1(SECRET, body)).toBe(sdkSignature('v1', input));
  });
});

describe('v3 URIs with encoded characters (the SDK does not decode; the documentation does)', () => {
  const encoded = 'https://nps.example.com/api/card/contacts/51?email=ana%40example.com&at=10%3A30&x=%2Fa%2Cb';
  const decoded = 'https://nps.example.com/api/card/contacts/51?email=ana@example.com&at=10:30&x=/a,b';

  it('decodes exactly the documented escapes, leaving others encoded', () => {
    expect(normaliseV3Uri(encoded)).toBe(decoded);
    expect(normaliseV3Uri('https://x.test/p?q=a%20b%26c%3Ad')).toBe('https://x.test/p?q=a%20b%26c:d');
  });

  it('accepts the signature HubSpot computes over the decoded URI', () => {
    const hubspotSignature = sdkSignature('v3', {
      clientSecret: SECRET,
      method: 'GET',
      url: decoded,
      requestBody: '',
      timestamp: NOW,
    });
    const req = v3Request({ method: 'GET', uri: encoded, body: '', signature: hubspotSignature });
    expect(verifyHubSpotSignature(SECRET, req, { now: NOW })).toMatchObject({ ok: true, version: 'v3' });
  });

  it('also accepts a signature over the still-encoded URI, which is what HubSpot’s SDK signer computes', () => {
    const req = v3Request({ method: 'GET', uri: encoded, body: '' });
    expect(verifyHubSpotSignature(SECRET, req, { now: NOW })).toMatchObject({ ok: true, uriForm: 'raw' });
  });
});

describe('v3 verification', () => {
  it('accepts a genuine request', () => {
    expect(verifyHubSpotSignature(SECRET, v3Request(), { now: NOW })).toMatchObject({ ok: true, version: 'v3' });
  });

  it.each([
    {
      case: 'a tampered body',
      req: () => ({ ...v3Request(), rawBody: BODY.replace('closedwon', 'closedlost') }),
      reason: 'does not match',
    },
    {
      case: 'a wrong secret',
      req: () => v3Request({ signature: signV3('another-secret', 'POST', URI, BODY, NOW) }),
      reason: 'does not match',
    },
    {
      case: 'another URI',
      req: () => ({ ...v3Request(), uri: 'https://nps.example.com/webhooks/other' }),
      reason: 'does not match',
    },
    {
      case: 'a timestamp 5 min 1 s old',
      req: () => v3Request({ timestamp: NOW - 301_000 }),
      reason: 'older than 5 minutes',
    },
    { case: 'a timestamp 6 min ahead', req: () => v3Request({ timestamp: NOW + 360_000 }), reason: 'in the future' },
    {
      case: 'a malformed timestamp',
      req: () => ({ ...v3Request(), headers: { ...v3Request().headers, 'x-hubspot-request-timestamp': 'yesterday' } }),
      reason: 'malformed',
    },
    {
      case: 'no signature at all',
      req: () => ({ method: 'POST', uri: URI, rawBody: BODY, headers: {} }),
      reason: 'not signed',
    },
  ])('rejects $case', ({ req, reason }) => {
    const check = verifyHubSpotSignature(SECRET, req(), { now: NOW });
    expect(check.ok).toBe(false);
    expect(check.ok ? '' : check.reason).toContain(reason);
  });

  it('accepts a timestamp just inside the window', () => {
    expect(verifyHubSpotSignature(SECRET, v3Request({ timestamp: NOW - 299_000 }), { now: NOW }).ok).toBe(true);
  });

  it('does not fall back to a valid v2 signature when the v3 one is wrong', () => {
    const req = v3Request({ signature: 'bm90IGEgc2lnbmF0dXJl' });
    req.headers['x-hubspot-signature'] = signV2(SECRET, 'POST', URI, BODY);
    req.headers['x-hubspot-signature-version'] = 'v2';
    expect(verifyHubSpotSignature(SECRET, req, { now: NOW, allowLegacy: ['v2'] }).ok).toBe(false);
  });
});

describe('legacy signatures', () => {
  const v2Request = (signature: string): SignedRequest => ({
    method: 'POST',
    uri: URI,
    rawBody: BODY,
    headers: { 'x-hubspot-signature': signature, 'x-hubspot-signature-version': 'v2' },
  });

  it('accepts v2 only where the route allows it', () => {
    const signature = sdkSignature('v2', { clientSecret: SECRET, method: 'POST', url: URI, requestBody: BODY });
    expect(verifyHubSpotSignature(SECRET, v2Request(signature), { now: NOW, allowLegacy: ['v2'] })).toMatchObject({
      ok: true,
      version: 'v2',
    });
    expect(verifyHubSpotSignature(SECRET, v2Request(signature), { now: NOW }).ok).toBe(false);
  });

  it('rejects a v2 signature made with the wrong secret or over another body', () => {
    expect(
      verifyHubSpotSignature(SECRET, v2Request(signV2('wrong', 'POST', URI, BODY)), { allowLegacy: ['v2'] }).ok,
    ).toBe(false);
    expect(
      verifyHubSpotSignature(SECRET, v2Request(signV2(SECRET, 'POST', URI, '[]')), { allowLegacy: ['v2'] }).ok,
    ).toBe(false);
  });
});
