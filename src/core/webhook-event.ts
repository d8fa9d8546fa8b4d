import { z } from 'zod';

// One event of a HubSpot webhook delivery (HUBSPOT.md §3.2). Parsed leniently: unknown keys are kept in the payload.
// Ids are stored in bigint columns and handled as JS numbers: only exact (safe) integers are accepted, as numbers or
// digit strings; a 20-digit id is malformed rather than rounded or beyond bigint.
const id = z.union([
  z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  z
    .string()
    .regex(/^\d{1,16}$/)
    .transform(Number)
    .refine(Number.isSafeInteger, 'id is beyond the exact integer range'),
]);

// occurredAt (epoch milliseconds) must be a date PostgreSQL and JavaScript both represent: 2000-01-01 to 2100-01-01.
const OCCURRED_MIN = Date.UTC(2000, 0, 1);
const OCCURRED_MAX = Date.UTC(2100, 0, 1);

export const webhookEventSchema = z
  .object({
    eventId: id.optional(),
    subscriptionId: id.optional(),
    portalId: id,
    appId: id.optional(),
    occurredAt: z.number().int().min(OCCURRED_MIN).max(OCCURRED_MAX),
    subscriptionType: z.string().min(3).max(100),
    attemptNumber: z.number().int().nonnegative().optional(),
    objectId: id.optional(),
    objectTypeId: z.string().optional(),
    propertyName: z.string().optional(),
    propertyValue: z
      .union([z.string(), z.number(), z.boolean(), z.null()])
      .optional()
      .transform((v) => (v === undefined || v === null ? undefined : String(v))),
    changeSource: z.string().optional(),
    sourceId: z.string().optional(),
    primaryObjectId: id.optional(),
    mergedObjectIds: z.array(id).optional(),
    newObjectId: id.optional(),
    fromObjectId: id.optional(),
    toObjectId: id.optional(),
    associationType: z.string().optional(),
    associationRemoved: z.boolean().optional(),
  })
  .loose();

export type WebhookEvent = z.output<typeof webhookEventSchema>;

/** HubSpot's eventId is not unique, and retries re-send the same event: dedupe on what the event says. */
export function dedupeKey(e: WebhookEvent): string {
  const merged = e.mergedObjectIds ? [...e.mergedObjectIds].sort((a, b) => a - b).join(',') : '';
  return [
    e.subscriptionType,
    e.objectTypeId ?? '',
    e.objectId ?? '',
    e.propertyName ?? '',
    e.propertyValue ?? '',
    merged,
    e.fromObjectId ?? '',
    e.toObjectId ?? '',
    e.occurredAt,
  ].join('|');
}

/** Normalised kind: "contact.propertyChange" and "object.propertyChange" with objectTypeId 0-1 both → contact.propertyChange. */
export function eventKind(e: WebhookEvent): string {
  if (!e.subscriptionType.startsWith('object.')) return e.subscriptionType;
  const byType: Record<string, string> = {
    '0-1': 'contact',
    '0-2': 'company',
    '0-3': 'deal',
    '0-5': 'ticket',
    '0-27': 'task',
  };
  const object = (e.objectTypeId && byType[e.objectTypeId]) || 'object';
  return `${object}.${e.subscriptionType.slice('object.'.length)}`;
}
