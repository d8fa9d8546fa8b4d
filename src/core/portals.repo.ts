import type { Queryable } from '../storage';

/** A portal that installed the app: how it authenticates (tokens stay encrypted) and where its setup stands. */
export interface Portal {
  portalId: number;
  authMode: 'static' | 'oauth';
  accessTokenEnc: string | null;
  refreshTokenEnc: string | null;
  tokenExpiresAt: Date | null;
  scopes: string[];
  status: 'active' | 'uninstalled';
  setupCompletedAt: Date | null;
}

interface PortalRow {
  portal_id: string;
  auth_mode: 'static' | 'oauth';
  access_token_enc: string | null;
  refresh_token_enc: string | null;
  token_expires_at: Date | string | null;
  scopes: string[];
  status: 'active' | 'uninstalled';
  setup_completed_at: Date | string | null;
}

function toPortal(row: PortalRow | undefined): Portal | null {
  if (!row) return null;
  return {
    portalId: Number(row.portal_id),
    authMode: row.auth_mode,
    accessTokenEnc: row.access_token_enc,
    refreshTokenEnc: row.refresh_token_enc,
    tokenExpiresAt: row.token_expires_at === null ? null : new Date(row.token_expires_at),
    scopes: row.scopes,
    status: row.status,
    setupCompletedAt: row.setup_completed_at === null ? null : new Date(row.setup_completed_at),
  };
}

export async function getPortal(db: Queryable, portalId: number): Promise<Portal | null> {
  const r = await db.query<PortalRow>('SELECT * FROM portals WHERE portal_id = $1', [portalId]);
  return toPortal(r.rows[0]);
}

/** Reads the row and locks it until the surrounding transaction ends, so one token refresh runs at a time. */
export async function getPortalForUpdate(tx: Queryable, portalId: number): Promise<Portal | null> {
  const r = await tx.query<PortalRow>('SELECT * FROM portals WHERE portal_id = $1 FOR UPDATE', [portalId]);
  return toPortal(r.rows[0]);
}

export async function listActivePortalIds(db: Queryable): Promise<number[]> {
  const r = await db.query<{ portal_id: string }>(
    `SELECT portal_id FROM portals WHERE status = 'active' ORDER BY portal_id`,
  );
  return r.rows.map((row) => Number(row.portal_id));
}

/** Single-portal mode: the portal row exists so every table can reference it; its token stays in the env. */
export async function ensureStaticPortal(db: Queryable, portalId: number): Promise<boolean> {
  const r = await db.query(
    `INSERT INTO portals (portal_id, auth_mode, status) VALUES ($1, 'static', 'active')
     ON CONFLICT (portal_id) DO UPDATE SET status = 'active', uninstalled_at = NULL
     RETURNING (xmax = 0) AS inserted`,
    [portalId],
  );
  return Boolean((r.rows[0] as { inserted?: boolean } | undefined)?.inserted);
}

export async function saveOAuthTokens(
  db: Queryable,
  portalId: number,
  t: { accessTokenEnc: string; refreshTokenEnc: string; expiresAt: Date; scopes?: string[] },
): Promise<void> {
  await db.query(
    `INSERT INTO portals (portal_id, auth_mode, access_token_enc, refresh_token_enc, token_expires_at, scopes, status)
     VALUES ($1, 'oauth', $2, $3, $4, COALESCE($5::text[], '{}'::text[]), 'active')
     ON CONFLICT (portal_id) DO UPDATE SET auth_mode = 'oauth', access_token_enc = $2, refresh_token_enc = $3,
       token_expires_at = $4, scopes = COALESCE($5, portals.scopes), status = 'active', uninstalled_at = NULL, updated_at = now()`,
    [portalId, t.accessTokenEnc, t.refreshTokenEnc, t.expiresAt, t.scopes ?? null],
  );
}

export async function markUninstalled(db: Queryable, portalId: number): Promise<void> {
  await db.query(
    `UPDATE portals SET status = 'uninstalled', uninstalled_at = now(), access_token_enc = NULL, updated_at = now() WHERE portal_id = $1`,
    [portalId],
  );
}

export async function markSetupCompleted(db: Queryable, portalId: number): Promise<void> {
  await db.query('UPDATE portals SET setup_completed_at = now() WHERE portal_id = $1', [portalId]);
}
