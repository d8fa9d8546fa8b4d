import type { AppDeps } from '../core';
import type { Queryable } from '../storage';
import { dedupeKey, webhookEventSchema, type WebhookEvent } from '../core';
import { describeIssues } from '../shared';

export const PROCESS_QUEUE = 'webhooks.process';

export interface IngestResult {
  accepted: number;
  duplicates: number;
  malformed: Array<{ index: number; reason: string }>;
  ignored: number;
}

/**
 * Stores a verified delivery and queues its processing in the same transaction, so an acknowledged event is
 * never lost and a duplicate delivery is never processed twice (the dedupe key is unique per portal).
 */
export async function ingestDelivery(deps: AppDeps, body: unknown[]): Promise<IngestResult> {
  const malformed: IngestResult['malformed'] = [];
  const events: WebhookEvent[] = [];
  body.forEach((raw, index) => {
    const parsed = webhookEventSchema.safeParse(raw);
    if (parsed.success) events.push(parsed.data);
    else malformed.push({ index, reason: describeIssues(parsed.error.issues) });
  });
  if (events.length === 0) return { accepted: 0, duplicates: 0, malformed, ignored: 0 };

  const portals = [...new Set(events.map((e) => e.portalId))];
  const known = await deps.db.query<{ portal_id: string }>(`SELECT portal_id FROM portals WHERE portal_id = ANY($1::bigint[]) AND status = 'active'`, [portals]);
  const active = new Set(known.rows.map((r) => Number(r.portal_id)));
  const mine = events.filter((e) => active.has(e.portalId));
  const ignored = events.length - mine.length;
  if (mine.length === 0) return { accepted: 0, duplicates: 0, malformed, ignored };

  const inserted = await deps.db.transaction(async (tx) => {
    const ids = await insertEvents(tx, mine);
    if (ids.length > 0) await deps.jobs.sendInTransaction(tx, PROCESS_QUEUE, { ids });
    return ids.length;
  });
  return { accepted: inserted, duplicates: mine.length - inserted, malformed, ignored };
}

async function insertEvents(tx: Queryable, events: WebhookEvent[]): Promise<string[]> {
  const values: unknown[] = [];
  const rows = events.map((e, i) => {
    values.push(e.portalId, dedupeKey(e), e.subscriptionType, e.objectId ?? null, new Date(e.occurredAt), JSON.stringify(e));
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
