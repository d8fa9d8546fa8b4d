import { Signature } from '@hubspot/api-client';

// HubSpot's own signing code, exposed so tests can check our verifier against an independent implementation
// (only src/hubspot/ may import the SDK). Production code verifies with src/shared/signature.ts, which also
// applies the v3 URI decoding and the 5-minute window that the SDK's getSignature leaves out.
export function sdkSignature(
  version: 'v1' | 'v2' | 'v3',
  input: { clientSecret: string; method: string; url: string; requestBody: string; timestamp?: number },
): string {
  return Signature.getSignature(input.method, version, {
    // getSignature computes a signature; the type also asks for the one to compare against, unused here.
    signature: '',
    clientSecret: input.clientSecret,
    requestBody: input.requestBody,
    url: input.url,
    timestamp: input.timestamp,
  });
}
