import type { Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../core';
import { AppError, BadRequestError, ForbiddenError, UnauthorizedError, parseInput } from '../shared';
import { safeEqual } from '../shared';
import type { Assets } from '../core';
import { isActivePortal } from '../core';
import { endSession, loadSession, requireCsrf, startSession } from './session';
import {
  checkOAuthState,
  checkSignInForm,
  clearSignInNonce,
  oauthState,
  signInFormToken,
  signInNonce,
} from './sign-in-guard';
import { authorizeUrl, identifyHubSpotUser } from './hubspot-sign-in';
import { sendSignInPage } from './sign-in.view';

// Dashboard sign-in and sign-out. Single-portal mode: a form posting ADMIN_TOKEN. OAuth mode: "Sign in with
// HubSpot", accepted only for an installed, active portal. Either way the result is a session cookie.

const tokenForm = z.object({ token: z.string().max(500), _csrf: z.string().max(200) });
const callbackQuery = z.object({
  code: z.string().max(1000).optional(),
  state: z.string().max(500).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(500).optional(),
});

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
      if (!safeEqual(form.token.trim(), adminToken))
        throw new UnauthorizedError('That admin token is not right.', 'wrong_admin_token');
      await startSession(deps, res, { portalId: portal.portalId, userLabel: 'admin token' });
      clearSignInNonce(deps, res);
      res.redirect(303, '/dashboard');
    } catch (err) {
      failed(req, res, err);
    }
  });

  router.get('/dashboard/sign-in/hubspot', (req, res) => {
    try {
      res.redirect(302, authorizeUrl(deps.config, oauthState(deps, signInNonce(deps, req, res))));
    } catch (err) {
      failed(req, res, err);
    }
  });

  router.get('/dashboard/oauth/callback', async (req, res) => {
    try {
      const q = parseInput(callbackQuery, req.query, 'HubSpot sign-in callback');
      if (q.error)
        throw new UnauthorizedError(
          `HubSpot did not sign you in: ${q.error_description ?? q.error}`,
          'hubspot_sign_in_denied',
        );
      if (!q.code || !q.state)
        throw new BadRequestError('the HubSpot sign-in callback needs code and state', undefined, 'invalid_callback');
      checkOAuthState(deps, req, q.state);
      const user = await identifyHubSpotUser(deps.config, q.code);
      if (!(await isActivePortal(deps.db, user.portalId))) {
        throw new ForbiddenError(
          `NPS Loop is not installed in HubSpot account ${user.portalId}. Install it from HubSpot first, then sign in again.`,
          'portal_not_installed',
        );
      }
      await startSession(deps, res, {
        portalId: user.portalId,
        userLabel: user.email ?? `HubSpot user ${user.userId ?? ''}`.trim(),
        hubspotUserId: user.userId,
      });
      clearSignInNonce(deps, res);
      res.redirect(303, '/dashboard');
    } catch (err) {
      failed(req, res, err);
    }
  });

  router.post('/dashboard/sign-out', async (req, res) => {
    const session = await loadSession(deps, req);
    if (session) requireCsrf(req, session);
    await endSession(deps, req, res);
    res.redirect(303, '/dashboard/sign-in?signedOut=1');
  });
}
