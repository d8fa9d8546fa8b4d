import type { Response, Router } from 'express';
import { verifySurveyToken, type AppDeps } from '../core';
import { loadReviewLinkContext, recordReviewClick } from './review-clicks.repo';
import { reviewTarget } from './review-sites';

// GET /r/:token/:site: the tracked review link on the promoter thank-you page. The token is the survey link's
// (signed; an expired one still counts: a promoter may come back to the page later), the site a position among the
// configured review sites. The click is stored before the redirect answers, and the redirect only ever goes to
// the configured address: a changed token, an unknown position or a site removed since answer 404, never redirect.

export function reviewRedirectRoutes(router: Router, deps: AppDeps): void {
  router.get('/r/:token/:site', async (req, res) => {
    const now = deps.clock.now();
    const check = verifySurveyToken(deps.config.surveySigningKey, String(req.params.token), now);
    if (!check.ok && check.reason !== 'expired') return notFound(res);
    const ctx = await loadReviewLinkContext(deps.db, check.payload.portalId, check.payload.invitationId);
    const site = ctx ? reviewTarget(ctx.settings, String(req.params.site)) : null;
    if (!ctx || !site) return notFound(res);
    await recordReviewClick(deps.db, ctx, site, now);
    req.log?.info({ portalId: ctx.portalId, invitationId: ctx.invitationId, site: site.name }, 'review link followed');
    res.set('cache-control', 'no-store');
    res.set('referrer-policy', 'no-referrer');
    res.redirect(302, site.url);
  });
}

function notFound(res: Response): void {
  res.status(404).type('text/plain').send('This review link does not work.');
}
