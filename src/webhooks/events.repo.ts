import { eachUnderSavepoint, type Queryable } from '../storage';
import { dedupeKey, type WebhookEvent } from '../core';

// webhook_events: deliveries stored durably before they are acknowledged, then processed from the queue.

export interface StoredEvent {
  id: string;
  event: WebhookEvent;
  attempts: number;
}

/** The portals among `portalIds` that have the app installed and active. */
export async function activePortalIds(db: Queryable, portalIds: number[]): Promise<Set<number>> {
  const known = await db.query<{ portal_id: string }>(
    `SELECT portal_id FROM portals WHERE portal_id = ANY($1::bigint[]) AND status = 'active'`,
    [portalIds],
  );
  return new Set(known.rows.map((r) => Number(r.portal_id)));
}

/**
 * A delivery's events stored in one statement (the hot path of the webhook acknowledgement: one round trip, the
 * same SQL text every time, so Postgres keeps it prepared): only events of portals with the app installed and
 * active are kept, and a duplicate (same portal and dedupe key) is skipped. The events go over as one JSON array,
 * each event's payload as the JSON text `json` already made for it. Returns the positions in `events` of the active
 * portals' events, and the new ids.
 */
export async function insertActiveEvents(
  tx: Queryable,
  events: Array<{ event: WebhookEvent; json: string }>,
): Promise<{ activeIndexes: number[]; ids: string[] }> {
  const rows = events.map(
    ({ event: e, json }) =>
      `[${e.portalId},${JSON.stringify(dedupeKey(e))},${JSON.stringify(e.subscriptionType)},${e.objectId ?? null},${e.occurredAt},${json}]`,
  );
  const r = await tx.query<{ active: Array<number | string> | null; ids: Array<number | string> | null }>(
    `WITH ev AS (
       SELECT (r ->> 0)::bigint AS portal_id, r ->> 1 AS dedupe_key, r ->> 2 AS subscription_type,
              (r ->> 3)::bigint AS object_id, timestamptz 'epoch' + (r ->> 4)::bigint * interval '1 millisecond' AS occurred_at,
              r -> 5 AS payload, ord
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x (r, ord)
     ), mine AS (
       SELECT ev.* FROM ev
        WHERE ev.portal_id IN (SELECT portal_id FROM portals WHERE status = 'active')
     ), stored AS (
       INSERT INTO webhook_events (portal_id, dedupe_key, subscription_type, object_id, occurred_at, payload)
       SELECT portal_id, dedupe_key, subscription_type, object_id, occurred_at, payload FROM mine ORDER BY ord
       ON CONFLICT (portal_id, dedupe_key) DO NOTHING RETURNING id
     )
     SELECT (SELECT array_agg(ord - 1 ORDER BY ord) FROM mine) AS active, (SELECT array_agg(id ORDER BY id) FROM stored) AS ids`,
    [`[${rows.join(',')}]`],
    { prepareAs: 'webhook-events-insert' },
  );
  const row = r.rows[0];
  return { activeIndexes: (row?.active ?? []).map(Number), ids: (row?.ids ?? []).map(String) };
}

/** Stores events in one statement; a duplicate (same portal and dedupe key) is skipped. Returns the new ids. */
async function insertEvents(tx: Queryable, events: WebhookEvent[]): Promise<string[]> {
  const values: unknown[] = [];
  const rows = events.map((e, i) => {
    values.push(
      e.portalId,
      dedupeKey(e),
      e.subscriptionType,
      e.objectId ?? null,
      new Date(e.occurredAt),
      JSON.stringify(e),
    );
    const b = i * 6;
    return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6})`;
  });
  const r = await tx.query<{ id: string }>(
    `INSERT INTO webhook_events (portal_id, dedupe_key, subscription_type, object_id, occurred_at, payload)
     VALUES ${rows.join(', ')} ON CONFLICT (portal_id, dedupe_key) DO NOTHING RETURNING id`,
    values,
  );
  return r.rows.map((row) => String(row.id));
}

/**
 * Stores events one by one, each under its own savepoint, so an event the database refuses is skipped while the
 * others are stored. The slow path, for a delivery whose one-statement insert failed.
 */
export async function insertEventsOneByOne(tx: Queryable, events: WebhookEvent[]): Promise<SingleInsert[]> {
  const each = await eachUnderSavepoint(tx, events, async (event) => (await insertEvents(tx, [event]))[0]);
  return each.map((r) => (!r.ok ? { error: r.error } : r.value === undefined ? { duplicate: true } : { id: r.value }));
}

export type SingleInsert = { id: string } | { duplicate: true } | { error: string };

/** The pending events among `ids`, in the order they happened. */
export async function pendingEvents(db: Queryable, ids: string[]): Promise<StoredEvent[]> {
  const r = await db.query<{ id: string; payload: WebhookEvent; attempts: number }>(
    `SELECT id, payload, attempts FROM webhook_events WHERE id = ANY($1::bigint[]) AND status = 'pending' ORDER BY occurred_at, id`,
    [ids],
  );
  return r.rows.map((row) => ({ id: String(row.id), event: row.payload, attempts: Number(row.attempts) }));
}

export async function markEventProcessed(db: Queryable, id: string, status: 'done' | 'ignored'): Promise<void> {
  await db.query(
    `UPDATE webhook_events SET status = $2, processed_at = now(), attempts = attempts + 1, error = NULL WHERE id = $1`,
    [id, status],
  );
}

/** The event stays pending (its job is retried); the error is kept for operators. */
export async function noteEventFailure(db: Queryable, id: string, error: string): Promise<void> {
  await db.query(`UPDATE webhook_events SET attempts = attempts + 1, error = $2 WHERE id = $1`, [
    id,
    error.slice(0, 500),
  ]);
}

/** Events still pending five minutes after they arrived (their job ran out of retries). */
export async function stalePendingEventIds(db: Queryable): Promise<string[]> {
  const r = await db.query<{ id: string }>(
    `SELECT id FROM webhook_events WHERE status = 'pending' AND received_at < now() - interval '5 minutes' ORDER BY id LIMIT 500`,
  );
  return r.rows.map((x) => x.id);
}
