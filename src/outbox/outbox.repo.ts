import type { Queryable } from '../storage';

// Every query on the outbox table. An item is (portal, kind, key) plus a version: marking it again bumps the
// version, so a drain that read version n deletes it only if nobody marked it while the work was in flight.

export interface OutboxItem {
  portalId: number;
  key: string;
  version: number;
  attempts: number;
}

export interface DueItem extends OutboxItem {
  dueAt: Date;
}

/** Backoff after the n-th failed attempt: 1 s doubling, capped at 10 minutes. */
function backoffMs(attempts: number): number {
  return Math.min(600_000, 1000 * 2 ** Math.min(attempts, 10));
}

/** Marks an item as needing work (idempotent; re-marking an in-flight item makes it run again). */
export async function markOutbox(
  db: Queryable,
  portalId: number,
  kind: string,
  key: string,
  dueAt?: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO outbox (portal_id, kind, item_key, due_at) VALUES ($1, $2, $3, COALESCE($4, now()))
     ON CONFLICT (portal_id, kind, item_key) DO UPDATE SET version = outbox.version + 1, due_at = LEAST(outbox.due_at, EXCLUDED.due_at)`,
    [portalId, kind, key, dueAt ?? null],
  );
}

/** Items of one kind that are due, oldest first, of one portal or of all (callers group by portal). */
export async function dueOutbox(
  db: Queryable,
  kind: string,
  limit: number,
  now: Date,
  portalId?: number,
): Promise<DueItem[]> {
  const r = await db.query<{
    portal_id: string;
    item_key: string;
    version: string;
    attempts: number;
    due_at: Date | string;
  }>(
    `SELECT portal_id, item_key, version, attempts, due_at FROM outbox
     WHERE kind = $1 AND due_at <= $2 AND ($4::bigint IS NULL OR portal_id = $4)
     ORDER BY due_at, item_key LIMIT $3`,
    [kind, now, limit, portalId ?? null],
  );
  return r.rows.map((x) => ({
    portalId: Number(x.portal_id),
    key: x.item_key,
    version: Number(x.version),
    attempts: x.attempts,
    dueAt: new Date(x.due_at),
  }));
}

/** Removes items whose work landed, unless they were marked again since they were read. */
export async function completeOutbox(db: Queryable, kind: string, items: OutboxItem[]): Promise<void> {
  if (items.length === 0) return;
  await db.query(
    `DELETE FROM outbox o USING unnest($2::bigint[], $3::text[], $4::bigint[]) AS d(portal_id, item_key, version)
     WHERE o.kind = $1 AND o.portal_id = d.portal_id AND o.item_key = d.item_key AND o.version = d.version`,
    [kind, items.map((i) => i.portalId), items.map((i) => i.key), items.map((i) => i.version)],
  );
}

/**
 * Postpones failed items with exponential backoff; they are retried until they land. `rejected` records that
 * HubSpot refused the write itself (operators must act), as opposed to being unreachable.
 */
export async function failOutbox(
  db: Queryable,
  kind: string,
  items: OutboxItem[],
  error: string,
  now: Date,
  rejected = false,
): Promise<void> {
  for (const i of items) {
    await db.query(
      `UPDATE outbox SET attempts = attempts + 1, last_error = $4, due_at = $5, rejected = $6 WHERE portal_id = $1 AND kind = $2 AND item_key = $3`,
      [i.portalId, kind, i.key, error.slice(0, 500), new Date(now.getTime() + backoffMs(i.attempts)), rejected],
    );
  }
}

/**
 * HubSpot just took a write for this portal, so whatever was backing off after an outage or a 429 can go now
 * instead of waiting out its (up to 10-minute) backoff. Items HubSpot refused keep theirs.
 */
export async function retryWaitingItemsNow(db: Queryable, kind: string, portalId: number, now: Date): Promise<void> {
  await db.query(
    `UPDATE outbox SET due_at = $3 WHERE kind = $1 AND portal_id = $2 AND attempts > 0 AND due_at > $3 AND NOT rejected`,
    [kind, portalId, now],
  );
}

export async function hasRejectedItems(db: Queryable, kind: string, portalId: number): Promise<boolean> {
  const r = await db.query(`SELECT 1 FROM outbox WHERE kind = $1 AND portal_id = $2 AND rejected LIMIT 1`, [
    kind,
    portalId,
  ]);
  return r.rows.length > 0;
}

/** Portals with due items of one kind. */
export async function portalsWithDueItems(db: Queryable, kind: string, now: Date): Promise<number[]> {
  const r = await db.query<{ portal_id: string }>(
    `SELECT DISTINCT portal_id FROM outbox WHERE kind = $1 AND due_at <= $2`,
    [kind, now],
  );
  return r.rows.map((x) => Number(x.portal_id));
}

/**
 * (kind, portal) pairs with due items, for installed portals only (an uninstalled portal's items wait for a
 * reinstall), with how many are due and the oldest and newest due time, so the ticker can apply the kind's hold.
 */
export async function dueKindsOfActivePortals(
  db: Queryable,
  kinds: string[],
  now: Date,
): Promise<Array<{ kind: string; portalId: number; count: number; oldest: Date; newest: Date }>> {
  const r = await db.query<{
    kind: string;
    portal_id: string;
    n: string;
    oldest: Date | string;
    newest: Date | string;
  }>(
    `SELECT o.kind, o.portal_id, count(*) AS n, min(o.due_at) AS oldest, max(o.due_at) AS newest
       FROM outbox o JOIN portals p ON p.portal_id = o.portal_id AND p.status = 'active'
     WHERE o.kind = ANY($1::text[]) AND o.due_at <= $2 GROUP BY o.kind, o.portal_id`,
    [kinds, now],
  );
  return r.rows.map((x) => ({
    kind: x.kind,
    portalId: Number(x.portal_id),
    count: Number(x.n),
    oldest: new Date(x.oldest),
    newest: new Date(x.newest),
  }));
}

/**
 * For each (portal, kind) whose items all wait beyond `horizon`, moves the earliest waiting (not refused) item
 * to `now`. Returns how many were moved.
 */
export async function retryEarliestWaiting(db: Queryable, kinds: string[], now: Date, horizon: Date): Promise<number> {
  const r = await db.query(
    `WITH earliest AS (
       SELECT DISTINCT ON (portal_id, kind) portal_id, kind, item_key, due_at FROM outbox
       WHERE kind = ANY($1::text[]) AND attempts > 0 AND NOT rejected
       ORDER BY portal_id, kind, due_at
     )
     UPDATE outbox o SET due_at = $2 FROM earliest e
     WHERE o.portal_id = e.portal_id AND o.kind = e.kind AND o.item_key = e.item_key
       AND NOT EXISTS (SELECT 1 FROM outbox d WHERE d.portal_id = e.portal_id AND d.kind = e.kind AND d.due_at <= $3)`,
    [kinds, now, horizon],
  );
  return r.rowCount;
}
