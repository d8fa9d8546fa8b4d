import twilio from 'twilio';
import { signV2, signV3 } from '../../src/shared/signature';
import { TEST_CLIENT_SECRET, TEST_PUBLIC_URL } from '../helpers/env';
import { type FuzzRequest, TWILIO } from './fuzz-arbitraries';

// How a fuzzed request is sent: signed over its exact bytes where the route needs it (HubSpot v3 or v2, Twilio).

const NO_BODY = new Set(['GET', 'HEAD']);

export async function send(base: string, r: FuzzRequest): Promise<{ status: number; text: string }> {
  const bytes = r.oversized
    ? Buffer.alloc(r.oversized, 0x20)
    : r.body !== undefined && !NO_BODY.has(r.method)
      ? Buffer.from(r.body, 'utf8')
      : undefined;
  const headers: Record<string, string> = { ...r.headers };
  const raw = bytes ?? Buffer.alloc(0);
  if (r.sign === 'v3' || r.sign === 'bad') {
    const ts = Date.now();
    headers['x-hubspot-signature-v3'] =
      r.sign === 'v3' ? signV3(TEST_CLIENT_SECRET, r.method, `${TEST_PUBLIC_URL}${r.path}`, raw, ts) : 'bm9wZQ==';
    headers['x-hubspot-request-timestamp'] = String(ts);
  } else if (r.sign === 'twilio') {
    // Signed as Twilio does: over the full URL and the form fields (the app reads the body as a form).
    const fields = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
    headers['x-twilio-signature'] = twilio.getExpectedTwilioSignature(
      TWILIO.token,
      `${TEST_PUBLIC_URL}${r.path}`,
      fields,
    );
  } else if (r.sign === 'v2') {
    headers['x-hubspot-signature'] = signV2(TEST_CLIENT_SECRET, r.method, `${TEST_PUBLIC_URL}${r.path}`, raw);
    headers['x-hubspot-signature-version'] = 'v2';
  }
  const res = await fetch(`${base}${r.path}`, {
    method: r.method,
    headers,
    body: bytes,
    redirect: 'manual',
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, text: r.method === 'HEAD' ? '' : await res.text() };
}

/** A 5xx the README documents: HubSpot is unavailable or rate limited (the nock below makes neither arise). */
export function documented503(status: number, text: string): boolean {
  return status === 503 && /"code":"hubspot_(unavailable|rate_limited)"/.test(text);
}

export function printable(r: FuzzRequest): string {
  const clip = (s: string) => (s.length > 2000 ? `${s.slice(0, 2000)}… (${s.length} chars)` : s);
  return JSON.stringify({ ...r, ...(r.body !== undefined ? { body: clip(r.body) } : {}) }, null, 2);
}
