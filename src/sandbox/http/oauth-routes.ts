import express, { Router } from 'express';
import type { OAuthServer } from '../platform/oauth';
import { firstString } from './parse';

/**
 * HubSpot's OAuth endpoints, date-versioned only: the token endpoints read form-encoded bodies only, like
 * HubSpot's. The v1 paths answer 404 here, so any caller still on them is noticed before 2027-02-16.
 */
export function oauthRouter(oauth: OAuthServer): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });
  const query = (req: express.Request) =>
    Object.fromEntries(Object.keys(req.query).map((k) => [k, firstString(req.query[k])]));
  const fields = (req: express.Request) =>
    ((req.is('application/x-www-form-urlencoded') ? req.body : {}) ?? {}) as Record<string, string | undefined>;

  router.get('/oauth/authorize', (req, res) => {
    res.redirect(302, oauth.authorize(query(req)).toString());
  });

  router.get('/oauth/:portalId/authorize', (req, res) => {
    res.redirect(302, oauth.authorize(query(req), Number(req.params.portalId)).toString());
  });

  router.post('/oauth/2026-03/token', form, (req, res) => {
    res.json(oauth.exchange(fields(req)));
  });

  router.post('/oauth/2026-03/token/introspect', form, (req, res) => {
    res.json(oauth.introspect(fields(req)));
  });

  router.post('/oauth/2026-03/token/revoke', form, (req, res) => {
    oauth.revoke(fields(req));
    res.status(200).json({});
  });

  return router;
}
