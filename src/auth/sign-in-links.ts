import { randomBytes } from 'node:crypto';
import type { AppDeps } from '../core';
import { ForbiddenError } from '../shared';
import { hashSecret } from './keys';
import {
  consumeSignInLink,
  deleteStaleSignInLinks,
  insertSignInLink,
  signInLinkRefusal,
  type SignInLinkOwner,
  type SignInLinkRefusal,
} from './sign-in-links.repo';

// How HubSpot users reach the dashboard: the NPS card (whose requests HubSpot signs, naming the portal and the
// user) asks for a link; the link signs the browser that opens it in to that portal, once, within two minutes.
// Neither an OAuth authorization (only Super Admins and users with Marketplace permission may give one) nor a
// password is involved: whoever can see the card in a HubSpot account can see that account's NPS.

export const SIGN_IN_LINK_TTL_MS = 2 * 60 * 1000;
/** The path pattern of a link; log this, never the URL (it carries the token). */
export const SIGN_IN_LINK_ROUTE = '/dashboard/sign-in/link/:token';
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
/** Used and expired links stay this long so that a replay is named as such; then they are deleted. */
const KEEP_MS = 24 * 60 * 60 * 1000;

type LinkDeps = Pick<AppDeps, 'config' | 'db' | 'clock'>;

export interface DashboardLink {
  url: string;
  expiresAt: string;
}

/** Issues a one-time sign-in link for a HubSpot user of an active portal (403 portal_not_installed otherwise). */
export async function issueDashboardLink(
  deps: LinkDeps,
  who: { portalId: number; userId?: number; userEmail?: string },
): Promise<DashboardLink> {
  const now = deps.clock.now();
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SIGN_IN_LINK_TTL_MS);
  await deleteStaleSignInLinks(deps.db, new Date(now.getTime() - KEEP_MS));
  const stored = await insertSignInLink(deps.db, {
    tokenHash: hashSecret(token),
    portalId: who.portalId,
    hubspotUserId: who.userId ?? null,
    userEmail: who.userEmail?.slice(0, 200) ?? null,
    createdAt: now,
    expiresAt,
  });
  if (!stored)
    throw new ForbiddenError(
      `NPS Loop is not installed in HubSpot account ${who.portalId}: install it, then open the dashboard again`,
      'portal_not_installed',
    );
  return { url: `${deps.config.publicBaseUrl}/dashboard/sign-in/link/${token}`, expiresAt: expiresAt.toISOString() };
}

/** Uses up a link: who it signs in, or why it does not. */
export async function redeemDashboardLink(
  deps: LinkDeps,
  token: string,
): Promise<{ ok: true; owner: SignInLinkOwner } | { ok: false; reason: SignInLinkRefusal }> {
  if (!TOKEN_SHAPE.test(token)) return { ok: false, reason: 'unknown' };
  const now = deps.clock.now();
  const tokenHash = hashSecret(token);
  const owner = await consumeSignInLink(deps.db, tokenHash, now);
  if (owner) return { ok: true, owner };
  return { ok: false, reason: await signInLinkRefusal(deps.db, tokenHash, now) };
}

const AGAIN = 'Open the NPS card on a contact or company in HubSpot and choose “Open NPS dashboard” again.';

/** What the refusal page says, and its status. */
export function refusalMessage(reason: SignInLinkRefusal): { status: number; message: string } {
  switch (reason) {
    case 'used':
      return { status: 410, message: `This sign-in link was already used: each link works once. ${AGAIN}` };
    case 'expired':
      return { status: 410, message: `This sign-in link has expired: links work for two minutes. ${AGAIN}` };
    case 'portal_inactive':
      return {
        status: 403,
        message: 'NPS Loop is no longer installed in this HubSpot account. Install it again to use the dashboard.',
      };
    default:
      return { status: 404, message: `This sign-in link is not valid. ${AGAIN}` };
  }
}
