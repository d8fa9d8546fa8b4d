import type { Config } from '../config';
import type { HealthProblems } from '../core';
import { HubSpotUnavailableError, PortalNotConnectedError, TokenRefreshUnavailableError } from '../hubspot';
import type { TokenProvider } from '../hubspot';
import type { Clock } from '../shared';
import type { Cipher } from '../shared';
import type { Logger } from '../shared';
import type { Db, Queryable } from '../storage';
import { createOAuthApi, isRevokedRefreshToken, OAuthRefusedError, type OAuthTokens } from './oauth-api';
import { getPortal, getPortalForUpdate, markUninstalled, saveOAuthTokens, type Portal } from '../core';

// Access tokens for every portal. Single-portal mode hands out the static token. OAuth mode decrypts the stored
// token and refreshes it 5 minutes before expiry (HubSpot: 30-minute tokens), one refresh per portal at a time:
// concurrent callers in this process share one promise, and a row lock plus a re-read stops two processes
// from refreshing together.
//
// Only HubSpot's revocation answer (400 BAD_REFRESH_TOKEN / invalid_grant) means the app was uninstalled. A 429,
// a 5xx or a timeout is retried at once (twice, briefly), then backs off per portal (5 s doubling to 5 min) and
// is reported on /healthz; so is a refused client id/secret (our misconfiguration, not the portal's). Neither
// ever uninstalls: while the stored access token still lives it keeps being used.

const REFRESH_MARGIN_MS = 5 * 60_000;
/** Quick retries of a 429/5xx inside one refresh (the row lock is held meanwhile, so they stay short). */
const QUICK_RETRY_MS = [250, 750];
const COOLDOWN_BASE_MS = 5_000;
const COOLDOWN_MAX_MS = 5 * 60_000;

const tokenRefreshHealthKey = (portalId: number) => `token-refresh:${portalId}`;

export interface TokenManagerDeps {
  config: Config;
  db: Db;
  cipher: Cipher;
  logger: Logger;
  clock: Clock;
  /** Where a failing refresh is reported (/healthz). */
  health?: HealthProblems;
  /** How long one call to HubSpot's token endpoint may take (default 15 s). */
  oauthTimeoutMs?: number;
}

interface Held {
  token: string;
  expiresAt: number;
}

type Refreshed = Held | { refused: string } | { unavailable: TokenRefreshUnavailableError; fallback?: Held };

interface Failing {
  failures: number;
  retryAt: number;
}

export function createTokenProvider(deps: TokenManagerDeps): TokenProvider {
  const { config, db, cipher, clock } = deps;
  const log = deps.logger.child({ module: 'tokens' });
  const staticPortal = config.hubspot.staticPortal;
  const oauthConfig = config.hubspot.oauth;
  const oauth = oauthConfig
    ? createOAuthApi({ apiBaseUrl: config.hubspot.apiBaseUrl, ...oauthConfig, timeoutMs: deps.oauthTimeoutMs })
    : undefined;
  const cache = new Map<number, Held>();
  const inflight = new Map<number, Promise<string>>();
  const failing = new Map<number, Failing>();
  const now = () => clock.now().getTime();
  const fresh = (held: Held) => held.expiresAt - REFRESH_MARGIN_MS > now();
  const isStatic = (portalId: number) => staticPortal !== undefined && portalId === staticPortal.portalId;

  /** One piece of token work per portal at a time; later callers join the running one. */
  function once(portalId: number, work: () => Promise<string>): Promise<string> {
    let running = inflight.get(portalId);
    if (!running) {
      running = work().finally(() => inflight.delete(portalId));
      inflight.set(portalId, running);
    }
    return running;
  }

  function usable(row: Portal | null, portalId: number): Portal & { refreshTokenEnc: string } {
    if (!row) throw new PortalNotConnectedError(portalId, 'unknown', `portal ${portalId} has not installed the app`);
    if (row.status !== 'active' || !row.refreshTokenEnc) {
      throw new PortalNotConnectedError(
        portalId,
        'uninstalled',
        `portal ${portalId} has uninstalled the app; reinstall it from /oauth/install`,
      );
    }
    return row as Portal & { refreshTokenEnc: string };
  }

  function stored(row: Portal): Held | undefined {
    if (!row.accessTokenEnc || !row.tokenExpiresAt) return undefined;
    return { token: cipher.decrypt(row.accessTokenEnc), expiresAt: row.tokenExpiresAt.getTime() };
  }

  /**
   * Runs `fn` holding the portal's row lock, so a second process waits and then re-reads the refreshed token.
   * The lock spans HubSpot's token call (bounded by its timeout), once per portal every ~25 minutes.
   */
  function withPortalLock<T>(portalId: number, fn: (q: Queryable, row: Portal | null) => Promise<T>): Promise<T> {
    return db.transaction(async (tx) => fn(tx, await getPortalForUpdate(tx, portalId)));
  }

  /** One refresh call, with quick retries of a 429/5xx. Throws OAuthRefusedError or HubSpotUnavailableError. */
  async function refreshOnce(refreshToken: string): Promise<OAuthTokens> {
    const api = oauth as NonNullable<typeof oauth>;
    for (let attempt = 0; ; attempt++) {
      try {
        return await api.refresh(refreshToken);
      } catch (err) {
        const quick = QUICK_RETRY_MS[attempt];
        // A timeout already took its full time: no quick retry, the per-portal backoff takes over.
        const retryable = err instanceof HubSpotUnavailableError && err.status !== 0;
        if (!retryable || quick === undefined) throw err;
        await new Promise((r) => setTimeout(r, quick));
      }
    }
  }

  function cooldown(portalId: number, err: Error): TokenRefreshUnavailableError {
    const previous = failing.get(portalId);
    const failures = (previous?.failures ?? 0) + 1;
    const wait = Math.min(COOLDOWN_MAX_MS, COOLDOWN_BASE_MS * 2 ** (failures - 1));
    const retryAt = now() + wait;
    failing.set(portalId, { failures, retryAt });
    const hubspotStatus = err instanceof OAuthRefusedError || err instanceof HubSpotUnavailableError ? err.status : 0;
    const misconfigured = err instanceof OAuthRefusedError;
    const category = misconfigured
      ? 'OAUTH_CLIENT_REFUSED'
      : err instanceof HubSpotUnavailableError
        ? err.category
        : 'UNAVAILABLE';
    const what = misconfigured
      ? `HubSpot refused our client credentials (${err.message}); check HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET`
      : `HubSpot could not refresh the token (${err.message})`;
    const message = `${what}; ${failures} failed attempt(s), next at ${new Date(retryAt).toISOString()}. The portal stays installed.`;
    deps.health?.report(tokenRefreshHealthKey(portalId), { portalId, message: `token refresh failing: ${message}` });
    log.warn({ portalId, failures, hubspotStatus, category }, 'HubSpot token refresh failed; backing off');
    return new TokenRefreshUnavailableError(portalId, hubspotStatus, category, message, new Date(retryAt));
  }

  /** The stored token if it is fresh and not the one HubSpot just rejected; otherwise a refreshed one. */
  async function current(portalId: number, rejected?: string): Promise<string> {
    const held = stored(usable(await getPortal(db, portalId), portalId));
    if (held && held.token !== rejected && fresh(held)) {
      cache.set(portalId, held);
      return held.token;
    }
    // Still alive but due for a refresh, and not the token HubSpot just refused: usable while refreshes fail.
    const alive = (h: Held | undefined) => (h && h.token !== rejected && h.expiresAt > now() ? h : undefined);
    const backingOff = failing.get(portalId);
    if (backingOff && backingOff.retryAt > now()) {
      const fallback = alive(held);
      if (fallback) return fallback.token;
      throw new TokenRefreshUnavailableError(
        portalId,
        0,
        'REFRESH_BACKING_OFF',
        `token refresh is backing off after ${backingOff.failures} failure(s) until ${new Date(backingOff.retryAt).toISOString()}`,
        new Date(backingOff.retryAt),
      );
    }
    const outcome = await withPortalLock<Refreshed>(portalId, async (q, lockedRow) => {
      const row = usable(lockedRow, portalId);
      const again = stored(row);
      // Another process may have refreshed while we waited for the lock.
      if (again && again.token !== rejected && fresh(again)) return again;
      try {
        const tokens = await refreshOnce(cipher.decrypt(row.refreshTokenEnc));
        const next = { token: tokens.accessToken, expiresAt: now() + tokens.expiresIn * 1000 };
        await saveOAuthTokens(q, portalId, {
          accessTokenEnc: cipher.encrypt(tokens.accessToken),
          refreshTokenEnc: cipher.encrypt(tokens.refreshToken),
          expiresAt: new Date(next.expiresAt),
          // The answer lists the granted scopes; a refresh never widens them, but keep what HubSpot says.
          scopes: tokens.scopes,
        });
        log.info({ portalId, expiresAt: new Date(next.expiresAt).toISOString() }, 'HubSpot access token refreshed');
        return next;
      } catch (err) {
        if (isRevokedRefreshToken(err)) {
          await markUninstalled(q, portalId);
          return { refused: `${err.codes.join(' / ')}: ${err.hubspotMessage}` };
        }
        if (!(err instanceof OAuthRefusedError) && !(err instanceof HubSpotUnavailableError)) throw err;
        return { unavailable: cooldown(portalId, err), fallback: alive(again) };
      }
    });
    if ('refused' in outcome) {
      cache.delete(portalId);
      failing.delete(portalId);
      deps.health?.clear(tokenRefreshHealthKey(portalId));
      log.warn({ portalId, reason: outcome.refused }, 'HubSpot revoked the refresh token; portal marked uninstalled');
      throw new PortalNotConnectedError(
        portalId,
        'refresh_refused',
        `HubSpot revoked the refresh token (${outcome.refused}); the app was uninstalled`,
      );
    }
    if ('unavailable' in outcome) {
      if (outcome.fallback) return outcome.fallback.token;
      throw outcome.unavailable;
    }
    if (failing.delete(portalId)) deps.health?.clear(tokenRefreshHealthKey(portalId));
    cache.set(portalId, outcome);
    return outcome.token;
  }

  return {
    async getAccessToken(portalId) {
      if (isStatic(portalId)) return (staticPortal as NonNullable<typeof staticPortal>).accessToken;
      if (!oauth)
        throw new PortalNotConnectedError(
          portalId,
          'unknown',
          `portal ${portalId} is not HUBSPOT_PORTAL_ID and OAuth is not configured`,
        );
      const held = cache.get(portalId);
      if (held && fresh(held)) return held.token;
      return once(portalId, () => current(portalId));
    },

    async onUnauthorized(portalId, rejectedToken) {
      // A static token cannot be refreshed; the HubSpot client's single retry then reports the 401.
      if (isStatic(portalId) || !oauth) return;
      await inflight.get(portalId)?.catch(() => undefined);
      const held = cache.get(portalId);
      if (held && rejectedToken !== undefined && held.token !== rejectedToken) return;
      cache.delete(portalId);
      await once(portalId, () => current(portalId, rejectedToken ?? held?.token));
    },
  };
}
