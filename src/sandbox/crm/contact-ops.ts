import { badRequest } from '../errors';
import { associate, dropAllAssociations } from './association-ops';
import { associationType } from './association-types';
import type { ChangeSource } from './events';
import { OBJECT_TYPES } from './object-types';
import type { Portal } from './portal';
import type { CrmRecord } from './records';

/**
 * Merges `mergedId` into `primaryId` like HubSpot: the primary keeps its id and its own values, fills
 * empty properties from the merged contact, collects its email in hs_additional_emails, takes over its
 * associations, and the merged id keeps resolving to the primary afterwards.
 */
export function mergeContacts(
  portal: Portal,
  primaryId: number | string,
  mergedId: number | string,
  source: ChangeSource,
): CrmRecord {
  const primary = portal.require('contacts', primaryId);
  const merged = portal.require('contacts', mergedId);
  if (primary.id === merged.id) throw badRequest('A contact cannot be merged with itself');
  const now = Date.now();
  const moved: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(merged.properties)) {
    if (name === 'email' || name === 'hs_additional_emails' || name === 'hs_merged_object_ids') continue;
    if (primary.properties[name] === undefined) {
      primary.properties[name] = value;
      moved.push([name, value]);
    }
  }
  const extraEmails = [primary.properties.hs_additional_emails, merged.properties.hs_additional_emails];
  if (merged.properties.email) {
    if (primary.properties.email) extraEmails.push(merged.properties.email);
    else {
      primary.properties.email = merged.properties.email;
      moved.push(['email', merged.properties.email]);
    }
    portal.emailIndex.set(merged.properties.email, primary.id);
  }
  const additional = extraEmails.filter(Boolean).join(';');
  if (additional) primary.properties.hs_additional_emails = additional;
  primary.properties.hs_merged_object_ids = [primary.properties.hs_merged_object_ids, String(merged.id)]
    .filter(Boolean)
    .join(';');
  primary.updatedAt = now;

  for (const toType of OBJECT_TYPES) {
    for (const [toId, typeIds] of portal.associations.list('contacts', merged.id, toType)) {
      if (toType === 'contacts' && toId === primary.id) continue;
      for (const typeId of typeIds) {
        const type = associationType('contacts', toType, typeId)!;
        if (type.primary && primary.properties.associatedcompanyid) continue;
        associate(portal, 'contacts', primary.id, toType, toId, type, source);
      }
    }
  }
  dropAllAssociations(portal, 'contacts', merged.id, source);
  portal.tables.contacts.remove(merged.id);
  portal.mergedInto.set(merged.id, primary.id);

  const base = {
    portalId: portal.portalId,
    objectType: 'contacts' as const,
    objectId: primary.id,
    occurredAt: now,
    source,
  };
  portal.emit({ ...base, kind: 'merge', mergedObjectIds: [merged.id], numberOfPropertiesMoved: moved.length });
  for (const [propertyName, propertyValue] of moved)
    portal.emit({ ...base, kind: 'propertyChange', propertyName, propertyValue });
  return primary;
}

/**
 * GDPR deletion: the contact and everything identifying it are gone for good (no archive, no merge
 * redirect). HubSpot announces it as contact.privacyDeletion; a contact.deletion goes out as well.
 */
export function privacyDeleteContact(portal: Portal, id: number | string, source: ChangeSource): void {
  const contact = portal.find('contacts', id, true);
  if (!contact) portal.require('contacts', id);
  const record = contact!;
  for (const email of [record.properties.email, ...(record.properties.hs_additional_emails ?? '').split(';')]) {
    if (email && portal.emailIndex.get(email) === record.id) portal.emailIndex.delete(email);
  }
  dropAllAssociations(portal, 'contacts', record.id, source);
  portal.tables.contacts.remove(record.id);
  for (const [from, to] of portal.mergedInto) if (to === record.id) portal.mergedInto.delete(from);
  const base = {
    portalId: portal.portalId,
    objectType: 'contacts' as const,
    objectId: record.id,
    occurredAt: Date.now(),
    source,
  };
  portal.emit({ ...base, kind: 'privacyDeletion' });
  portal.emit({ ...base, kind: 'deletion' });
}
