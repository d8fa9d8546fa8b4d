import type { Request, RequestHandler, Router } from 'express';
import { z } from 'zod';
import { issueDashboardLink } from '../auth';
import type { AppDeps } from '../core';
import { BadRequestError } from '../shared';

// "Open NPS dashboard" on the cards: a signed card request gets a one-time, two-minute sign-in link for the
// portal named in the signed data and the HubSpot user of the card's context (userId, userEmail in the signed
// query). The card opens the link in a new tab; src/auth/ turns it into a dashboard session.

const userIdSchema = z.string().regex(/^\d{1,15}$/);
const userEmailSchema = z.email().max(254);

/**
 * One query value: the card sends it from its context and HubSpot may append its own copy; both are covered by
 * the signature, and they must agree.
 */
function single(value: unknown): string | undefined {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  if (values.length === 0) return undefined;
  if (!values.every((v) => typeof v === 'string' && v === values[0])) return 'conflict';
  return values[0] as string;
}

function signedUser(req: Request): { userId: number; userEmail?: string } {
  const userId = userIdSchema.safeParse(single(req.query.userId));
  if (!userId.success)
    throw new BadRequestError(
      'the signed request does not name the HubSpot user (userId query parameter)',
      undefined,
      'missing_user',
    );
  const rawEmail = single(req.query.userEmail);
  const userEmail = rawEmail === undefined ? undefined : userEmailSchema.safeParse(rawEmail);
  if (userEmail && !userEmail.success)
    throw new BadRequestError('userEmail is not an email address', undefined, 'invalid_user_email');
  return { userId: Number(userId.data), userEmail: userEmail?.data };
}

export function registerDashboardLinkRoutes(
  router: Router,
  deps: AppDeps,
  signed: RequestHandler,
  signedPortalId: (req: Request) => number,
): void {
  router.post('/api/card/dashboard-link', signed, async (req, res) => {
    const portalId = signedPortalId(req);
    const user = signedUser(req);
    const link = await issueDashboardLink(deps, { portalId, ...user });
    req.log?.info({ portalId, userId: user.userId }, 'dashboard sign-in link issued from the card');
    res.set('cache-control', 'no-store').json(link);
  });
}
