import type { AppDeps } from '../core';
import { webhookEventSchema, type WebhookEvent } from '../core';
import { describeIssues, isStorableText, storableJson } from '../shared';
import { isRowError } from '../storage';
import { activePortalIds, insertEvents, insertEventsOneByOne } from './events.repo';

export const PROCESS_QUEUE = 'webhooks.process';

export interface IngestResult {
  accepted: number;
  duplicates: number;
  malformed: Array<{ index: number; reason: string }>;
  ignored: number;
}

/** HubSpot events are flat; extra keys are kept in the payload, nested at most this deep. */
const MAX_EVENT_DEPTH = 32;

/**
 * Names and kinds an event is routed by. A NUL or a lone surrogate there cannot come from a real subscription:
 * the event is refused. Every other string of the event (propertyValue, unknown keys) is a value: it is cleaned
 * (NUL removed, lone surrogates replaced by U+FFFD) and the event is kept.
 */
const NAME_FIELDS = [
  'subscriptionType',
  'objectTypeId',
  'propertyName',
  'changeSource',
  'sourceId',
  'associationType',
] as const;

type Checked = { ok: true; event: WebhookEvent } | { ok: false; reason: string };

/** Whether an event can be stored, checked in JavaScript: its shape, id and date ranges, names, nesting. */
function checkEvent(raw: unknown): Checked {
  const parsed = webhookEventSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: describeIssues(parsed.error.issues) };
  for (const field of NAME_FIELDS) {
    const value = parsed.data[field];
    if (value !== undefined && !isStorableText(value))
      return { ok: false, reason: `${field} contains a NUL character or a lone surrogate` };
  }
  const clean = storableJson(parsed.data, MAX_EVENT_DEPTH);
  if (!clean.ok) return { ok: false, reason: `event is ${clean.reason}` };
  return { ok: true, event: clean.value as WebhookEvent };
}

/**
 * Stores a verified delivery and queues its processing in the same transaction, so an acknowledged event is
 * never lost and a duplicate delivery is never processed twice (the dedupe key is unique per portal).
 * Events are checked first, so a delivery is normally one insert; should the database still refuse it, the
 * events are stored one by one and only the refused ones are skipped.
 */
export async function ingestDelivery(deps: AppDeps, body: unknown[]): Promise<IngestResult> {
  const malformed: IngestResult['malformed'] = [];
  const checked: Array<{ index: number; event: WebhookEvent }> = [];
  body.forEach((raw, index) => {
    const c = checkEvent(raw);
    if (c.ok) checked.push({ index, event: c.event });
    else malformed.push({ index, reason: c.reason });
  });
  if (checked.length === 0) return { accepted: 0, duplicates: 0, malformed, ignored: 0 };

  const portals = [...new Set(checked.map((c) => c.event.portalId))];
  const active = await activePortalIds(deps.db, portals);
  const mine = checked.filter((c) => active.has(c.event.portalId));
  const ignored = checked.length - mine.length;
  if (mine.length === 0) return { accepted: 0, duplicates: 0, malformed, ignored };

  const events = mine.map((c) => c.event);
  let inserted: number;
  try {
    inserted = await deps.db.transaction(async (tx) => {
      const ids = await insertEvents(tx, events);
      if (ids.length > 0) await deps.jobs.sendInTransaction(tx, PROCESS_QUEUE, { ids });
      return ids.length;
    });
  } catch (err) {
    if (!isRowError(err)) throw err;
    deps.logger.warn(
      { err, events: events.length },
      'webhook delivery refused as a whole; storing its events one by one',
    );
    const results = await deps.db.transaction(async (tx) => {
      const each = await insertEventsOneByOne(tx, events);
      const ids = each.flatMap((r) => ('id' in r ? [r.id] : []));
      if (ids.length > 0) await deps.jobs.sendInTransaction(tx, PROCESS_QUEUE, { ids });
      return each;
    });
    inserted = 0;
    let refused = 0;
    results.forEach((r, i) => {
      if ('id' in r) inserted++;
      else if ('error' in r) {
        refused++;
        malformed.push({ index: mine[i]!.index, reason: `event could not be stored (${r.error})` });
      }
    });
    malformed.sort((a, b) => a.index - b.index);
    return { accepted: inserted, duplicates: mine.length - inserted - refused, malformed, ignored };
  }
  return { accepted: inserted, duplicates: mine.length - inserted, malformed, ignored };
}
