import type { RequestHandler, Response, Router } from 'express';
import { issueDashboardLink } from '../auth';
import type { AppDeps } from '../core';
import { BadRequestError } from '../shared';
import type { SignedCardContext } from './signed-context';

// "Open NPS dashboard" on the cards: a signed card request gets a one-time, two-minute sign-in link for the
// portal named in the signed data and the HubSpot user of the card's context (userId, userEmail in the signed
// query). The card opens the link in a new tab; src/auth/ turns it into a dashboard session.

/** The HubSpot user of the card's context, from the signed query (copies already checked to agree). */
function signedUser(context: SignedCardContext): { userId: number; userEmail?: string } {
  if (context.userId === undefined)
    throw new BadRequestError(
      'the signed request does not name the HubSpot user (userId query parameter)',
      undefined,
      'missing_user',
    );
  return { userId: Number(context.userId), userEmail: context.userEmail };
}

export function registerDashboardLinkRoutes(
  router: Router,
  deps: AppDeps,
  signed: RequestHandler,
  contextOf: (res: Response) => SignedCardContext,
): void {
  router.post('/api/card/dashboard-link', signed, async (req, res) => {
    const context = contextOf(res);
    const portalId = context.portalId;
    const user = signedUser(context);
    const link = await issueDashboardLink(deps, { portalId, ...user });
    req.log?.info({ portalId, userId: user.userId }, 'dashboard sign-in link issued from the card');
    res.set('cache-control', 'no-store').json(link);
  });
}
