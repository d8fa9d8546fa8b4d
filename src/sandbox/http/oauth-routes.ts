import express, { Router } from 'express';
import type { OAuthServer } from '../platform/oauth';
import { firstString } from './parse';

/** HubSpot's OAuth endpoints. The token endpoint reads form-encoded bodies only, like HubSpot's. */
export function oauthRouter(oauth: OAuthServer): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });
  const query = (req: express.Request) =>
    Object.fromEntries(Object.keys(req.query).map((k) => [k, firstString(req.query[k])]));

  router.get('/oauth/authorize', (req, res) => {
    res.redirect(302, oauth.authorize(query(req)).toString());
  });

  router.get('/oauth/:portalId/authorize', (req, res) => {
    res.redirect(302, oauth.authorize(query(req), Number(req.params.portalId)).toString());
  });

  router.post('/oauth/v1/token', form, (req, res) => {
    const body = (req.is('application/x-www-form-urlencoded') ? req.body : {}) as Record<string, string | undefined>;
    res.json(oauth.exchange(body ?? {}));
  });

  router.get('/oauth/v1/access-tokens/:token', (req, res) => {
    res.json(oauth.accessTokenInfo(req.params.token));
  });

  router.get('/oauth/v1/refresh-tokens/:token', (req, res) => {
    res.json(oauth.refreshTokenInfo(req.params.token));
  });

  router.delete('/oauth/v1/refresh-tokens/:token', (req, res) => {
    oauth.revokeRefreshToken(req.params.token);
    res.status(204).end();
  });

  return router;
}
