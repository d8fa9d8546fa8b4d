import { z } from 'zod';
import { HubSpotUnavailableError } from '../hubspot';

// HubSpot's date-versioned OAuth endpoints, called with plain fetch so they honour HUBSPOT_API_BASE_URL. Every
// parameter travels in a form-encoded body (never the query):
//   POST /oauth/2026-03/token            grants authorization_code and refresh_token; answers access_token,
//                                        refresh_token, expires_in, token_type, hub_id, scopes, user_id
//   POST /oauth/2026-03/token/introspect client_id, client_secret, token; answers active, hub_id, scopes, ...
// The v1 endpoints (/oauth/v1/token, /oauth/v1/access-tokens/{token}) are sunset on 2027-02-16.

const TOKEN_PATH = '/oauth/2026-03/token';
const INTROSPECT_PATH = '/oauth/2026-03/token/introspect';

export interface OAuthClientConfig {
  apiBaseUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  timeoutMs?: number;
}

export interface OAuthTokens {
  accessToken: string;
  refreshToken: string;
  /** Seconds the access token lives (HubSpot: 1800). */
  expiresIn: number;
  /** The portal, when the token answer names it (HubSpot documents `hub_id` on the token answer). */
  hubId?: number;
  /** The scopes granted, when the token answer lists them. */
  scopes?: string[];
  /** The HubSpot user who authorized the app (install: the installer), when the token answer names them. */
  userId?: number;
}

export interface TokenInfo {
  hubId: number;
  scopes: string[];
  /** The HubSpot user the token was issued to, when introspection names them (HubSpot's v1 answer did). */
  userId?: number;
}

/**
 * HubSpot said no with a 4xx other than 429: a bad or used code, a revoked refresh token, a wrong client id or
 * secret. Which of these it is decides what the caller may do; see `isRevokedRefreshToken`.
 */
export class OAuthRefusedError extends Error {
  constructor(
    readonly status: number,
    /** HubSpot's code(s), e.g. BAD_AUTH_CODE, BAD_REFRESH_TOKEN, BAD_CLIENT_ID, invalid_grant. */
    readonly code: string,
    readonly hubspotMessage: string,
    /** Every code-like field of the error body (status, error, category, subCategory). */
    readonly codes: readonly string[] = [code],
  ) {
    super(`HubSpot refused the OAuth request (${status} ${code}): ${hubspotMessage}`);
    this.name = 'OAuthRefusedError';
  }
}

/**
 * The only answer that means "this portal no longer authorizes the app": a 400 naming BAD_REFRESH_TOKEN (v1 and
 * HubSpot's changelog) or invalid_grant (OAuth 2 wording). 401/403 with BAD_CLIENT_ID is our misconfiguration and
 * says nothing about the portal; a 429 or 5xx never reaches this class.
 */
export function isRevokedRefreshToken(err: unknown): err is OAuthRefusedError {
  return (
    err instanceof OAuthRefusedError &&
    err.status === 400 &&
    err.codes.some((c) => /^(BAD_REFRESH_TOKEN|invalid_grant)$/i.test(c))
  );
}

const scopeList = z
  .union([z.array(z.string()), z.string()])
  .transform((s) => (Array.isArray(s) ? s : s.split(/[\s,]+/).filter(Boolean)));

const tokenAnswer = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().int().positive(),
  hub_id: z.number().int().positive().optional().catch(undefined),
  scopes: scopeList.optional().catch(undefined),
  scope: scopeList.optional().catch(undefined),
  user_id: z.number().int().positive().optional().catch(undefined),
});

const introspectAnswer = z.object({
  active: z.boolean().optional(),
  hub_id: z.number().int().positive(),
  scopes: scopeList.optional().catch(undefined),
  scope: scopeList.optional().catch(undefined),
  user_id: z.number().int().positive().optional().catch(undefined),
});

export function createOAuthApi(cfg: OAuthClientConfig) {
  const timeoutMs = cfg.timeoutMs ?? 15_000;

  async function post(path: string, fields: Record<string, string>): Promise<unknown> {
    const body = new URLSearchParams({ ...fields, client_id: cfg.clientId, client_secret: cfg.clientSecret });
    let res: Response;
    try {
      res = await fetch(`${cfg.apiBaseUrl}${path}`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new HubSpotUnavailableError({
        method: 'POST',
        path,
        status: 0,
        category: (err as Error).name === 'TimeoutError' ? 'TIMEOUT' : 'NETWORK_ERROR',
        message: (err as Error).message,
      });
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (res.ok && json !== undefined) return json;
    const b = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
    const message =
      str(b.message) ??
      str(b.error_description) ??
      (json === undefined && text ? 'non-JSON answer' : `HTTP ${res.status}`);
    const codes = [
      b.status === 'error' ? undefined : str(b.status),
      str(b.error),
      str(b.subCategory),
      str(b.category),
    ].filter((c): c is string => c !== undefined);
    // 429 (rate limit) and 5xx are HubSpot being busy or unwell: transient, never a verdict on the portal.
    if (res.status >= 400 && res.status < 500 && res.status !== 429)
      throw new OAuthRefusedError(res.status, codes[0] ?? 'OAUTH_ERROR', message, codes);
    throw new HubSpotUnavailableError({
      method: 'POST',
      path,
      status: res.status,
      category: res.status === 429 ? 'RATE_LIMIT' : (codes[0] ?? 'UNAVAILABLE'),
      message,
      correlationId: str(b.correlationId),
      body: json,
    });
  }

  const grant = async (fields: Record<string, string>): Promise<OAuthTokens> => {
    const parsed = tokenAnswer.safeParse(await post(TOKEN_PATH, fields));
    if (!parsed.success) {
      throw new HubSpotUnavailableError({
        method: 'POST',
        path: TOKEN_PATH,
        status: 200,
        category: 'UNEXPECTED_RESPONSE',
        message: 'token answer lacks access_token, refresh_token or expires_in',
      });
    }
    const d = parsed.data;
    return {
      accessToken: d.access_token,
      refreshToken: d.refresh_token,
      expiresIn: d.expires_in,
      hubId: d.hub_id,
      scopes: d.scopes ?? d.scope,
      userId: d.user_id,
    };
  };

  return {
    exchangeCode: (code: string) => grant({ grant_type: 'authorization_code', redirect_uri: cfg.redirectUri, code }),
    refresh: (refreshToken: string) => grant({ grant_type: 'refresh_token', refresh_token: refreshToken }),
    /** Which portal and scopes a token carries (the token travels in the body, never a URL or a log). */
    async introspect(token: string): Promise<TokenInfo> {
      const parsed = introspectAnswer.safeParse(await post(INTROSPECT_PATH, { token }));
      if (!parsed.success || parsed.data.active === false) {
        throw new HubSpotUnavailableError({
          method: 'POST',
          path: INTROSPECT_PATH,
          status: 200,
          category: 'UNEXPECTED_RESPONSE',
          message: parsed.success ? 'HubSpot reports the new token as inactive' : 'token introspection lacks hub_id',
        });
      }
      return {
        hubId: parsed.data.hub_id,
        scopes: parsed.data.scopes ?? parsed.data.scope ?? [],
        userId: parsed.data.user_id,
      };
    },
  };
}

export type OAuthApi = ReturnType<typeof createOAuthApi>;
