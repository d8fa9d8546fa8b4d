import type { NextFunction, Request, Response } from 'express';
import type { OAuthServer } from '../platform/oauth';
import type { RateLimiter } from '../platform/rate-limit';
import type { SandboxStore } from '../store';
import type { CallerContext } from './context';
import { apiError, HubSpotError } from '../errors';

const SEARCH_PATH = /^\/crm\/v3\/objects\/[^/]+\/search\/?$/;

/**
 * Bearer-token authentication plus rate limiting, in that order (HubSpot counts only calls it could
 * attribute to an app). Search is limited per second and answers without rate-limit headers.
 */
export function authenticate(store: SandboxStore, oauth: OAuthServer, limiter: RateLimiter) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.get('authorization') ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
    const resolved = token ? oauth.resolve(token) : undefined;
    if (!resolved) {
      throw apiError(
        401,
        'INVALID_AUTHENTICATION',
        'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
      );
    }
    if ('expiredAt' in resolved) {
      const seconds = Math.max(0, Math.floor((Date.now() - resolved.expiredAt) / 1000));
      throw apiError(
        401,
        'EXPIRED_AUTHENTICATION',
        `The OAuth token used to make this call expired ${seconds} second(s) ago.`,
        {
          context: { 'expire time': [new Date(resolved.expiredAt).toISOString()] },
        },
      );
    }
    if (!store.has(resolved.portalId))
      throw apiError(401, 'INVALID_AUTHENTICATION', 'The portal behind this token no longer exists');
    const caller = {
      portalId: resolved.portalId,
      oauth: resolved.kind === 'oauth',
    };
    if (req.method === 'POST' && SEARCH_PATH.test(req.path)) {
      limiter.takeSearch(caller);
    } else {
      try {
        res.set(limiter.take(caller));
      } catch (error) {
        if (error instanceof HubSpotError) res.set(error.headers);
        throw error;
      }
    }
    const context: CallerContext = { portal: store.portal(resolved.portalId), caller };
    (res.locals as { auth: CallerContext }).auth = context;
    next();
  };
}
