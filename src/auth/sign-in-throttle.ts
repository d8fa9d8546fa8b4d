import type { Request } from 'express';
import type { AppDeps } from '../core';
import { TooManyRequestsError } from '../shared';
import { deleteSignInFailuresBefore, insertSignInFailure, nthRecentFailure } from './sign-in-failures.repo';

// Throttles guessing at sign-in: wrong ADMIN_TOKENs (form and bearer) and unknown or tampered one-time dashboard
// links count as failures, per client address and per portal, over a sliding window. Once a limit is reached every
// attempt from that address (or for that portal) is answered 429 with Retry-After — a right token too, or the
// throttle would only slow the guessing down — until enough failures have left the window. Successes do not count.
// The count lives in the database so that every copy of the app shares it.

export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
const MAX_FAILURES_PER_IP = 10;
const MAX_FAILURES_PER_PORTAL = 50;

type ThrottleDeps = Pick<AppDeps, 'db' | 'clock'>;

export interface SignInAttempt {
  ip: string;
  /** The portal the attempt is for, when known before it is checked. */
  portalId?: number;
}

export function attemptOf(req: Request, portalId?: number): SignInAttempt {
  return { ip: req.ip ?? req.socket.remoteAddress ?? 'unknown', ...(portalId !== undefined ? { portalId } : {}) };
}

/** Throws 429 (with Retry-After and when to try again) when the address or the portal has too many recent failures. */
export async function checkSignInThrottle(deps: ThrottleDeps, attempt: SignInAttempt): Promise<void> {
  const now = deps.clock.now();
  const since = new Date(now.getTime() - SIGN_IN_WINDOW_MS);
  const byIp = await nthRecentFailure(deps.db, { ip: attempt.ip }, since, MAX_FAILURES_PER_IP);
  const byPortal =
    attempt.portalId === undefined
      ? null
      : await nthRecentFailure(deps.db, { portalId: attempt.portalId }, since, MAX_FAILURES_PER_PORTAL);
  const blockedUntil = Math.max(byIp?.getTime() ?? 0, byPortal?.getTime() ?? 0) + SIGN_IN_WINDOW_MS;
  if (!byIp && !byPortal) return;
  const retryAfterS = Math.max(1, Math.ceil((blockedUntil - now.getTime()) / 1000));
  const at = new Date(now.getTime() + retryAfterS * 1000);
  throw new TooManyRequestsError(
    `Too many failed sign-in attempts. Try again in ${Math.ceil(retryAfterS / 60)} minute(s), after ${at
      .toISOString()
      .slice(11, 16)} UTC.`,
    retryAfterS,
  );
}

/** Counts a failed attempt, and forgets failures that have left the window. */
export async function recordSignInFailure(deps: ThrottleDeps, attempt: SignInAttempt): Promise<void> {
  const now = deps.clock.now();
  await deleteSignInFailuresBefore(deps.db, new Date(now.getTime() - SIGN_IN_WINDOW_MS));
  await insertSignInFailure(deps.db, { ip: attempt.ip, portalId: attempt.portalId ?? null, at: now });
}
