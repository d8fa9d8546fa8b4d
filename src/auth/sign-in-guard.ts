import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { AppDeps } from '../core';
import { ForbiddenError } from '../shared';
import { cookieName, parseCookies, serializeCookie } from './cookies';
import { isSecureOrigin, sign, verifySignature } from './keys';

// Before anyone is signed in there is no session to bind a CSRF token to, yet the sign-in form must still be
// protected (login CSRF: an attacker signing a victim into the attacker's account). A short-lived random nonce
// cookie plays the session's part: the form carries HMAC(nonce).

const NONCE_TTL_S = 15 * 60;

type GuardDeps = Pick<AppDeps, 'config' | 'clock'>;

function nonceCookie(deps: GuardDeps): string {
  return cookieName('nps_signin', isSecureOrigin(deps.config));
}

/** The browser's sign-in nonce, set now if it has none (or an unreadable one). */
export function signInNonce(deps: GuardDeps, req: Request, res: Response): string {
  const existing = parseCookies(req.get('cookie')).get(nonceCookie(deps));
  if (existing && /^[\w-]{32,64}$/.test(existing)) return existing;
  const nonce = randomBytes(24).toString('base64url');
  res.append(
    'set-cookie',
    serializeCookie(nonceCookie(deps), nonce, {
      maxAge: NONCE_TTL_S,
      secure: isSecureOrigin(deps.config),
      sameSite: 'Lax',
    }),
  );
  return nonce;
}

export function signInFormToken(deps: GuardDeps, nonce: string): string {
  return sign(deps.config, 'sign-in-form', nonce);
}

/** 403 unless the form's _csrf matches the nonce cookie of this browser. */
export function checkSignInForm(deps: GuardDeps, req: Request): void {
  const nonce = parseCookies(req.get('cookie')).get(nonceCookie(deps));
  const sent = (req.body as Record<string, unknown> | undefined)?._csrf;
  if (!nonce || typeof sent !== 'string' || !verifySignature(deps.config, 'sign-in-form', nonce, sent)) {
    throw new ForbiddenError(
      'the sign-in form expired or was not sent from this site: reload the sign-in page and try again',
      'csrf_failed',
    );
  }
}

export function clearSignInNonce(deps: GuardDeps, res: Response): void {
  res.append(
    'set-cookie',
    serializeCookie(nonceCookie(deps), '', { maxAge: 0, secure: isSecureOrigin(deps.config), sameSite: 'Lax' }),
  );
}
