import type { Request } from 'express';
import type { AppDeps } from '../core';
import { countCardParams, type ParamCounts } from './signed-context';

// What the last signed card request carried, for /healthz: which of portalId/userId/userEmail/appId appeared and
// how often (so an operator can see in a test portal whether HubSpot appended its own copies), and which base
// URL and URI form the signature verified over. No values: no emails, ids or secrets.

export interface LastCardRequest {
  at: string;
  method: string;
  /** The route, with record ids replaced by ":id". */
  route: string;
  params: ParamCounts;
  signature: { version: string; base: 'public' | 'signed-base'; uriForm: 'decoded' | 'raw' | null };
  /** 'accepted', or the code of the 401 that refused the request's context. */
  result: string;
}

const lastByDeps = new WeakMap<object, LastCardRequest>();

export function recordCardRequest(deps: Pick<AppDeps, 'clock'>, req: Request, result: string): void {
  lastByDeps.set(deps, {
    at: deps.clock.now().toISOString(),
    method: req.method,
    route: req.path.replace(/\/\d+(?=\/|$)/g, '/:id'),
    params: countCardParams(req),
    signature: {
      version: req.hubspotSignature ?? 'none',
      base: req.hubspotSignedUri?.base ?? 'public',
      uriForm: req.hubspotSignedUri?.form ?? null,
    },
    result,
  });
}

/** The last signed card request this app instance saw, or null. */
export function lastSignedCardRequest(deps: object): LastCardRequest | null {
  return lastByDeps.get(deps) ?? null;
}
