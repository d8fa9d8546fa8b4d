import { createHash, createHmac } from 'node:crypto';
import { safeEqual } from './crypto';

// HubSpot request signatures (HUBSPOT.md §3.4). Always verified on the raw body and the exact public URI that
// HubSpot called — built from PUBLIC_BASE_URL, never from Host headers a proxy could rewrite.

const SIGNATURE_WINDOW_MS = 5 * 60 * 1000;

// HubSpot decodes exactly these escapes in the URI before signing v3 (the "?" of the query stays as it is).
const V3_DECODES: Array<[RegExp, string]> = [
  ['%3A', ':'],
  ['%2F', '/'],
  ['%3F', '?'],
  ['%40', '@'],
  ['%21', '!'],
  ['%24', '$'],
  ['%27', "'"],
  ['%28', '('],
  ['%29', ')'],
  ['%2A', '*'],
  ['%2C', ','],
  ['%3B', ';'],
].map(([from, to]) => [new RegExp(from as string, 'gi'), to as string]);

/** Decoded first (the documented reading), then raw (what HubSpot's SDK signer and the dev proxy sign). */
const V3_URI_FORMS: readonly V3UriForm[] = ['decoded', 'raw'];

export function normaliseV3Uri(uri: string): string {
  return V3_DECODES.reduce((u, [re, to]) => u.replace(re, to), uri);
}

/**
 * v3: base64 HMAC-SHA256 over method + URI + body + timestamp. `uriForm: 'decoded'` (the default) is the docs'
 * reading (the escapes above decoded first); `'raw'` is what HubSpot's own signer does (`Signature.getSignature`
 * in @hubspot/api-client, used by the `hs project dev` proxy): the URI exactly as requested.
 */
export function signV3(
  secret: string,
  method: string,
  uri: string,
  rawBody: string | Buffer,
  timestamp: string | number,
  uriForm: V3UriForm = 'decoded',
): string {
  return createHmac('sha256', secret)
    .update(`${method.toUpperCase()}${uriForm === 'decoded' ? normaliseV3Uri(uri) : uri}`)
    .update(rawBody)
    .update(String(timestamp))
    .digest('base64');
}

export function signV2(secret: string, method: string, uri: string, rawBody: string | Buffer): string {
  return createHash('sha256').update(`${secret}${method.toUpperCase()}${uri}`).update(rawBody).digest('hex');
}

export function signV1(secret: string, rawBody: string | Buffer): string {
  return createHash('sha256').update(secret).update(rawBody).digest('hex');
}

export type V3UriForm = 'decoded' | 'raw';

export interface SignedRequest {
  method: string;
  /**
   * The full URI HubSpot called: base URL + original path and query. Several candidates (e.g. the public URL and
   * a dev proxy's localhost URL) are tried in order; the first that verifies wins.
   */
  uri: string | string[];
  rawBody: Buffer | string;
  headers: Record<string, string | string[] | undefined>;
}

export type SignatureCheck =
  | {
      ok: true;
      version: 'v3' | 'v2' | 'v1';
      /** Index into the candidate URIs of the one that verified (v1 signs no URI: 0). */
      uriIndex: number;
      /** v3 only: which URI form verified; the decoded form is tried first. */
      uriForm?: V3UriForm;
    }
  | { ok: false; reason: string };

function header(headers: SignedRequest['headers'], name: string): string | undefined {
  const v = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Verifies a HubSpot request. v3 is preferred and bound to a 5-minute window (stale and future timestamps fail);
 * v2/v1 (no timestamp in the signature) are accepted only where `allowLegacy` lists them, e.g. v2 for workflow actions.
 */
export function verifyHubSpotSignature(
  secret: string,
  req: SignedRequest,
  opts: { now?: number; allowLegacy?: Array<'v1' | 'v2'> } = {},
): SignatureCheck {
  const now = opts.now ?? Date.now();
  const uris = [req.uri].flat();
  const v3 = header(req.headers, 'x-hubspot-signature-v3');
  if (v3) {
    const ts = header(req.headers, 'x-hubspot-request-timestamp');
    if (!ts || !/^\d{10,16}$/.test(ts))
      return { ok: false, reason: 'missing or malformed X-HubSpot-Request-Timestamp' };
    const age = now - Number(ts);
    if (age > SIGNATURE_WINDOW_MS) return { ok: false, reason: 'signature timestamp is older than 5 minutes' };
    if (age < -SIGNATURE_WINDOW_MS) return { ok: false, reason: 'signature timestamp is in the future' };
    for (const [uriIndex, uri] of uris.entries())
      for (const uriForm of V3_URI_FORMS)
        if (safeEqual(signV3(secret, req.method, uri, req.rawBody, ts, uriForm), v3))
          return { ok: true, version: 'v3', uriIndex, uriForm };
    return { ok: false, reason: 'X-HubSpot-Signature-v3 does not match' };
  }
  const legacy = header(req.headers, 'x-hubspot-signature');
  if (!legacy) return { ok: false, reason: 'request is not signed (no X-HubSpot-Signature-v3 header)' };
  const version = (header(req.headers, 'x-hubspot-signature-version') ?? 'v1').toLowerCase();
  const allowed = opts.allowLegacy ?? [];
  if (version === 'v2' && allowed.includes('v2')) {
    const uriIndex = uris.findIndex((uri) =>
      safeEqual(signV2(secret, req.method, uri, req.rawBody), legacy.toLowerCase()),
    );
    return uriIndex >= 0
      ? { ok: true, version: 'v2', uriIndex }
      : { ok: false, reason: 'X-HubSpot-Signature (v2) does not match' };
  }
  if (version === 'v1' && allowed.includes('v1')) {
    return safeEqual(signV1(secret, req.rawBody), legacy.toLowerCase())
      ? { ok: true, version: 'v1', uriIndex: 0 }
      : { ok: false, reason: 'X-HubSpot-Signature (v1) does not match' };
  }
  return { ok: false, reason: `signature version ${version} is not accepted here; send X-HubSpot-Signature-v3` };
}
