import type { Queryable } from './db';

export type OutboxKind = 'contact-properties' | 'company-rollup' | 'follow-up' | 'workflow-callback' | (string & {});

export interface OutboxItem {
  portalId: number;
  key: string;
  version: number;
  attempts: number;
}

/** Marks an item as needing work (idempotent; re-marking an in-flight item makes it run again). */
export async function markOutbox(db: Queryable, portalId: number, kind: OutboxKind, key: string, dueAt?: Date): Promise<void> {
  await db.query(
    `INSERT INTO outbox (portal_id, kind, item_key, due_at) VALUES ($1, $2, $3, COALESCE($4, now()))
     ON CONFLICT (portal_id, kind, item_key) DO UPDATE SET version = outbox.version + 1, due_at = LEAST(outbox.due_at, EXCLUDED.due_at)`,
    [portalId, kind, key, dueAt ?? null],
  );
}

/** Items of one kind that are due, oldest first, grouped by nothing: callers group by portal. */
export async function dueOutbox(db: Queryable, kind: OutboxKind, limit: number, now: Date, portalId?: number): Promise<OutboxItem[]> {
  const r = await db.query<{ portal_id: string; item_key: string; version: string; attempts: number }>(
    `SELECT portal_id, item_key, version, attempts FROM outbox
     WHERE kind = $1 AND due_at <= $2 AND ($4::bigint IS NULL OR portal_id = $4)
     ORDER BY due_at, item_key LIMIT $3`,
    [kind, now, limit, portalId ?? null],
  );
  return r.rows.map((x) => ({ portalId: Number(x.portal_id), key: x.item_key, version: Number(x.version), attempts: x.attempts }));
}

/** Removes items whose work landed, unless they were marked again since they were read. */
export async function completeOutbox(db: Queryable, kind: OutboxKind, items: OutboxItem[]): Promise<void> {
  if (items.length === 0) return;
  await db.query(
    `DELETE FROM outbox o USING unnest($2::bigint[], $3::text[], $4::bigint[]) AS d(portal_id, item_key, version)
     WHERE o.kind = $1 AND o.portal_id = d.portal_id AND o.item_key = d.item_key AND o.version = d.version`,
    [kind, items.map((i) => i.portalId), items.map((i) => i.key), items.map((i) => i.version)],
  );
}

/** Postpones failed items with exponential backoff (capped at 10 minutes); they are retried until they land. */
export async function failOutbox(db: Queryable, kind: OutboxKind, items: OutboxItem[], error: string, now: Date): Promise<void> {
  for (const i of items) {
    const delayMs = Math.min(600_000, 1000 * 2 ** Math.min(i.attempts, 10));
    await db.query(
      `UPDATE outbox SET attempts = attempts + 1, last_error = $4, due_at = $5 WHERE portal_id = $1 AND kind = $2 AND item_key = $3`,
      [i.portalId, kind, i.key, error.slice(0, 500), new Date(now.getTime() + delayMs)],
    );
  }
}

export async function outboxBacklog(db: Queryable, kind: OutboxKind): Promise<number> {
  const r = await db.query<{ n: string }>('SELECT count(*) AS n FROM outbox WHERE kind = $1', [kind]);
  return Number(r.rows[0]?.n ?? 0);
}
