import { z } from 'zod';

// One event of a HubSpot webhook delivery (HUBSPOT.md §3.2). Parsed leniently: unknown keys are kept in the payload.
const id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)]);

export const webhookEventSchema = z
  .object({
    eventId: id.optional(),
    subscriptionId: id.optional(),
    portalId: id,
    appId: id.optional(),
    occurredAt: z.number().int().positive(),
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
