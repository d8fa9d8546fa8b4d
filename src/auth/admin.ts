import type { RequestHandler } from 'express';
import type { AppDeps } from '../core';
import { ForbiddenError, UnauthorizedError } from '../shared';
import { safeEqual } from '../shared';
import { sessionResolver, type PortalResolver } from './session';
import { attemptOf, checkSignInThrottle, recordSignInFailure } from './sign-in-throttle';

declare module 'express-serve-static-core' {
  interface Request {
    /** The portal an authenticated admin request acts on. Never taken from the URL or body. */
    portalId?: number;
  }
}

/** `Authorization: Bearer $ADMIN_TOKEN`, throttled like the sign-in form: a wrong token counts as a failure. */
const bearerAdminToken: PortalResolver = async (req, deps) => {
  const token = deps.config.adminToken;
  const portal = deps.config.hubspot.staticPortal;
  const header = req.get('authorization') ?? '';
  if (!token || !portal || !header.startsWith('Bearer ')) return undefined;
  const attempt = attemptOf(req, portal.portalId);
  await checkSignInThrottle(deps, attempt);
  if (safeEqual(header.slice('Bearer '.length).trim(), token)) {
    req.portalRole = 'admin';
    return portal.portalId;
  }
  await recordSignInFailure(deps, attempt);
  return undefined;
};

/**
 * Requires an admin: `Authorization: Bearer $ADMIN_TOKEN` (single-portal mode), a dashboard session (writes must
 * carry its CSRF token, else 403), or an extra resolver.
 */
export function requireAdmin(deps: AppDeps, extra: PortalResolver[] = []): RequestHandler {
  const resolvers = [bearerAdminToken, sessionResolver, ...extra];
  return async (req, _res, next) => {
    for (const resolve of resolvers) {
      let portalId: number | undefined;
      try {
        portalId = await resolve(req, deps);
      } catch (err) {
        return next(err);
      }
      if (portalId !== undefined) {
        req.portalId = portalId;
        return next();
      }
    }
    next(
      new UnauthorizedError(
        'sign in required: send Authorization: Bearer <ADMIN_TOKEN> or sign in to the dashboard',
        'sign_in_required',
      ),
    );
  };
}

/** 403 unless the signed-in user (requireAdmin or requireDashboardSession ran first) is an admin of the portal. */
export function requireAdminRole(): RequestHandler {
  return (req, _res, next) => {
    if (req.portalRole === 'admin') return next();
    next(
      new ForbiddenError(
        'only an NPS Loop admin of this HubSpot account can do this (change settings, export answers, manage TV links): ask an admin to add you under Settings → Admins',
        'admin_required',
      ),
    );
  };
}
