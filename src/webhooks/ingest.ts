import type { AppDeps } from '../core';
import { webhookEventSchema, type WebhookEvent } from '../core';
import { describeIssues } from '../shared';
import { activePortalIds, insertEvents } from './events.repo';

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
  const active = await activePortalIds(deps.db, portals);
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
