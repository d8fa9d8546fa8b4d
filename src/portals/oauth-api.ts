import { z } from 'zod';
import { HubSpotUnavailableError } from '../hubspot';

// HubSpot's OAuth endpoints (HUBSPOT.md §6), called with plain fetch so they honour HUBSPOT_API_BASE_URL:
// POST /oauth/v1/token (form-encoded only) for the code and refresh grants, and the token-metadata lookup
// that tells us which portal a token belongs to.

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
}

export interface TokenInfo {
  hubId: number;
  scopes: string[];
}

/** HubSpot said no (400/401/403): a bad or used code, a revoked refresh token, a wrong client id or secret. */
export class OAuthRefusedError extends Error {
  constructor(
    readonly status: number,
    /** HubSpot's code, e.g. BAD_AUTH_CODE, BAD_REFRESH_TOKEN, BAD_CLIENT_ID. */
    readonly code: string,
    readonly hubspotMessage: string,
  ) {
    super(`HubSpot refused the OAuth request (${status} ${code}): ${hubspotMessage}`);
    this.name = 'OAuthRefusedError';
  }
}

const tokenAnswer = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: z.number().int().positive(),
});

const infoAnswer = z.object({
  hub_id: z.number().int().positive(),
  scopes: z.array(z.string()).default([]),
});

const TOKEN_PATH = '/oauth/v1/token';

export function createOAuthApi(cfg: OAuthClientConfig) {
  const timeoutMs = cfg.timeoutMs ?? 15_000;

  async function call(method: 'GET' | 'POST', path: string, label: string, body?: URLSearchParams): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${cfg.apiBaseUrl}${path}`, {
        method,
        body,
        headers: body ? { 'content-type': 'application/x-www-form-urlencoded' } : undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new HubSpotUnavailableError({
        method,
        path: label,
        status: 0,
        category: 'NETWORK_ERROR',
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
    const b = (typeof json === 'object' && json !== null ? json : {}) as { status?: unknown; message?: unknown };
    const message = typeof b.message === 'string' ? b.message : `HTTP ${res.status}`;
    if (res.status >= 400 && res.status < 500)
      throw new OAuthRefusedError(res.status, typeof b.status === 'string' ? b.status : 'OAUTH_ERROR', message);
    throw new HubSpotUnavailableError({ method, path: label, status: res.status, category: 'UNAVAILABLE', message });
  }

  const grant = async (fields: Record<string, string>): Promise<OAuthTokens> => {
    const form = new URLSearchParams({ ...fields, client_id: cfg.clientId, client_secret: cfg.clientSecret });
    const parsed = tokenAnswer.safeParse(await call('POST', TOKEN_PATH, TOKEN_PATH, form));
    if (!parsed.success) {
      throw new HubSpotUnavailableError({
        method: 'POST',
        path: TOKEN_PATH,
        status: 200,
        category: 'UNEXPECTED_RESPONSE',
        message: 'token answer lacks access_token, refresh_token or expires_in',
      });
    }
    return {
      accessToken: parsed.data.access_token,
      refreshToken: parsed.data.refresh_token,
      expiresIn: parsed.data.expires_in,
    };
  };

  return {
    exchangeCode: (code: string) => grant({ grant_type: 'authorization_code', redirect_uri: cfg.redirectUri, code }),
    refresh: (refreshToken: string) => grant({ grant_type: 'refresh_token', refresh_token: refreshToken }),
    async tokenInfo(accessToken: string): Promise<TokenInfo> {
      // The token sits in the path; errors and logs name the route, never the token.
      const label = '/oauth/v1/access-tokens/{token}';
      const parsed = infoAnswer.safeParse(
        await call('GET', `/oauth/v1/access-tokens/${encodeURIComponent(accessToken)}`, label),
      );
      if (!parsed.success) {
        throw new HubSpotUnavailableError({
          method: 'GET',
          path: label,
          status: 200,
          category: 'UNEXPECTED_RESPONSE',
          message: 'token metadata lacks hub_id',
        });
      }
      return { hubId: parsed.data.hub_id, scopes: parsed.data.scopes };
    },
  };
}

export type OAuthApi = ReturnType<typeof createOAuthApi>;
