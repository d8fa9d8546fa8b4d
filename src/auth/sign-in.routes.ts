import type { Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../core';
import { AppError, BadRequestError, TooManyRequestsError, UnauthorizedError, parseInput } from '../shared';
import { safeEqual } from '../shared';
import type { Assets } from '../core';
import { endSession, loadSession, requireCsrf, sessionRole, startSession } from './session';
import { checkSignInForm, clearSignInNonce, signInFormToken, signInNonce } from './sign-in-guard';
import { SIGN_IN_LINK_ROUTE, redeemDashboardLink, refusalMessage } from './sign-in-links';
import { sendSignInPage } from './sign-in.view';
import { attemptOf, checkSignInThrottle, recordSignInFailure } from './sign-in-throttle';

// Dashboard sign-in and sign-out. HubSpot users: a one-time link from the NPS card (sign-in-links.ts), for an
// installed, active portal. Single-portal mode also: a form posting ADMIN_TOKEN. Either way the result is a
// session cookie.

const tokenForm = z.object({ token: z.string().max(500), _csrf: z.string().max(200) });

/** Pages: the signed-in portal, or a redirect to the sign-in page (403 for a write without the CSRF token). */
export function requireDashboardSession(deps: AppDeps): RequestHandler {
  return async (req, res, next) => {
    const session = await loadSession(deps, req);
    if (!session) {
      if (req.method === 'GET' || req.method === 'HEAD') return void res.redirect(303, '/dashboard/sign-in');
      return next(new UnauthorizedError('sign in required', 'sign_in_required'));
    }
    requireCsrf(req, session);
    req.portalId = session.portalId;
    req.portalRole = await sessionRole(deps, session);
    next();
  };
}

export function registerSignInRoutes(router: Router, deps: AppDeps, assets: Assets): void {
  const page = (req: Request, res: Response, view: { error?: string; notice?: string; status?: number } = {}) =>
    sendSignInPage(res, deps.config, assets, {
      ...view,
      formToken: signInFormToken(deps, signInNonce(deps, req, res)),
    });
  const failed = (req: Request, res: Response, err: unknown) => {
    if (!(err instanceof AppError)) throw err;
    req.log?.info({ code: err.code, status: err.status }, 'dashboard sign-in refused');
    if (err instanceof TooManyRequestsError) res.set('retry-after', String(err.retryAfterS));
    page(req, res, { error: err.message, status: err.status });
  };

  router.get('/dashboard/sign-in', async (req, res) => {
    if (await loadSession(deps, req)) return void res.redirect(303, '/dashboard');
    page(req, res, { notice: req.query.signedOut === '1' ? 'You are signed out.' : undefined });
  });

  router.post('/dashboard/sign-in', async (req, res) => {
    try {
      checkSignInForm(deps, req);
      const form = parseInput(tokenForm, req.body, 'sign-in form');
      const { adminToken } = deps.config;
      const portal = deps.config.hubspot.staticPortal;
      if (!adminToken || !portal)
        throw new BadRequestError(
          'signing in with an admin token needs ADMIN_TOKEN in single-portal mode',
          undefined,
          'token_sign_in_disabled',
        );
      const attempt = attemptOf(req, portal.portalId);
      await checkSignInThrottle(deps, attempt);
      if (!safeEqual(form.token.trim(), adminToken)) {
        await recordSignInFailure(deps, attempt);
        throw new UnauthorizedError('That admin token is not right.', 'wrong_admin_token');
      }
      await startSession(deps, req, res, { portalId: portal.portalId, userLabel: 'admin token', adminToken: true });
      clearSignInNonce(deps, res);
      res.redirect(303, '/dashboard');
    } catch (err) {
      failed(req, res, err);
    }
  });

  // The link the NPS card handed out: used up here, whatever happens next. The token is in the path, so this
  // route logs its pattern only, answers with no-referrer and never reaches the shared error handler (which
  // logs the path).
  router.get(SIGN_IN_LINK_ROUTE, async (req, res) => {
    res.set({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
    try {
      // Only the address is known before the link is looked up: an unknown (guessed, tampered) link counts
      // against it. A used or expired link is a real one opened late, not a guess.
      const attempt = attemptOf(req);
      try {
        await checkSignInThrottle(deps, attempt);
      } catch (err) {
        return failed(req, res, err);
      }
      const outcome = await redeemDashboardLink(deps, String(req.params.token ?? ''));
      if (!outcome.ok) {
        if (outcome.reason === 'unknown') await recordSignInFailure(deps, attempt);
        const refusal = refusalMessage(outcome.reason);
        req.log?.info({ route: SIGN_IN_LINK_ROUTE, reason: outcome.reason }, 'dashboard sign-in link refused');
        return page(req, res, { error: refusal.message, status: refusal.status });
      }
      const { portalId, hubspotUserId, userEmail } = outcome.owner;
      await startSession(deps, req, res, {
        portalId,
        userLabel: userEmail ?? (hubspotUserId !== null ? `HubSpot user ${hubspotUserId}` : 'HubSpot user'),
        hubspotUserId: hubspotUserId ?? undefined,
        userEmail: userEmail ?? undefined,
      });
      clearSignInNonce(deps, res);
      req.log?.info({ route: SIGN_IN_LINK_ROUTE, portalId }, 'signed in to the dashboard with a card link');
      res.redirect(303, '/dashboard');
    } catch (err) {
      req.log?.error({ err, route: SIGN_IN_LINK_ROUTE }, 'dashboard sign-in link failed');
      page(req, res, {
        error: 'Signing in failed on our side. Open the dashboard from the NPS card again.',
        status: 500,
      });
    }
  });

  router.post('/dashboard/sign-out', async (req, res) => {
    const session = await loadSession(deps, req);
    if (session) requireCsrf(req, session);
    await endSession(deps, req, res);
    res.redirect(303, '/dashboard/sign-in?signedOut=1');
  });
}
