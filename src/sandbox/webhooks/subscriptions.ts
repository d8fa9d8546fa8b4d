import type { CrmChange } from '../crm/events';
import { findObjectType, OBJECT_TYPE_INFO, type ObjectType } from '../crm/object-types';

/**
 * Webhook subscriptions in the project-file forms (HUBSPOT.md §3.1): legacy `contact.propertyChange`
 * style and generic `object.propertyChange` + objectType. Each CRM change becomes one event per
 * matching subscription, in HubSpot's payload shape (§3.2).
 */
export interface SubscriptionConfig {
  subscriptionType: string;
  /** Required for propertyChange subscriptions. */
  propertyName?: string;
  /** Generic `object.*` subscriptions name the object: `contact`, `deals`, `0-5`, ... */
  objectType?: string;
  active?: boolean;
  /** Defaults to a stable number derived from the subscription's position. */
  id?: number;
}

type Action = CrmChange['kind'];
const ACTIONS = new Set<Action>([
  'creation',
  'deletion',
  'propertyChange',
  'merge',
  'privacyDeletion',
  'associationChange',
]);

interface Subscription {
  id: number;
  subscriptionType: string;
  generic: boolean;
  objectType: ObjectType;
  action: Action;
  propertyName?: string;
  active: boolean;
}

/** What the demo and most tests want: contact lifecycle, contact language/email/owner, deal and ticket stages. */
export const DEFAULT_SUBSCRIPTIONS: SubscriptionConfig[] = [
  { subscriptionType: 'contact.creation' },
  { subscriptionType: 'contact.deletion' },
  { subscriptionType: 'contact.merge' },
  { subscriptionType: 'contact.privacyDeletion' },
  { subscriptionType: 'contact.propertyChange', propertyName: 'email' },
  { subscriptionType: 'contact.propertyChange', propertyName: 'hs_language' },
  { subscriptionType: 'contact.propertyChange', propertyName: 'hubspot_owner_id' },
  { subscriptionType: 'contact.propertyChange', propertyName: 'hs_email_optout' },
  { subscriptionType: 'contact.propertyChange', propertyName: 'hs_email_hard_bounce_reason_enum' },
  { subscriptionType: 'contact.propertyChange', propertyName: 'hs_email_bad_address' },
  { subscriptionType: 'contact.propertyChange', propertyName: 'mobilephone' },
  { subscriptionType: 'contact.propertyChange', propertyName: 'phone' },
  { subscriptionType: 'contact.propertyChange', propertyName: 'country' },
  { subscriptionType: 'deal.propertyChange', propertyName: 'dealstage' },
  { subscriptionType: 'ticket.propertyChange', propertyName: 'hs_pipeline_stage' },
];

export function normaliseSubscriptions(configs: SubscriptionConfig[]): Subscription[] {
  return configs.map((config, index) => {
    const [prefix, actionName] = config.subscriptionType.split('.');
    const action = actionName as Action;
    if (!ACTIONS.has(action)) throw new Error(`Unsupported webhook subscriptionType ${config.subscriptionType}`);
    const generic = prefix === 'object';
    const objectType = findObjectType(generic ? (config.objectType ?? '') : (prefix ?? ''));
    if (!objectType) throw new Error(`Webhook subscription ${config.subscriptionType} needs a known object type`);
    if (action === 'propertyChange' && !config.propertyName) {
      throw new Error(`Webhook subscription ${config.subscriptionType} needs a propertyName`);
    }
    return {
      id: config.id ?? 1_000_000 + index,
      subscriptionType: config.subscriptionType,
      generic,
      objectType,
      action,
      propertyName: config.propertyName,
      active: config.active ?? true,
    };
  });
}

export type WebhookEvent = Record<string, unknown> & { eventId: number; portalId: number; attemptNumber: number };

export function eventsForChange(
  change: CrmChange,
  subscriptions: Subscription[],
  appId: number,
  nextEventId: () => number,
): WebhookEvent[] {
  const events: WebhookEvent[] = [];
  for (const sub of subscriptions) {
    if (!sub.active || sub.action !== change.kind || sub.objectType !== change.objectType) continue;
    if (change.kind === 'propertyChange' && change.propertyName !== sub.propertyName) continue;
    const event: WebhookEvent = {
      eventId: nextEventId(),
      subscriptionId: sub.id,
      portalId: change.portalId,
      appId,
      occurredAt: change.occurredAt,
      subscriptionType: sub.subscriptionType,
      attemptNumber: 0,
      objectId: change.objectId,
      ...(sub.generic ? { objectTypeId: OBJECT_TYPE_INFO[change.objectType].objectTypeId } : {}),
      changeSource: change.source.changeSource,
      ...(change.source.sourceId ? { sourceId: change.source.sourceId } : { sourceId: `${appId}` }),
    };
    Object.assign(event, detailsOf(change, sub.generic));
    events.push(event);
  }
  return events;
}

function detailsOf(change: CrmChange, generic: boolean): Record<string, unknown> {
  switch (change.kind) {
    case 'creation':
      return { changeFlag: 'CREATED' };
    case 'deletion':
    case 'privacyDeletion':
      return { changeFlag: 'DELETED' };
    case 'propertyChange':
      return { propertyName: change.propertyName, propertyValue: change.propertyValue };
    case 'merge':
      return {
        changeFlag: 'MERGED',
        primaryObjectId: change.objectId,
        mergedObjectIds: change.mergedObjectIds,
        newObjectId: change.objectId,
        numberOfPropertiesMoved: change.numberOfPropertiesMoved,
      };
    case 'associationChange': {
      const from = OBJECT_TYPE_INFO[change.objectType];
      const to = OBJECT_TYPE_INFO[change.toObjectType];
      const common = {
        fromObjectId: change.objectId,
        toObjectId: change.toObjectId,
        associationRemoved: change.removed,
      };
      return generic
        ? {
            ...common,
            fromObjectTypeId: from.objectTypeId,
            toObjectTypeId: to.objectTypeId,
            associationTypeId: change.association.typeId,
            associationCategory: change.association.category,
          }
        : {
            ...common,
            associationType: `${from.singular}_TO_${to.singular}`.toUpperCase(),
            isPrimaryAssociation: change.association.primary,
          };
    }
  }
}
