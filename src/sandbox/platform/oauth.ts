import { randomBytes, randomUUID } from 'node:crypto';
import { HubSpotError, correlationId } from '../errors';

/**
 * HubSpot's OAuth server for one app: auto-approved authorize, code and refresh-token grants,
 * token metadata, revocation and uninstall. Access tokens map to exactly one portal.
 */
export interface AppCredentials {
  appId: number;
  clientId: string;
  clientSecret: string;
  /** When set, `redirect_uri` must be one of these (HubSpot checks the app's registered URLs). */
  redirectUris?: string[];
}

export interface ResolvedToken {
  portalId: number;
  kind: 'static' | 'oauth';
  scopes: string[];
}

interface Grant {
  portalId: number;
  scopes: string[];
  userId: number;
  user: string;
}

interface AccessToken extends Grant {
  expiresAt: number;
  refreshToken: string;
}

const DEFAULT_SCOPES = ['oauth', 'crm.objects.contacts.read', 'crm.objects.contacts.write'];

export class OAuthServer {
  private readonly staticTokens = new Map<string, number>();
  private readonly codes = new Map<string, Grant & { clientId: string; redirectUri: string; expiresAt: number }>();
  private readonly refreshTokens = new Map<string, Grant>();
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly uninstalled = new Set<number>();

  constructor(
    readonly app: AppCredentials,
    private readonly settings: {
      accessTokenTtlSeconds: number;
      defaultPortalId: () => number;
      hasPortal: (id: number) => boolean;
    },
  ) {}

  registerStatic(token: string, portalId: number): void {
    this.staticTokens.set(token, portalId);
  }

  /** Auto-approves an install and returns where HubSpot would redirect the browser. */
  authorize(query: Record<string, string | undefined>, pinnedPortal?: number): URL {
    if (query.client_id !== this.app.clientId) throw oauthError('BAD_CLIENT_ID', 'missing or invalid client id');
    const redirectUri = query.redirect_uri;
    if (!redirectUri || !URL.canParse(redirectUri))
      throw oauthError('BAD_REDIRECT_URI', 'missing or invalid redirect uri');
    if (this.app.redirectUris && !this.app.redirectUris.includes(redirectUri)) {
      throw oauthError('BAD_REDIRECT_URI', `redirect_uri ${redirectUri} is not one of the app's redirect URLs`);
    }
    const portalId = pinnedPortal ?? Number(query.portal_id ?? query.portalId ?? this.settings.defaultPortalId());
    if (!this.settings.hasPortal(portalId)) throw oauthError('BAD_PORTAL', `portal ${portalId} does not exist`);
    const scopes = [query.scope, query.optional_scope].flatMap((s) => (s ?? '').split(/[\s+]+/)).filter(Boolean);
    const code = randomUUID();
    this.codes.set(code, {
      portalId,
      scopes: scopes.length ? scopes : DEFAULT_SCOPES,
      userId: 9000001,
      user: 'admin@sandbox.example',
      clientId: this.app.clientId,
      redirectUri,
      expiresAt: Date.now() + 10 * 60_000,
    });
    this.uninstalled.delete(portalId);
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    if (query.state !== undefined) target.searchParams.set('state', query.state);
    return target;
  }

  /** `POST /oauth/v1/token` for the authorization_code and refresh_token grants. */
  exchange(form: Record<string, string | undefined>): Record<string, unknown> {
    if (form.client_id !== this.app.clientId) throw oauthError('BAD_CLIENT_ID', 'missing or invalid client id');
    if (form.client_secret !== this.app.clientSecret)
      throw oauthError('BAD_CLIENT_ID', 'missing or invalid client secret');
    let refreshToken: string;
    let grant: Grant;
    if (form.grant_type === 'authorization_code') {
      const code = form.code ? this.codes.get(form.code) : undefined;
      if (!code || code.expiresAt < Date.now()) throw oauthError('BAD_AUTH_CODE', 'missing or invalid auth code');
      if (code.redirectUri !== form.redirect_uri)
        throw oauthError('BAD_REDIRECT_URI', 'redirect_uri does not match the authorize request');
      this.codes.delete(form.code!);
      grant = { portalId: code.portalId, scopes: code.scopes, userId: code.userId, user: code.user };
      refreshToken = `na1-${randomUUID()}`;
      this.refreshTokens.set(refreshToken, grant);
    } else if (form.grant_type === 'refresh_token') {
      const known = form.refresh_token ? this.refreshTokens.get(form.refresh_token) : undefined;
      if (!known) throw oauthError('BAD_REFRESH_TOKEN', 'missing or invalid refresh token');
      grant = known;
      refreshToken = form.refresh_token!;
    } else {
      throw oauthError('BAD_GRANT_TYPE', 'missing or invalid grant type');
    }
    const accessToken = `sbx-${grant.portalId}-${randomBytes(24).toString('base64url')}`;
    const ttl = this.settings.accessTokenTtlSeconds;
    this.accessTokens.set(accessToken, { ...grant, refreshToken, expiresAt: Date.now() + ttl * 1000 });
    return {
      token_type: 'bearer',
      refresh_token: refreshToken,
      access_token: accessToken,
      expires_in: ttl,
      hub_id: grant.portalId,
      user_id: grant.userId,
    };
  }

  accessTokenInfo(token: string): Record<string, unknown> {
    const info = this.accessTokens.get(token);
    if (!info || info.expiresAt <= Date.now()) throw tokenNotFound('access token');
    return {
      token,
      user: info.user,
      hub_domain: `sandbox-${info.portalId}.hubspot.local`,
      scopes: info.scopes,
      hub_id: info.portalId,
      app_id: this.app.appId,
      expires_in: Math.floor((info.expiresAt - Date.now()) / 1000),
      user_id: info.userId,
      token_type: 'access',
    };
  }

  refreshTokenInfo(token: string): Record<string, unknown> {
    const info = this.refreshTokens.get(token);
    if (!info) throw tokenNotFound('refresh token');
    return {
      token,
      user: info.user,
      hub_domain: `sandbox-${info.portalId}.hubspot.local`,
      scopes: info.scopes,
      hub_id: info.portalId,
      client_id: this.app.clientId,
      user_id: info.userId,
      token_type: 'refresh',
    };
  }

  /** Revokes one refresh token; the app stays installed and issued access tokens live until they expire. */
  revokeRefreshToken(token: string): void {
    if (!this.refreshTokens.delete(token)) throw tokenNotFound('refresh token');
  }

  /** The admin removed the app: every token of that portal stops working and webhooks stop. */
  uninstall(portalId: number): void {
    this.uninstalled.add(portalId);
    for (const [token, grant] of this.refreshTokens) if (grant.portalId === portalId) this.refreshTokens.delete(token);
    for (const [token, info] of this.accessTokens) if (info.portalId === portalId) this.accessTokens.delete(token);
  }

  isInstalled(portalId: number): boolean {
    return !this.uninstalled.has(portalId);
  }

  /** Resolves a bearer token: a portal, 'expired' (with when), or undefined for unknown tokens. */
  resolve(token: string): ResolvedToken | { expiredAt: number } | undefined {
    const staticPortal = this.staticTokens.get(token);
    if (staticPortal !== undefined) return { portalId: staticPortal, kind: 'static', scopes: [] };
    const info = this.accessTokens.get(token);
    if (!info) return undefined;
    if (info.expiresAt <= Date.now()) return { expiredAt: info.expiresAt };
    return { portalId: info.portalId, kind: 'oauth', scopes: info.scopes };
  }

  /** Forget issued OAuth state (static tokens stay). */
  reset(): void {
    this.codes.clear();
    this.refreshTokens.clear();
    this.accessTokens.clear();
    this.uninstalled.clear();
  }
}

function oauthError(status: string, message: string): HubSpotError {
  return new HubSpotError(400, { status, message, correlationId: correlationId() });
}

function tokenNotFound(what: string): HubSpotError {
  return new HubSpotError(404, {
    status: 'error',
    message: `The ${what} was not found or has expired`,
    correlationId: correlationId(),
    category: 'OBJECT_NOT_FOUND',
  });
}
