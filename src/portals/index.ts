import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../core';
import type { Feature } from '../core';
import { HubSpotUnavailableError } from '../hubspot';
import { AppError, BadRequestError, NotFoundError, parseInput } from '../shared';
import { escapeHtml } from '../shared';
import { seedSettings } from '../core';
import { runInstallHooks, type InstallHook } from './install-hooks';
import { createOAuthApi, OAuthRefusedError, type OAuthApi } from './oauth-api';
import { createOAuthState, readCookie, STATE_COOKIE, STATE_TTL_MS, verifyOAuthState } from './oauth-state';
import { saveOAuthTokens } from '../core';
import { OPTIONAL_SCOPES, REQUIRED_SCOPES } from './scopes';

// The OAuth install (HUBSPOT.md §6): /oauth/install sends the admin to HubSpot with a signed state bound to a
// cookie; /oauth/callback checks it, exchanges the code, learns the portal from the token, stores the tokens
// encrypted, seeds settings, runs the install hooks and shows a small confirmation page.

const callbackQuery = z.object({
  code: z.string().min(1).max(2000).optional(),
  state: z.string().max(500).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
});

const installedQuery = z.object({
  portalId: z.string().regex(/^\d{1,15}$/, 'must be a HubSpot account id'),
  setup: z.enum(['complete', 'incomplete']).default('complete'),
});

function notConfigured(): NotFoundError {
  return new NotFoundError(
    'OAuth install is not configured: set HUBSPOT_CLIENT_ID, HUBSPOT_CLIENT_SECRET and HUBSPOT_REDIRECT_URI',
    'oauth_not_configured',
  );
}

export function createPortalsFeature(hooks: readonly InstallHook[]): Feature {
  return {
    name: 'portals',
    routes(router, deps) {
      const oauthConfig = deps.config.hubspot.oauth;
      const oauth = oauthConfig
        ? createOAuthApi({ apiBaseUrl: deps.config.hubspot.apiBaseUrl, ...oauthConfig })
        : undefined;
      const secureCookie = (oauthConfig?.redirectUri ?? '').startsWith('https:');

      router.get('/oauth/install', (_req, res) => {
        if (!oauthConfig) throw notConfigured();
        const { state, nonce } = createOAuthState(oauthConfig.clientSecret, deps.clock.now().getTime());
        const target = new URL(deps.config.hubspot.authorizeUrl);
        target.searchParams.set('client_id', oauthConfig.clientId);
        target.searchParams.set('redirect_uri', oauthConfig.redirectUri);
        target.searchParams.set('scope', REQUIRED_SCOPES.join(' '));
        if (OPTIONAL_SCOPES.length) target.searchParams.set('optional_scope', OPTIONAL_SCOPES.join(' '));
        target.searchParams.set('state', state);
        res.cookie(STATE_COOKIE, nonce, {
          httpOnly: true,
          sameSite: 'lax',
          secure: secureCookie,
          maxAge: STATE_TTL_MS,
          path: '/oauth',
        });
        res.redirect(302, target.toString());
      });

      router.get('/oauth/callback', async (req, res) => {
        if (!oauthConfig || !oauth) throw notConfigured();
        const query = parseInput(callbackQuery, req.query, 'OAuth callback');
        if (query.error) {
          throw new BadRequestError(
            `HubSpot did not authorize the install: ${query.error_description ?? query.error}`,
            undefined,
            'oauth_denied',
          );
        }
        const check = verifyOAuthState(
          oauthConfig.clientSecret,
          query.state,
          readCookie(req.get('cookie'), STATE_COOKIE),
          deps.clock.now().getTime(),
        );
        if (!check.ok) throw new BadRequestError(`invalid OAuth state: ${check.reason}`, undefined, check.code);
        if (!query.code)
          throw new BadRequestError('the OAuth callback has no code parameter', undefined, 'missing_code');

        const portalId = await install(deps, oauth, query.code);
        const outcomes = await runInstallHooks(deps, portalId, hooks);
        res.clearCookie(STATE_COOKIE, { path: '/oauth' });
        const setup = outcomes.every((o) => o.ok) ? 'complete' : 'incomplete';
        res.redirect(302, `/oauth/installed?portalId=${portalId}&setup=${setup}`);
      });

      router.get('/oauth/installed', (req: Request, res: Response) => {
        const query = parseInput(installedQuery, req.query, 'page address');
        res.type('html').send(installedPage(query.portalId, query.setup === 'complete'));
      });
    },
  };
}

/** Exchanges the code, identifies the portal, stores its tokens sealed, seeds its settings. Returns the portal id. */
async function install(deps: AppDeps, oauth: OAuthApi, code: string): Promise<number> {
  try {
    const tokens = await oauth.exchangeCode(code);
    const info = await oauth.tokenInfo(tokens.accessToken);
    await saveOAuthTokens(deps.db, info.hubId, {
      accessTokenEnc: deps.cipher.encrypt(tokens.accessToken),
      refreshTokenEnc: deps.cipher.encrypt(tokens.refreshToken),
      expiresAt: new Date(deps.clock.now().getTime() + tokens.expiresIn * 1000),
      scopes: info.scopes,
    });
    await seedSettings(deps.db, info.hubId, deps.settingsSeed(info.hubId));
    deps.logger.info({ portalId: info.hubId, scopes: info.scopes.length }, 'portal installed');
    return info.hubId;
  } catch (err) {
    if (err instanceof OAuthRefusedError) {
      throw new BadRequestError(
        `HubSpot refused the authorization code (${err.code}): ${err.hubspotMessage}. Start again from /oauth/install.`,
        undefined,
        'oauth_code_rejected',
      );
    }
    if (err instanceof HubSpotUnavailableError) {
      throw new AppError(
        502,
        'hubspot_unavailable',
        `HubSpot could not complete the install right now (${err.hubspotMessage}); try again in a minute`,
      );
    }
    throw err;
  }
}

function installedPage(portalId: string, complete: boolean): string {
  const note = complete
    ? '<p>Everything is set up. Open a contact in HubSpot to see the NPS card.</p>'
    : '<p class="warn">The app is installed, but some setup steps failed. They are listed on this service\'s <code>/healthz</code>; installing again retries them.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>NPS Loop installed</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1f2933}
h1{font-size:1.5rem}.warn{color:#8a4b00}a{color:#0b62d6}</style></head>
<body><main><h1>NPS Loop is installed</h1>
<p>HubSpot account <strong>${escapeHtml(portalId)}</strong> is connected.</p>
${note}
<p><a href="/dashboard">Open the NPS dashboard</a></p></main></body></html>`;
}
