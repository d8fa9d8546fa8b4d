import { allAssociationTypes, associationType } from './association-types';
import { OBJECT_TYPE_INFO, findObjectType, type ObjectType } from './object-types';
import type { Portal } from './portal';
import type { CrmRecord } from './records';

const iso = (ms: number): string => new Date(ms).toISOString();

/** A property's value as HubSpot reports it, including the ones HubSpot computes (id, create/modify dates). */
export function propertyValue(type: ObjectType, record: CrmRecord, name: string): string | undefined {
  const info = OBJECT_TYPE_INFO[type];
  if (name === 'hs_object_id') return String(record.id);
  if (name === info.createdProperty) return iso(record.createdAt);
  if (name === info.modifiedProperty || name === 'hs_lastmodifieddate') return iso(record.updatedAt);
  return record.properties[name];
}

export interface ReadOptions {
  /** Requested property names; undefined → the object type's defaults. */
  properties?: string[];
  /** v3 `?associations=companies,deals`. */
  associations?: string[];
}

/**
 * A record in v3's SimplePublicObject shape. Requested properties that exist come back (null when
 * unset), unknown ones are silently left out, and id plus create/modify dates are always present.
 */
export function recordToWire(portal: Portal, type: ObjectType, record: CrmRecord, options: ReadOptions = {}) {
  const info = OBJECT_TYPE_INFO[type];
  const names = new Set(options.properties ?? info.defaultProperties);
  names.add('hs_object_id');
  names.add(info.createdProperty);
  names.add(info.modifiedProperty);
  const properties: Record<string, string | null> = {};
  for (const name of names) {
    if (!portal.registry.get(type, name)) continue;
    properties[name] = propertyValue(type, record, name) ?? null;
  }
  const wire: Record<string, unknown> = {
    id: String(record.id),
    properties,
    createdAt: iso(record.createdAt),
    updatedAt: iso(record.updatedAt),
    archived: record.archived,
  };
  if (record.archived && record.archivedAt !== undefined) wire.archivedAt = iso(record.archivedAt);
  if (options.associations && options.associations.length > 0) {
    wire.associations = v3Associations(portal, type, record.id, options.associations);
  }
  return wire;
}

function v3Associations(portal: Portal, type: ObjectType, id: number, names: string[]) {
  const out: Record<string, { results: Array<{ id: string; type: string }> }> = {};
  for (const name of names) {
    const toType = findObjectType(name);
    if (!toType) continue;
    const results: Array<{ id: string; type: string }> = [];
    for (const [toId, typeIds] of portal.liveAssociations(type, id, toType)) {
      for (const typeId of typeIds) {
        const def = associationType(type, toType, typeId);
        if (def) results.push({ id: String(toId), type: def.v3Name });
      }
    }
    if (results.length > 0) out[toType] = { results };
  }
  return out;
}

/** v4's `associationTypes` entries for one pair of records. */
export function associationTypesToWire(fromType: ObjectType, toType: ObjectType, typeIds: number[]) {
  const known = allAssociationTypes(fromType, toType);
  return typeIds
    .map((typeId) => known.find((t) => t.typeId === typeId))
    .filter((t) => t !== undefined)
    .sort((a, b) => Number(b.primary) - Number(a.primary) || a.typeId - b.typeId)
    .map((t) => ({ category: t.category, typeId: t.typeId, label: t.label }));
}
