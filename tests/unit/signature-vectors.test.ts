import { Signature } from '@hubspot/api-client';
import { describe, expect, it } from 'vitest';
import { signV1, signV2, signV3, verifyHubSpotSignature } from '../../src/shared/signature';

// Known answers that do not come from our own signer.
//  * v1, v2: HubSpot's published examples (developers.hubspot.com/docs/faq/v1-request-validation and
//    /docs/faq/v2-request-validation), client secret yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy.
//  * v3: computed once with HubSpot's own signer, `Signature.getSignature(method, 'v3', { clientSecret, url,
//    requestBody, timestamp })` from @hubspot/api-client 13.5.0 (lib/src/utils/signature.js), which the
//    `hs project dev` proxy (@hubspot/ui-extensions-dev-server dist/lib/proxy/signing.js) uses to sign; the
//    live SDK is called below as well.

const SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
const V1_BODY =
  '[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM","changeFlag":"NEW","appId":54321}]';
const TS = 1735689600000;
const V3_VECTORS = [
  {
    method: 'GET',
    url: 'https://nps.example.com/api/card/contacts/501?portalId=62515&userId=11&userEmail=ada%40example.com&appId=54321',
    body: '',
    signature: 'o3FmZfmjT1IBiXT1CgCjN7oZ/U1HHoMzinZK8mLRRwE=',
  },
  {
    method: 'POST',
    url: 'https://nps.example.com/api/card/contacts/501/surveys?portalId=62515&appId=54321',
    body: '{"confirm":true}',
    signature: 'ppjOaDSev/386gTx/q8j/KBQJlKL+hPzrsBPUBHaJWA=',
  },
];

describe('HubSpot signature known answers', () => {
  it('v1: HubSpot’s published example', () => {
    expect(signV1(SECRET, V1_BODY)).toBe('232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de');
  });

  it('v2: HubSpot’s published GET example', () => {
    expect(signV2(SECRET, 'GET', 'https://www.example.com/webhook_uri', '')).toBe(
      'eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e',
    );
  });

  it('v3: the raw-URI form equals HubSpot’s SDK signer (hard-coded and live)', () => {
    for (const v of V3_VECTORS) {
      expect(signV3(SECRET, v.method, v.url, v.body, TS, 'raw')).toBe(v.signature);
      expect(
        Signature.getSignature(v.method, 'v3', {
          clientSecret: SECRET,
          url: v.url,
          requestBody: v.body,
          timestamp: TS,
          signature: '',
        }),
      ).toBe(v.signature);
    }
  });

  it('v3: the verifier accepts the SDK’s raw-URI signature and the documented decoded one', () => {
    const [v] = V3_VECTORS;
    const headers = (signature: string) => ({
      'x-hubspot-signature-v3': signature,
      'x-hubspot-request-timestamp': String(TS),
    });
    const request = { method: v!.method, uri: v!.url, rawBody: v!.body };
    expect(verifyHubSpotSignature(SECRET, { ...request, headers: headers(v!.signature) }, { now: TS })).toMatchObject({
      ok: true,
      version: 'v3',
      uriForm: 'raw',
    });
    const decoded = signV3(SECRET, v!.method, v!.url, v!.body, TS, 'decoded');
    expect(decoded).not.toBe(v!.signature); // the URL carries %40, so the two forms differ
    expect(verifyHubSpotSignature(SECRET, { ...request, headers: headers(decoded) }, { now: TS })).toMatchObject({
      ok: true,
      version: 'v3',
      uriForm: 'decoded',
    });
    expect(
      verifyHubSpotSignature(SECRET, { ...request, uri: `${v!.url}&x=1`, headers: headers(decoded) }, { now: TS }),
    ).toMatchObject({ ok: false });
  });
});
