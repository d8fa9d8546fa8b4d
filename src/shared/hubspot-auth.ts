import type { Request, RequestHandler } from 'express';
import { verifyHubSpotSignature } from './signature';
import { UnauthorizedError } from './errors';

declare module 'express-serve-static-core' {
  interface Request {
    /** Set once the request's HubSpot signature checked out. */
    hubspotSignature?: 'v3' | 'v2' | 'v1';
  }
}

/** The exact URI HubSpot called: our configured public base URL plus the original path and query. */
function publicUri(publicBaseUrl: string, req: Request): string {
  return `${publicBaseUrl}${req.originalUrl}`;
}

/**
 * Rejects (401) any request whose HubSpot signature does not verify against the raw body. v3 is required unless
 * `allowLegacy` lists older versions (workflow actions may still be signed v2).
 */
export function requireHubSpotSignature(opts: {
  clientSecret: string;
  publicBaseUrl: string;
  allowLegacy?: Array<'v1' | 'v2'>;
  now?: () => number;
}): RequestHandler {
  return (req, _res, next) => {
    const check = verifyHubSpotSignature(
      opts.clientSecret,
      {
        method: req.method,
        uri: publicUri(opts.publicBaseUrl, req),
        rawBody: req.rawBody ?? Buffer.alloc(0),
        headers: req.headers,
      },
      { now: opts.now?.(), allowLegacy: opts.allowLegacy },
    );
    if (!check.ok)
      return next(new UnauthorizedError(`invalid HubSpot signature: ${check.reason}`, 'invalid_signature'));
    req.hubspotSignature = check.version;
    next();
  };
}
