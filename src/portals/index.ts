import type { Request, Response } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../core';
import type { Feature } from '../core';
import { HubSpotUnavailableError } from '../hubspot';
import { NotFoundError, parseInput } from '../shared';
import { escapeHtml } from '../shared';
import { getPortal, listActivePortalIds, seedSettings } from '../core';
import { runInstallHooks, type InstallHook } from './install-hooks';
import { createOAuthApi, OAuthRefusedError, type OAuthApi, type TokenInfo } from './oauth-api';
import { createOAuthState, readCookie, STATE_COOKIE, STATE_TTL_MS, verifyOAuthState } from './oauth-state';
import { addFirstPortalAdmin, listPortalAdmins, saveOAuthTokens } from '../core';
import {
  missingRequiredScopes,
  OPTIONAL_SCOPES,
  REQUIRED_SCOPES,
  WORKFLOW_SCOPE,
  workflowActionHealthKey,
  workflowActionUnavailableMessage,
} from './scopes';

export { workflowActionAvailability, workflowActionHealthKey, workflowActionUnavailableMessage } from './scopes';

// The OAuth install (HUBSPOT.md §6). An install starts either here, at /oauth/install (we send the admin to
// HubSpot with a signed state bound to a cookie), or at HubSpot: the install URL in the app's settings and the
// Marketplace send the admin to our redirect URL with a `code` and no state of ours. /oauth/callback checks the
// state when there is one, exchanges the code, learns the portal and the granted scopes from HubSpot's token
// answer, stores the tokens encrypted, seeds settings, runs the install hooks and shows a small confirmation page.

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

/** A failed install callback: answered with a small HTML page (the callback is always a browser). */
class InstallProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** What the person at the browser should do now. */
    readonly advice: string,
  ) {
    super(message);
  }
}

const START_AGAIN =
  'Start the install again: from HubSpot (the app’s install link or its Marketplace listing) or from this service’s /oauth/install.';

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
        try {
          const query = parseInput(callbackQuery, req.query, 'OAuth callback');
          if (query.error) {
            throw new InstallProblem(
              400,
              'oauth_denied',
              `HubSpot did not authorize the install: ${query.error_description ?? query.error}`,
              'Nothing was installed. Ask a Super Admin (or a user with Marketplace access) to install the app.',
            );
          }
          // A state is ours (installs started at /oauth/install) and must match the cookie of the browser that
          // started the install. No state means HubSpot started the install (app settings' install URL, the
          // Marketplace). Accepting that is safe: the code is exchanged here, server to server, with our client
          // secret and registered redirect URL, so only a code HubSpot issued to this app after a real consent
          // works; the portal comes from HubSpot's token answer (hub_id), never from the request; and this
          // callback signs nobody in (no session, no cookie), so a forged callback gains an attacker nothing but
          // connecting a portal they administer — which they could do with the install link anyway.
          if (query.state !== undefined) {
            const check = verifyOAuthState(
              oauthConfig.clientSecret,
              query.state,
              readCookie(req.get('cookie'), STATE_COOKIE),
              deps.clock.now().getTime(),
            );
            if (!check.ok)
              throw new InstallProblem(400, check.code, `invalid OAuth state: ${check.reason}`, START_AGAIN);
          }
          if (!query.code)
            throw new InstallProblem(400, 'missing_code', 'the OAuth callback has no code parameter', START_AGAIN);

          const portalId = await install(deps, oauth, query.code);
          const outcomes = await runInstallHooks(deps, portalId, hooks);
          res.clearCookie(STATE_COOKIE, { path: '/oauth' });
          const setup = outcomes.every((o) => o.ok) ? 'complete' : 'incomplete';
          res.redirect(302, `/oauth/installed?portalId=${portalId}&setup=${setup}`);
        } catch (err) {
          const problem = asInstallProblem(err);
          if (!problem) throw err;
          deps.logger.info({ code: problem.code, status: problem.status }, `install refused: ${problem.message}`);
          res.status(problem.status).type('html').send(installFailedPage(problem));
        }
      });

      router.get('/oauth/installed', (req: Request, res: Response) => {
        const query = parseInput(installedQuery, req.query, 'page address');
        res.type('html').send(installedPage(query.portalId, query.setup === 'complete'));
      });
    },
    async start(deps) {
      // /healthz lives in memory: after a restart, report again the portals whose grant lacks `automation`.
      for (const portalId of await listActivePortalIds(deps.db)) {
        const portal = await getPortal(deps.db, portalId);
        if (portal) reportScopes(deps, portalId, portal.authMode === 'oauth' ? portal.scopes : undefined);
      }
    },
  };
}

function asInstallProblem(err: unknown): InstallProblem | undefined {
  if (err instanceof InstallProblem) return err;
  if (err instanceof OAuthRefusedError) {
    const hubspotSays = `HubSpot refused the authorization code (${err.status} ${err.codes.join(' / ')}): ${err.hubspotMessage}`;
    if (err.codes.some((c) => /^(BAD_CLIENT_ID|invalid_client|BAD_CLIENT_SECRET)$/i.test(c)) || err.status === 401)
      return new InstallProblem(
        502,
        'oauth_client_misconfigured',
        hubspotSays,
        'This service’s HubSpot client id or secret is wrong. Ask its operator to check HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET, then install again.',
      );
    return new InstallProblem(
      400,
      'oauth_code_rejected',
      hubspotSays,
      `The install link was already used, has expired (codes live a few minutes) or belongs to another app. Nothing was installed. ${START_AGAIN}`,
    );
  }
  if (err instanceof HubSpotUnavailableError)
    return new InstallProblem(
      502,
      'hubspot_unavailable',
      `HubSpot could not complete the install right now (${err.hubspotMessage})`,
      `Nothing was installed. Wait a minute, then ${START_AGAIN.charAt(0).toLowerCase()}${START_AGAIN.slice(1)}`,
    );
  const status = (err as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500)
    return new InstallProblem(status, 'bad_request', (err as Error).message, START_AGAIN);
  return undefined;
}

/**
 * Exchanges the code, identifies the portal and its granted scopes from HubSpot's answer, stores its tokens
 * sealed, seeds its settings. Returns the portal id. Nothing is written unless HubSpot accepted the code.
 */
async function install(deps: AppDeps, oauth: OAuthApi, code: string): Promise<number> {
  const tokens = await oauth.exchangeCode(code);
  // HubSpot documents hub_id, scopes and user_id on the token answer; if one is missing, introspection is asked
  // (it has hub_id and scopes, and may name the user).
  const info: TokenInfo =
    tokens.hubId !== undefined && tokens.scopes !== undefined && tokens.userId !== undefined
      ? { hubId: tokens.hubId, scopes: tokens.scopes, userId: tokens.userId }
      : await oauth.introspect(tokens.accessToken);
  const portalId = tokens.hubId ?? info.hubId;
  const scopes = tokens.scopes ?? info.scopes;
  await saveOAuthTokens(deps.db, portalId, {
    accessTokenEnc: deps.cipher.encrypt(tokens.accessToken),
    refreshTokenEnc: deps.cipher.encrypt(tokens.refreshToken),
    expiresAt: new Date(deps.clock.now().getTime() + tokens.expiresIn * 1000),
    scopes,
  });
  await seedSettings(deps.db, portalId, deps.settingsSeed(portalId));
  // The installer is the portal's first admin (later installs leave an existing admin list alone).
  const installer = tokens.userId ?? info.userId;
  if (installer !== undefined)
    await addFirstPortalAdmin(deps.db, portalId, { hubspotUserId: installer }, deps.clock.now());
  await reportMissingAdmin(deps, portalId);
  deps.health.clear(`token-refresh:${portalId}`);
  reportScopes(deps, portalId, scopes);
  deps.logger.info({ portalId, scopes }, 'portal installed');
  return portalId;
}

/**
 * HubSpot named no installing user: the portal has no NPS Loop admin, so nobody may change its settings. Say so on
 * /healthz with the way out (an operator adds one by email), rather than letting the first visitor claim it.
 */
async function reportMissingAdmin(deps: AppDeps, portalId: number): Promise<void> {
  const key = `portal-admin:${portalId}`;
  if ((await listPortalAdmins(deps.db, portalId)).length > 0) return deps.health.clear(key);
  deps.health.report(key, {
    portalId,
    message: `portal ${portalId} has no NPS Loop admin (HubSpot did not name the installing user): add one with npm run admins -- --portal ${portalId} --add <email>`,
  });
}

/** Puts the grant's gaps on /healthz (or clears them): missing required scopes, and the optional `automation`. */
function reportScopes(deps: AppDeps, portalId: number, granted: readonly string[] | undefined): void {
  const missing = granted ? missingRequiredScopes(granted) : [];
  if (missing.length)
    deps.health.report(`scopes:${portalId}`, {
      portalId,
      message: `HubSpot account ${portalId} did not grant the required scope(s) ${missing.join(', ')}; calls that need them will fail until the app is reinstalled`,
    });
  else deps.health.clear(`scopes:${portalId}`);
  const key = workflowActionHealthKey(portalId);
  if (granted && !granted.includes(WORKFLOW_SCOPE))
    deps.health.report(key, { portalId, message: workflowActionUnavailableMessage(portalId) });
  else deps.health.clear(key);
}

const PAGE_STYLE = `<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1f2933}
h1{font-size:1.5rem}.warn{color:#8a4b00}a{color:#0b62d6}code{font-size:.9em}</style>`;

function installFailedPage(p: InstallProblem): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>NPS Loop was not installed</title>
${PAGE_STYLE}</head>
<body><main data-error-code="${escapeHtml(p.code)}"><h1>NPS Loop was not installed</h1>
<p class="warn">${escapeHtml(p.message)}</p>
<p>${escapeHtml(p.advice)}</p>
<p><small>Error code: <code>${escapeHtml(p.code)}</code></small></p></main></body></html>`;
}

function installedPage(portalId: string, complete: boolean): string {
  const note = complete
    ? '<p>Everything is set up. Open a contact in HubSpot to see the NPS card.</p>'
    : '<p class="warn">The app is installed, but some setup steps failed. They are listed on this service\'s <code>/healthz</code>; installing again retries them.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>NPS Loop installed</title>
${PAGE_STYLE}</head>
<body><main><h1>NPS Loop is installed</h1>
<p>HubSpot account <strong>${escapeHtml(portalId)}</strong> is connected.</p>
${note}
<p><a href="/dashboard">Open the NPS dashboard</a></p></main></body></html>`;
}
