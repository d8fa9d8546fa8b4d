import { randomBytes, randomUUID } from 'node:crypto';
import { HubSpotError, correlationId } from '../errors';

/**
 * HubSpot's OAuth server for one app, on the date-versioned endpoints (POST /oauth/2026-03/token, .../introspect,
 * .../revoke; the v1 endpoints are gone, as they will be after 2027-02-16): auto-approved authorize, code and
 * refresh-token grants, token introspection, revocation and uninstall. Access tokens map to exactly one portal.
 *
 * Where HubSpot leaves behaviour undocumented it plays the most pessimistic reading: error bodies carry the OAuth
 * code only in `subCategory` ({status:'error', message, correlationId, category, subCategory}); codes are single
 * use, bound to the app and the redirect URL, and live `codeTtlSeconds`; an optional scope the portal lacks is
 * silently not granted, and a required one it lacks refuses the install.
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
  /** Scopes a portal's subscription does not include (e.g. `automation` below Marketing Hub Professional). */
  private readonly lacking = new Map<number, Set<string>>();

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

  /** The portal's subscription lacks these scopes: optional ones are not granted, required ones refuse the install. */
  setLackingScopes(portalId: number, scopes: readonly string[]): void {
    if (scopes.length) this.lacking.set(portalId, new Set(scopes));
    else this.lacking.delete(portalId);
  }

  /** Auto-approves an install and returns where HubSpot would redirect the browser. */
  authorize(query: Record<string, string | undefined>, pinnedPortal?: number, codeTtlSeconds = 600): URL {
    if (query.client_id !== this.app.clientId) throw oauthError('BAD_CLIENT_ID', 'missing or invalid client id');
    const redirectUri = query.redirect_uri;
    if (!redirectUri || !URL.canParse(redirectUri))
      throw oauthError('BAD_REDIRECT_URI', 'missing or invalid redirect uri');
    if (this.app.redirectUris && !this.app.redirectUris.includes(redirectUri)) {
      throw oauthError('BAD_REDIRECT_URI', `redirect_uri ${redirectUri} is not one of the app's redirect URLs`);
    }
    const portalId = pinnedPortal ?? Number(query.portal_id ?? query.portalId ?? this.settings.defaultPortalId());
    if (!this.settings.hasPortal(portalId)) throw oauthError('BAD_PORTAL', `portal ${portalId} does not exist`);
    const split = (s: string | undefined) => (s ?? '').split(/[\s+]+/).filter(Boolean);
    const lacking = this.lacking.get(portalId) ?? new Set<string>();
    const required = split(query.scope);
    const refused = required.filter((scope) => lacking.has(scope));
    if (refused.length)
      throw oauthError('SCOPE_NOT_AVAILABLE', `account ${portalId} does not have access to ${refused.join(', ')}`);
    const scopes = [...required, ...split(query.optional_scope).filter((scope) => !lacking.has(scope))];
    const code = randomUUID();
    this.codes.set(code, {
      portalId,
      scopes: scopes.length ? scopes : DEFAULT_SCOPES,
      userId: 9000001,
      user: 'admin@sandbox.example',
      clientId: this.app.clientId,
      redirectUri,
      expiresAt: Date.now() + codeTtlSeconds * 1000,
    });
    this.uninstalled.delete(portalId);
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    if (query.state !== undefined) target.searchParams.set('state', query.state);
    return target;
  }

  /**
   * An install HubSpot starts (the install URL in the app's settings, or the Marketplace): the admin consents at
   * HubSpot and is sent to the app's redirect URL with a fresh code and no state. Returns that URL.
   */
  startInstall(opts: {
    portalId?: number;
    redirectUri?: string;
    scope?: string;
    optionalScope?: string;
    codeTtlSeconds?: number;
  }): URL {
    const redirectUri = opts.redirectUri ?? this.app.redirectUris?.[0];
    if (!redirectUri) throw oauthError('BAD_REDIRECT_URI', 'the app has no redirect URL; pass redirectUri');
    return this.authorize(
      {
        client_id: this.app.clientId,
        redirect_uri: redirectUri,
        scope: opts.scope,
        optional_scope: opts.optionalScope,
      },
      opts.portalId,
      opts.codeTtlSeconds,
    );
  }

  /** `POST /oauth/2026-03/token` for the authorization_code and refresh_token grants. */
  exchange(form: Record<string, string | undefined>): Record<string, unknown> {
    this.checkClient(form);
    let refreshToken: string;
    let grant: Grant;
    if (form.grant_type === 'authorization_code') {
      const code = form.code ? this.codes.get(form.code) : undefined;
      if (!code || code.expiresAt <= Date.now() || code.clientId !== form.client_id) {
        if (code && code.expiresAt <= Date.now()) this.codes.delete(form.code!);
        throw oauthError('BAD_AUTH_CODE', 'missing or invalid auth code');
      }
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
      token_use: 'access',
      hub_id: grant.portalId,
      scopes: grant.scopes,
      user_id: grant.userId,
    };
  }

  /**
   * `POST /oauth/2026-03/token/introspect` (form: client_id, client_secret, token): RFC 7662 style, so an unknown
   * or expired token is `{active:false}` with 200, not an error.
   */
  introspect(form: Record<string, string | undefined>): Record<string, unknown> {
    this.checkClient(form);
    const token = form.token ?? '';
    const access = this.accessTokens.get(token);
    if (access && access.expiresAt > Date.now()) {
      return {
        active: true,
        token_type: 'access',
        token_use: 'access',
        client_id: this.app.clientId,
        app_id: this.app.appId,
        hub_id: access.portalId,
        hub_domain: `sandbox-${access.portalId}.hubspot.local`,
        scopes: access.scopes,
        user: access.user,
        user_id: access.userId,
        exp: Math.floor(access.expiresAt / 1000),
        expires_in: Math.floor((access.expiresAt - Date.now()) / 1000),
      };
    }
    const refresh = this.refreshTokens.get(token);
    if (refresh) {
      return {
        active: true,
        token_type: 'refresh',
        token_use: 'refresh',
        client_id: this.app.clientId,
        app_id: this.app.appId,
        hub_id: refresh.portalId,
        scopes: refresh.scopes,
        user: refresh.user,
        user_id: refresh.userId,
      };
    }
    return { active: false };
  }

  /** `POST /oauth/2026-03/token/revoke` (form: client_id, client_secret, token): revokes a refresh token. */
  revoke(form: Record<string, string | undefined>): void {
    this.checkClient(form);
    this.refreshTokens.delete(form.token ?? '');
  }

  private checkClient(form: Record<string, string | undefined>): void {
    if (form.client_id !== this.app.clientId) throw oauthError('BAD_CLIENT_ID', 'missing or invalid client id', 401);
    if (form.client_secret !== this.app.clientSecret)
      throw oauthError('BAD_CLIENT_ID', 'missing or invalid client secret', 401);
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
    this.lacking.clear();
  }
}

function oauthError(code: string, message: string, status = 400): HubSpotError {
  return new HubSpotError(status, {
    status: 'error',
    message,
    correlationId: correlationId(),
    category: status === 401 ? 'INVALID_AUTHENTICATION' : 'VALIDATION_ERROR',
    subCategory: code,
  });
}
