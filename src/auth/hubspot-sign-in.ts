import { z } from 'zod';
import type { Config } from '../config';
import { AppError, UnauthorizedError } from '../shared';

// "Sign in with HubSpot": the authorization-code flow with the minimal `oauth` scope, used only to learn who the
// user is and which HubSpot account they are in. The token is thrown away afterwards; NPS Loop's own access
// to the portal comes from its installation, not from this sign-in.

const TIMEOUT_MS = 10_000;

function dashboardRedirectUri(config: Pick<Config, 'publicBaseUrl'>): string {
  return `${config.publicBaseUrl}/dashboard/oauth/callback`;
}

export function authorizeUrl(config: Config, state: string): string {
  const oauth = config.hubspot.oauth;
  if (!oauth)
    throw new AppError(
      404,
      'oauth_not_configured',
      'Sign in with HubSpot needs HUBSPOT_CLIENT_ID, HUBSPOT_CLIENT_SECRET and HUBSPOT_REDIRECT_URI',
    );
  const url = new URL(config.hubspot.authorizeUrl);
  url.searchParams.set('client_id', oauth.clientId);
  url.searchParams.set('redirect_uri', dashboardRedirectUri(config));
  url.searchParams.set('scope', 'oauth');
  url.searchParams.set('state', state);
  return url.toString();
}

const tokenSchema = z.object({ access_token: z.string().min(1) });
const tokenInfoSchema = z.object({
  hub_id: z.number().int().positive(),
  user: z.string().optional(),
  user_id: z.number().int().optional(),
});

export interface HubSpotUser {
  portalId: number;
  email?: string;
  userId?: number;
}

/** Exchanges the code (form-encoded, as HubSpot requires) and reads the token's hub and user. */
export async function identifyHubSpotUser(config: Config, code: string): Promise<HubSpotUser> {
  const oauth = config.hubspot.oauth;
  if (!oauth) throw new AppError(404, 'oauth_not_configured', 'Sign in with HubSpot is not configured');
  const base = config.hubspot.apiBaseUrl;
  const token = await call(
    `${base}/oauth/2026-03/token`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: oauth.clientId,
        client_secret: oauth.clientSecret,
        redirect_uri: dashboardRedirectUri(config),
        code,
      }).toString(),
    },
    tokenSchema,
    'exchanging the sign-in code',
  );
  const info = await call(
    `${base}/oauth/2026-03/token/introspect`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: oauth.clientId,
        client_secret: oauth.clientSecret,
        token: token.access_token,
      }).toString(),
    },
    tokenInfoSchema,
    'reading the signed-in user',
  );
  return { portalId: info.hub_id, email: info.user, userId: info.user_id };
}

async function call<T>(url: string, init: RequestInit, schema: z.ZodType<T>, what: string): Promise<T> {
  let res: globalThis.Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    throw new AppError(502, 'hubspot_unreachable', `HubSpot did not answer while ${what}: ${(err as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) {
    const status = /"status"\s*:\s*"([A-Z_]+)"/.exec(text)?.[1];
    if (res.status >= 400 && res.status < 500)
      throw new UnauthorizedError(
        `HubSpot refused the sign-in while ${what} (${status ?? res.status})`,
        'hubspot_sign_in_refused',
      );
    throw new AppError(502, 'hubspot_error', `HubSpot answered ${res.status} while ${what}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new AppError(502, 'hubspot_error', `HubSpot sent something other than JSON while ${what}`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new AppError(502, 'hubspot_error', `HubSpot's answer was not understood while ${what}`);
  return parsed.data;
}
