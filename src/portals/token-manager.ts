import type { Config } from '../config';
import { PortalNotConnectedError } from '../hubspot';
import type { TokenProvider } from '../hubspot';
import type { Clock } from '../shared';
import type { Cipher } from '../shared';
import type { Logger } from '../shared';
import type { Db, Queryable } from '../storage';
import { createOAuthApi, OAuthRefusedError } from './oauth-api';
import { getPortal, getPortalForUpdate, markUninstalled, saveOAuthTokens, type Portal } from '../core';

// Access tokens for every portal. Single-portal mode hands out the static token. OAuth mode decrypts the stored
// token and refreshes it 5 minutes before expiry (HubSpot: 30-minute tokens), one refresh per portal at a time:
// concurrent callers in this process share one promise, and a row lock plus a re-read stops two processes
// from refreshing together. A refresh HubSpot refuses means the app was uninstalled.

const REFRESH_MARGIN_MS = 5 * 60_000;

export interface TokenManagerDeps {
  config: Config;
  db: Db;
  cipher: Cipher;
  logger: Logger;
  clock: Clock;
}

interface Held {
  token: string;
  expiresAt: number;
}

type Refreshed = Held | { refused: string };

export function createTokenProvider(deps: TokenManagerDeps): TokenProvider {
  const { config, db, cipher, clock } = deps;
  const log = deps.logger.child({ module: 'tokens' });
  const staticPortal = config.hubspot.staticPortal;
  const oauthConfig = config.hubspot.oauth;
  const oauth = oauthConfig ? createOAuthApi({ apiBaseUrl: config.hubspot.apiBaseUrl, ...oauthConfig }) : undefined;
  const cache = new Map<number, Held>();
  const inflight = new Map<number, Promise<string>>();
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

  /** The stored token if it is fresh and not the one HubSpot just rejected; otherwise a refreshed one. */
  async function current(portalId: number, rejected?: string): Promise<string> {
    const held = stored(usable(await getPortal(db, portalId), portalId));
    if (held && held.token !== rejected && fresh(held)) {
      cache.set(portalId, held);
      return held.token;
    }
    const outcome = await withPortalLock<Refreshed>(portalId, async (q, lockedRow) => {
      const row = usable(lockedRow, portalId);
      const again = stored(row);
      // Another process may have refreshed while we waited for the lock.
      if (again && again.token !== rejected && fresh(again)) return again;
      try {
        const tokens = await (oauth as NonNullable<typeof oauth>).refresh(cipher.decrypt(row.refreshTokenEnc));
        const next = { token: tokens.accessToken, expiresAt: now() + tokens.expiresIn * 1000 };
        await saveOAuthTokens(q, portalId, {
          accessTokenEnc: cipher.encrypt(tokens.accessToken),
          refreshTokenEnc: cipher.encrypt(tokens.refreshToken),
          expiresAt: new Date(next.expiresAt),
        });
        log.info({ portalId, expiresAt: new Date(next.expiresAt).toISOString() }, 'HubSpot access token refreshed');
        return next;
      } catch (err) {
        if (!(err instanceof OAuthRefusedError)) throw err;
        await markUninstalled(q, portalId);
        return { refused: `${err.code}: ${err.hubspotMessage}` };
      }
    });
    if ('refused' in outcome) {
      cache.delete(portalId);
      log.warn({ portalId, reason: outcome.refused }, 'HubSpot refused the refresh token; portal marked uninstalled');
      throw new PortalNotConnectedError(
        portalId,
        'refresh_refused',
        `HubSpot refused to refresh the token (${outcome.refused}); the app was probably uninstalled`,
      );
    }
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
