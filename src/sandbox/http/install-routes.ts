import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { OAuthServer } from '../platform/oauth';
import { apiError } from '../errors';
import { parseBody } from './parse';

/**
 * Control calls for installs HubSpot starts, and for what an account's subscription allows:
 *
 *   POST /_sandbox/oauth/hubspot-install {portalId?, redirectUri?, scope?, optionalScope?, codeTtlSeconds?}
 *        → {location, code}: HubSpot redirects the installer to the app's redirect URL with a fresh code and no
 *        state (the install URL in the app's settings, or the Marketplace). Open `location` as the browser would.
 *   PUT  /_sandbox/oauth/lacking-scopes {portalId?, scopes: string[]}
 *        the account's tier lacks these scopes (e.g. ["automation"]): optional ones are not granted, required
 *        ones refuse the install.
 */
const installBody = z.object({
  portalId: z.number().int().positive().optional(),
  redirectUri: z.url().optional(),
  scope: z.string().optional(),
  optionalScope: z.string().optional(),
  codeTtlSeconds: z.number().min(0).optional(),
});
const lackingBody = z.object({ portalId: z.number().int().positive().optional(), scopes: z.array(z.string()) });

export function installControlRouter(oauth: OAuthServer, defaultPortalId: () => number): Router {
  const router = Router();
  router.post('/oauth/hubspot-install', (req, res) => {
    const location = oauth.startInstall(parseBody(installBody, req.body));
    res.json({ location: location.toString(), code: location.searchParams.get('code') });
  });
  router.put('/oauth/lacking-scopes', (req, res) => {
    const body = parseBody(lackingBody, req.body);
    const portalId = body.portalId ?? defaultPortalId();
    oauth.setLackingScopes(portalId, body.scopes);
    res.json({ portalId, lacking: body.scopes });
  });
  return router;
}

/** Which scope each API family needs; an OAuth token without it gets HubSpot's 403 MISSING_SCOPES. */
const SCOPED_PATHS: Array<{ prefix: string; scope: string }> = [{ prefix: '/automation/', scope: 'automation' }];

export function requireScopes(oauth: OAuthServer) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const needed = SCOPED_PATHS.find((p) => req.path.startsWith(p.prefix));
    const token = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '')?.[1]?.trim();
    const resolved = needed && token ? oauth.resolve(token) : undefined;
    if (
      needed &&
      resolved &&
      'kind' in resolved &&
      resolved.kind === 'oauth' &&
      !resolved.scopes.includes(needed.scope)
    )
      throw apiError(403, 'MISSING_SCOPES', "This app hasn't been granted all required scopes to make this call.", {
        errors: [
          { message: `One or more of the following scopes are required.`, context: { requiredScopes: [needed.scope] } },
        ],
      });
    next();
  };
}
