import type { AppDeps } from '../core';
import { webhookEventSchema, type WebhookEvent } from '../core';
import { describeIssues, isStorableText } from '../shared';
import { eventJson } from './event-json';
import { isRowError } from '../storage';
import { activePortalIds, insertActiveEvents, insertEventsOneByOne } from './events.repo';

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

type Checked = { ok: true; event: WebhookEvent; json: string } | { ok: false; reason: string };

/** Whether an event can be stored, checked in JavaScript: its shape, id and date ranges, names, nesting. */
function checkEvent(raw: unknown): Checked {
  const parsed = webhookEventSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: describeIssues(parsed.error.issues) };
  for (const field of NAME_FIELDS) {
    const value = parsed.data[field];
    if (value !== undefined && !isStorableText(value))
      return { ok: false, reason: `${field} contains a NUL character or a lone surrogate` };
  }
  const clean = eventJson(parsed.data, MAX_EVENT_DEPTH);
  if (!clean.ok) return { ok: false, reason: `event is ${clean.reason}` };
  return { ok: true, event: clean.value as WebhookEvent, json: clean.json };
}

/**
 * Stores a verified delivery and queues its processing in the same transaction, so an acknowledged event is
 * never lost and a duplicate delivery is never processed twice (the dedupe key is unique per portal).
 * Events are checked first, so a delivery is normally one insert; should the database still refuse it, the
 * events are stored one by one and only the refused ones are skipped.
 */
export async function ingestDelivery(deps: AppDeps, body: unknown[]): Promise<IngestResult> {
  const malformed: IngestResult['malformed'] = [];
  const checked: Array<{ index: number; event: WebhookEvent; json: string }> = [];
  body.forEach((raw, index) => {
    const c = checkEvent(raw);
    if (c.ok) checked.push({ index, event: c.event, json: c.json });
    else malformed.push({ index, reason: c.reason });
  });
  if (checked.length === 0) return { accepted: 0, duplicates: 0, malformed, ignored: 0 };

  const all = checked.map((c) => c.event);
  try {
    // The usual delivery in one statement: the portal check and the insert (see insertActiveEvents).
    const { activeIndexes, ids } = await deps.db.transaction(async (tx) => {
      const stored = await insertActiveEvents(tx, checked);
      if (stored.ids.length > 0) await deps.jobs.sendInTransaction(tx, PROCESS_QUEUE, { ids: stored.ids });
      return stored;
    });
    const mine = activeIndexes.length;
    return { accepted: ids.length, duplicates: mine - ids.length, malformed, ignored: checked.length - mine };
  } catch (err) {
    if (!isRowError(err)) throw err;
    const active = await activePortalIds(deps.db, [...new Set(all.map((e) => e.portalId))]);
    const mine = checked.filter((c) => active.has(c.event.portalId));
    if (mine.length === 0) return { accepted: 0, duplicates: 0, malformed, ignored: checked.length };
    const events = mine.map((c) => c.event);
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
    let inserted = 0;
    let refused = 0;
    results.forEach((r, i) => {
      if ('id' in r) inserted++;
      else if ('error' in r) {
        refused++;
        malformed.push({ index: mine[i]!.index, reason: `event could not be stored (${r.error})` });
      }
    });
    malformed.sort((a, b) => a.index - b.index);
    return {
      accepted: inserted,
      duplicates: mine.length - inserted - refused,
      malformed,
      ignored: checked.length - mine.length,
    };
  }
}
