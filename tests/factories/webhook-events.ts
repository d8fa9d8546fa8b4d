import type { Queryable } from '../../src/storage/db';
import { insertRow } from './sql';

// A stored webhook event in a given state. The product stores events only inside ingestion (which also queues
// the processing job), so a test that needs a row lying in the table writes it here (own SQL).

export interface WebhookEventInput {
  portalId: number;
  dedupeKey: string;
  subscriptionType: string;
  objectId?: string | number | null;
  occurredAt?: Date;
  payload?: unknown;
  status?: 'pending' | 'done' | 'ignored' | 'failed';
}

export interface StoredWebhookEvent {
  id: string;
  portalId: number;
  dedupeKey: string;
  status: string;
}

export async function aWebhookEvent(db: Queryable, e: WebhookEventInput): Promise<StoredWebhookEvent> {
  const row = await insertRow<Record<string, any>>(db, 'webhook_events', {
    portal_id: e.portalId,
    dedupe_key: e.dedupeKey,
    subscription_type: e.subscriptionType,
    object_id: e.objectId ?? undefined,
    occurred_at: e.occurredAt ?? new Date(),
    payload: JSON.stringify(e.payload ?? {}),
    status: e.status,
  });
  return { id: String(row.id), portalId: Number(row.portal_id), dedupeKey: row.dedupe_key, status: row.status };
}
