import { randomBytes } from 'node:crypto';
import type { Queryable } from '../storage';
import { hashSecret } from './keys';

// Read-only links for wall screens. The key (256 random bits) is shown once, when the link is made; the
// database keeps its sha256 only. A revoked key stops working on its next request.

export interface TvLink {
  id: string;
  label: string;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

const KEY_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export async function createTvLink(
  db: Queryable,
  portalId: number,
  label: string,
  createdBy: string,
): Promise<{ id: string; key: string }> {
  const key = randomBytes(32).toString('base64url');
  const r = await db.query<{ id: string }>(
    'INSERT INTO tv_links (portal_id, token_hash, label, created_by) VALUES ($1, $2, $3, $4) RETURNING id',
    [portalId, hashSecret(key), label, createdBy],
  );
  return { id: r.rows[0]!.id, key };
}

export async function listTvLinks(db: Queryable, portalId: number): Promise<TvLink[]> {
  const r = await db.query<{
    id: string;
    label: string;
    created_by: string;
    created_at: Date;
    revoked_at: Date | null;
    last_used_at: Date | null;
  }>(
    'SELECT id, label, created_by, created_at, revoked_at, last_used_at FROM tv_links WHERE portal_id = $1 ORDER BY created_at DESC LIMIT 100',
    [portalId],
  );
  const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
  return r.rows.map((x) => ({
    id: x.id,
    label: x.label,
    createdBy: x.created_by,
    createdAt: iso(x.created_at)!,
    revokedAt: iso(x.revoked_at),
    lastUsedAt: iso(x.last_used_at),
  }));
}

/** Revokes one of the portal's links; false when the portal has no such (unrevoked) link. */
export async function revokeTvLink(db: Queryable, portalId: number, id: string, now: Date): Promise<boolean> {
  const r = await db.query(
    'UPDATE tv_links SET revoked_at = $3 WHERE portal_id = $1 AND id = $2 AND revoked_at IS NULL',
    [portalId, id, now],
  );
  return r.rowCount > 0;
}

/** The portal a TV key opens, or undefined for an unknown or revoked key. */
export async function portalForTvKey(db: Queryable, key: string, now: Date): Promise<number | undefined> {
  if (!KEY_SHAPE.test(key)) return undefined;
  const r = await db.query<{ portal_id: string }>(
    `UPDATE tv_links t SET last_used_at = $2 FROM portals p
      WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND p.portal_id = t.portal_id AND p.status = 'active'
      RETURNING t.portal_id`,
    [hashSecret(key), now],
  );
  return r.rows[0] ? Number(r.rows[0].portal_id) : undefined;
}
