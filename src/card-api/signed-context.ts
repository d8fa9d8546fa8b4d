import type { Request } from 'express';
import { UnauthorizedError } from '../shared';

// Who a card request speaks for, read from its signed query string. No HubSpot doc says which parameters
// hubspot.fetch appends (HubSpot's own legacy-card converter adds portalId/userId/userEmail itself and calls only
// appId automatic), so the card sends portalId, userId and userEmail from its context, and HubSpot may or may not
// add its own copies. Either way every copy is covered by the v3 signature; copies that disagree are refused.

const CARD_QUERY_PARAMS = ['portalId', 'userId', 'userEmail', 'appId'] as const;
type CardQueryParam = (typeof CARD_QUERY_PARAMS)[number];

export interface SignedCardContext {
  portalId: number;
  userId?: string;
  userEmail?: string;
  appId?: string;
}

/** How often each parameter appeared in the signed query (0, 1, 2, …). */
export type ParamCounts = Record<CardQueryParam, number>;

const FORMATS: Record<CardQueryParam, RegExp> = {
  portalId: /^\d{1,15}$/,
  userId: /^\d{1,20}$/,
  userEmail: /^[^\s@]+@[^\s@]+$/,
  appId: /^\d{1,20}$/,
};

export function countCardParams(req: Request): ParamCounts {
  const query = new URLSearchParams(req.originalUrl.split('?')[1] ?? '');
  return Object.fromEntries(CARD_QUERY_PARAMS.map((name) => [name, query.getAll(name).length])) as ParamCounts;
}

/**
 * The signed context of a card request. 401 when portalId is missing, when a value is malformed, when copies of
 * one parameter disagree, or when appId is not this app's (when HUBSPOT_APP_ID is configured).
 */
export function signedCardContext(req: Request, expectedAppId?: string): SignedCardContext {
  const query = new URLSearchParams(req.originalUrl.split('?')[1] ?? '');
  const one = (name: CardQueryParam): string | undefined => {
    const values = query.getAll(name);
    if (values.length === 0) return undefined;
    const normalised = values.map((v) => (name === 'userEmail' ? v.trim().toLowerCase() : v.trim()));
    if (normalised.some((v) => v !== normalised[0]))
      throw new UnauthorizedError(
        `the signed request carries ${values.length} different ${name} values`,
        'conflicting_context',
      );
    if (!FORMATS[name].test(normalised[0]!))
      throw new UnauthorizedError(`the signed request carries a malformed ${name}`, 'invalid_context');
    return normalised[0];
  };
  const portalId = one('portalId');
  const userId = one('userId');
  const userEmail = one('userEmail');
  const appId = one('appId');
  if (portalId === undefined)
    throw new UnauthorizedError(
      'the signed request does not name a portal (portalId query parameter)',
      'missing_portal',
    );
  if (expectedAppId !== undefined && appId !== undefined && appId !== expectedAppId)
    throw new UnauthorizedError('the signed request was made for another app (appId)', 'wrong_app');
  return {
    portalId: Number(portalId),
    ...(userId !== undefined ? { userId } : {}),
    ...(userEmail !== undefined ? { userEmail } : {}),
    ...(appId !== undefined ? { appId } : {}),
  };
}
