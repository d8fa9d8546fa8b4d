import type { AssociationChange } from './associations';
import { allAssociationTypes, defaultAssociationType, type AssociationType } from './association-types';
import type { ChangeSource } from './events';
import type { ObjectType } from './object-types';
import type { Portal } from './portal';

/**
 * Adds an association the way HubSpot does: both directions, a Primary company replaces the previous
 * one and always brings the unlabeled type along, and a contact's `associatedcompanyid` follows its
 * primary company. Every edge that changed becomes an associationChange event.
 */
export function associate(
  portal: Portal,
  fromType: ObjectType,
  fromId: number,
  toType: ObjectType,
  toId: number,
  type: AssociationType,
  source: ChangeSource,
): AssociationChange[] {
  const changes: AssociationChange[] = [];
  if (type.primary) {
    const [childType, childId, companyId] = toType === 'companies' ? [fromType, fromId, toId] : [toType, toId, fromId];
    const primary = allAssociationTypes(childType, 'companies').find((t) => t.primary)!;
    for (const [otherCompany, typeIds] of portal.associations.list(childType, childId, 'companies')) {
      if (otherCompany !== companyId && typeIds.includes(primary.typeId)) {
        changes.push(...portal.associations.remove(childType, childId, 'companies', otherCompany, [primary.typeId]));
      }
    }
    changes.push(...portal.associations.add(childType, childId, 'companies', companyId, primary));
    changes.push(
      ...portal.associations.add(
        childType,
        childId,
        'companies',
        companyId,
        defaultAssociationType(childType, 'companies')!,
      ),
    );
    if (childType === 'contacts') setAssociatedCompany(portal, childId, String(companyId), source);
  } else {
    changes.push(...portal.associations.add(fromType, fromId, toType, toId, type));
  }
  emitAll(portal, changes, source);
  return changes;
}

export function disassociate(
  portal: Portal,
  fromType: ObjectType,
  fromId: number,
  toType: ObjectType,
  toId: number,
  typeIds: number[] | undefined,
  source: ChangeSource,
): AssociationChange[] {
  const changes = portal.associations.remove(fromType, fromId, toType, toId, typeIds);
  for (const change of changes) {
    if (change.removed && change.type.primary && change.fromType === 'contacts' && change.toType === 'companies') {
      setAssociatedCompany(portal, change.fromId, '', source);
    }
  }
  emitAll(portal, changes, source);
  return changes;
}

/** Removes every association of a record that is being hard-deleted, announcing each removal. */
export function dropAllAssociations(portal: Portal, type: ObjectType, id: number, source: ChangeSource): void {
  emitAll(portal, portal.associations.removeAllOf(type, id), source);
}

function setAssociatedCompany(portal: Portal, contactId: number, companyId: string, source: ChangeSource): void {
  const contact = portal.tables.contacts.get(contactId);
  if (!contact || (contact.properties.associatedcompanyid ?? '') === companyId) return;
  if (companyId === '') delete contact.properties.associatedcompanyid;
  else contact.properties.associatedcompanyid = companyId;
  contact.updatedAt = Date.now();
  portal.emit({
    kind: 'propertyChange',
    portalId: portal.portalId,
    objectType: 'contacts',
    objectId: contactId,
    occurredAt: contact.updatedAt,
    source,
    propertyName: 'associatedcompanyid',
    propertyValue: companyId,
  });
}

function emitAll(portal: Portal, changes: AssociationChange[], source: ChangeSource): void {
  const occurredAt = Date.now();
  for (const c of changes) {
    portal.emit({
      kind: 'associationChange',
      portalId: portal.portalId,
      objectType: c.fromType,
      objectId: c.fromId,
      occurredAt,
      source,
      toObjectType: c.toType,
      toObjectId: c.toId,
      association: c.type,
      removed: c.removed,
    });
  }
}
