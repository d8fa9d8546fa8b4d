import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { AppDeps } from '../core';
import { isPortalAdmin } from '../core';
import { ForbiddenError } from '../shared';
import { safeEqual } from '../shared';
import { cookieName, parseCookies, serializeCookie } from './cookies';
import { hashSecret, isSecureOrigin, sign, verifySignature } from './keys';
import {
  deleteExpiredSessions,
  deleteSession,
  findLiveSession,
  insertSession,
  type StoredSession,
} from './sessions.repo';

// Dashboard sessions. The cookie holds `<session id>.<expiry>.<HMAC>`: a forged or expired cookie is refused
// before the database is asked, and the row (keyed by the id's sha256) must still exist — signing out or
// uninstalling the portal ends the session at once. Every POST/PUT/PATCH/DELETE made with a session must carry
// the session's CSRF token (X-CSRF-Token header or _csrf form field): a synchronizer token derived from the id.

const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface DashboardSession extends StoredSession {
  csrfToken: string;
}

export type PortalRole = 'admin' | 'viewer';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set once a request's session cookie was checked: the session, or null when there is none. */
    dashboardSession?: DashboardSession | null;
    /** What the signed-in user may do in the portal: admins change settings, export, manage TV links. */
    portalRole?: PortalRole;
  }
}

type SessionDeps = Pick<AppDeps, 'config' | 'db' | 'clock'>;

function sessionCookie(deps: Pick<AppDeps, 'config'>): string {
  return cookieName('nps_session', isSecureOrigin(deps.config));
}

/** Starts a new session for the browser; a session it already had (any portal) ends, its row deleted. */
export async function startSession(
  deps: SessionDeps,
  req: Request,
  res: Response,
  who: { portalId: number; userLabel: string; hubspotUserId?: number; userEmail?: string; adminToken?: boolean },
): Promise<void> {
  const now = deps.clock.now();
  const previous = sessionIdOf(deps, req);
  if (previous) await deleteSession(deps.db, hashSecret(previous));
  req.dashboardSession = undefined;
  const id = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  const expiry = String(Math.floor(expiresAt.getTime() / 1000));
  await deleteExpiredSessions(deps.db, now);
  await insertSession(deps.db, {
    idHash: hashSecret(id),
    portalId: who.portalId,
    userLabel: who.userLabel.slice(0, 200),
    hubspotUserId: who.hubspotUserId ?? null,
    userEmail: who.userEmail?.slice(0, 200) ?? null,
    adminToken: who.adminToken ?? false,
    createdAt: now,
    expiresAt,
  });
  const value = `${id}.${expiry}.${sign(deps.config, 'session', `${id}.${expiry}`)}`;
  res.append(
    'set-cookie',
    serializeCookie(sessionCookie(deps), value, {
      maxAge: SESSION_TTL_MS / 1000,
      secure: isSecureOrigin(deps.config),
      sameSite: 'Lax',
    }),
  );
}

/** The request's session, if its cookie is genuine, unexpired and still on record for an active portal. */
export async function loadSession(deps: SessionDeps, req: Request): Promise<DashboardSession | null> {
  if (req.dashboardSession !== undefined) return req.dashboardSession;
  req.dashboardSession = await readSession(deps, req);
  return req.dashboardSession;
}

async function readSession(deps: SessionDeps, req: Request): Promise<DashboardSession | null> {
  const id = sessionIdOf(deps, req);
  if (!id) return null;
  const stored = await findLiveSession(deps.db, hashSecret(id), deps.clock.now());
  if (!stored) return null;
  return { ...stored, csrfToken: sign(deps.config, 'csrf', id) };
}

function sessionIdOf(deps: SessionDeps, req: Request): string | undefined {
  const value = parseCookies(req.get('cookie')).get(sessionCookie(deps));
  const [id, expiry, signature, extra] = value?.split('.') ?? [];
  if (!id || !expiry || !signature || extra !== undefined) return undefined;
  if (!verifySignature(deps.config, 'session', `${id}.${expiry}`, signature)) return undefined;
  if (Number(expiry) * 1000 <= deps.clock.now().getTime()) return undefined;
  return id;
}

export async function endSession(deps: SessionDeps, req: Request, res: Response): Promise<void> {
  const id = sessionIdOf(deps, req);
  if (id) await deleteSession(deps.db, hashSecret(id));
  req.dashboardSession = null;
  res.append(
    'set-cookie',
    serializeCookie(sessionCookie(deps), '', { maxAge: 0, secure: isSecureOrigin(deps.config), sameSite: 'Lax' }),
  );
}

/** True when an unsafe request carries the session's CSRF token (header or form field). */
function hasValidCsrf(req: Request, session: DashboardSession): boolean {
  const body = req.body as Record<string, unknown> | undefined;
  const sent = req.get('x-csrf-token') ?? (typeof body?._csrf === 'string' ? body._csrf : undefined);
  return typeof sent === 'string' && safeEqual(sent, session.csrfToken);
}

/** Throws 403 for an unsafe method without the session's CSRF token. */
export function requireCsrf(req: Request, session: DashboardSession): void {
  if (SAFE_METHODS.has(req.method)) return;
  if (!hasValidCsrf(req, session)) {
    throw new ForbiddenError(
      'missing or invalid CSRF token: send the X-CSRF-Token header or the _csrf form field of the page',
      'csrf_failed',
    );
  }
}

/** Signed-in portal resolvers, tried in order; one may throw (e.g. 403 for a session write without its CSRF token). */
export type PortalResolver = (req: Request, deps: AppDeps) => Promise<number | undefined> | number | undefined;

/** requireAdmin's session resolver: a signed-in dashboard user acts on their portal (CSRF checked on writes). */
export const sessionResolver: PortalResolver = async (req, deps) => {
  const session = await loadSession(deps, req);
  if (!session) return undefined;
  requireCsrf(req, session);
  req.portalRole = await sessionRole(deps, session);
  return session.portalId;
};

/** ADMIN_TOKEN sessions are admins; a HubSpot user is one when on the portal's admin list, else a viewer. */
export async function sessionRole(deps: Pick<AppDeps, 'db'>, session: StoredSession): Promise<PortalRole> {
  if (session.adminToken) return 'admin';
  const admin = await isPortalAdmin(deps.db, session.portalId, {
    hubspotUserId: session.hubspotUserId,
    email: session.userEmail,
  });
  return admin ? 'admin' : 'viewer';
}
