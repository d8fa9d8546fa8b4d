import { createHmac, randomBytes } from 'node:crypto';
import { safeEqual } from '../shared';

// The OAuth `state`: a random nonce plus an expiry, HMAC-signed, and bound to the installing browser by an
// httpOnly cookie holding the same nonce — so a callback forged from another browser (login CSRF) is refused.

export const STATE_COOKIE = 'nps_oauth_state';
export const STATE_TTL_MS = 10 * 60_000;

export type StateCheck =
  | { ok: true }
  | { ok: false; code: 'missing_state' | 'invalid_state' | 'expired_state' | 'state_mismatch'; reason: string };

function sign(key: string, payload: string): string {
  return createHmac('sha256', `nps-loop:oauth-state:${key}`).update(payload).digest('base64url');
}

export function createOAuthState(
  key: string,
  nowMs: number,
  nonce = randomBytes(18).toString('base64url'),
): { state: string; nonce: string } {
  const payload = `${nonce}.${(nowMs + STATE_TTL_MS).toString(36)}`;
  return { state: `${payload}.${sign(key, payload)}`, nonce };
}

export function verifyOAuthState(
  key: string,
  state: string | undefined,
  cookieNonce: string | undefined,
  nowMs: number,
): StateCheck {
  if (!state)
    return {
      ok: false,
      code: 'missing_state',
      reason: 'the callback has no state parameter; start again from /oauth/install',
    };
  const parts = state.split('.');
  if (parts.length !== 3) return { ok: false, code: 'invalid_state', reason: 'the state parameter is malformed' };
  const [nonce, expires, signature] = parts as [string, string, string];
  if (!safeEqual(sign(key, `${nonce}.${expires}`), signature))
    return { ok: false, code: 'invalid_state', reason: 'the state parameter was not issued by this app' };
  if (parseInt(expires, 36) < nowMs)
    return {
      ok: false,
      code: 'expired_state',
      reason: 'the install took longer than 10 minutes; start again from /oauth/install',
    };
  if (!cookieNonce)
    return {
      ok: false,
      code: 'state_mismatch',
      reason: 'the install cookie is missing; finish the install in the browser that started it',
    };
  if (!safeEqual(nonce, cookieNonce))
    return {
      ok: false,
      code: 'state_mismatch',
      reason: 'the state does not belong to this browser; start again from /oauth/install',
    };
  return { ok: true };
}

/** Reads one cookie from a Cookie header (no cookie-parser dependency for a single value). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
