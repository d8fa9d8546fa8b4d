import type { Request, RequestHandler } from 'express';
import { verifyHubSpotSignature, type V3UriForm } from './signature';
import { AppError, UnauthorizedError } from './errors';

const JSON_TYPES = ['application/json', 'application/*+json'];

/** Whether the request carries a body at all (RFC 9112: a length above 0, or chunked). */
function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set once the request's HubSpot signature checked out. */
    hubspotSignature?: 'v3' | 'v2' | 'v1';
    /** How it checked out: over which base URL, and (v3) over the decoded or the raw URI. */
    hubspotSignedUri?: { base: 'public' | 'signed-base'; form?: V3UriForm };
  }
}

/**
 * Rejects (401) any request whose HubSpot signature does not verify against the raw body. The URI is the
 * configured public base URL plus the original path and query (never a Host header a proxy could rewrite); when
 * `signedBaseUrl` is given (a dev proxy that signs the localhost URL it forwards to), that base is tried as well.
 * v3 is required unless `allowLegacy` lists older versions (workflow actions may still be signed v2).
 */
export function requireHubSpotSignature(opts: {
  clientSecret: string;
  publicBaseUrl: string;
  signedBaseUrl?: string;
  allowLegacy?: Array<'v1' | 'v2'>;
  now?: () => number;
}): RequestHandler {
  const bases = opts.signedBaseUrl ? [opts.publicBaseUrl, opts.signedBaseUrl] : [opts.publicBaseUrl];
  return (req: Request, _res, next) => {
    // Only JSON bodies are parsed and kept byte for byte; any other body would be checked as if it were empty.
    if (hasBody(req) && (!req.is(JSON_TYPES) || req.rawBody === undefined))
      return next(
        new AppError(415, 'unsupported_media_type', 'signed HubSpot requests must send their body as application/json'),
      );
    const check = verifyHubSpotSignature(
      opts.clientSecret,
      {
        method: req.method,
        uri: bases.map((base) => `${base}${req.originalUrl}`),
        rawBody: req.rawBody ?? Buffer.alloc(0),
        headers: req.headers,
      },
      { now: opts.now?.(), allowLegacy: opts.allowLegacy },
    );
    if (!check.ok)
      return next(new UnauthorizedError(`invalid HubSpot signature: ${check.reason}`, 'invalid_signature'));
    req.hubspotSignature = check.version;
    req.hubspotSignedUri = {
      base: check.uriIndex === 0 ? 'public' : 'signed-base',
      ...(check.uriForm ? { form: check.uriForm } : {}),
    };
    next();
  };
}
