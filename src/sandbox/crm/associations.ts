import { OBJECT_TYPES, type ObjectType } from './object-types';
import type { AssociationType } from './association-types';
import { associationType } from './association-types';

export interface AssociationChange {
  fromType: ObjectType;
  fromId: number;
  toType: ObjectType;
  toId: number;
  type: AssociationType;
  removed: boolean;
}

/**
 * Association edges of one portal, stored once per direction so both `contact → companies` and
 * `company → contacts` are a single map lookup. Every add or remove also touches the reverse edge.
 */
export class AssociationStore {
  private readonly edges = new Map<string, Map<number, number[]>>();

  /** Adds the type (and its reverse); returns the changes actually made, both directions. */
  add(
    fromType: ObjectType,
    fromId: number,
    toType: ObjectType,
    toId: number,
    type: AssociationType,
  ): AssociationChange[] {
    const changes: AssociationChange[] = [];
    if (this.addOne(fromType, fromId, toType, toId, type.typeId)) {
      changes.push({ fromType, fromId, toType, toId, type, removed: false });
    }
    const reverse = associationType(toType, fromType, type.reverseTypeId)!;
    if (this.addOne(toType, toId, fromType, fromId, reverse.typeId)) {
      changes.push({ fromType: toType, fromId: toId, toType: fromType, toId: fromId, type: reverse, removed: false });
    }
    return changes;
  }

  /** Removes the given type ids, or every type between the pair when none are given (both directions). */
  remove(
    fromType: ObjectType,
    fromId: number,
    toType: ObjectType,
    toId: number,
    typeIds?: number[],
  ): AssociationChange[] {
    const current = this.edges.get(edgeKey(fromType, fromId, toType))?.get(toId) ?? [];
    const doomed = current.filter((id) => !typeIds || typeIds.includes(id));
    const changes: AssociationChange[] = [];
    for (const typeId of doomed) {
      const type = associationType(fromType, toType, typeId)!;
      const reverse = associationType(toType, fromType, type.reverseTypeId)!;
      this.removeOne(fromType, fromId, toType, toId, typeId);
      this.removeOne(toType, toId, fromType, fromId, reverse.typeId);
      changes.push({ fromType, fromId, toType, toId, type, removed: true });
      changes.push({ fromType: toType, fromId: toId, toType: fromType, toId: fromId, type: reverse, removed: true });
    }
    return changes;
  }

  /** `[toId, typeIds]` pairs sorted by target id. */
  list(fromType: ObjectType, fromId: number, toType: ObjectType): Array<[number, number[]]> {
    const targets = this.edges.get(edgeKey(fromType, fromId, toType));
    if (!targets) return [];
    return [...targets.entries()].sort((a, b) => a[0] - b[0]);
  }

  typesBetween(fromType: ObjectType, fromId: number, toType: ObjectType, toId: number): number[] {
    return this.edges.get(edgeKey(fromType, fromId, toType))?.get(toId) ?? [];
  }

  /** Every association of one record, as removals (used when the record is hard-deleted). */
  removeAllOf(type: ObjectType, id: number): AssociationChange[] {
    const changes: AssociationChange[] = [];
    for (const toType of OBJECT_TYPES) {
      for (const [toId] of this.list(type, id, toType)) changes.push(...this.remove(type, id, toType, toId));
    }
    return changes;
  }

  private addOne(fromType: ObjectType, fromId: number, toType: ObjectType, toId: number, typeId: number): boolean {
    const k = edgeKey(fromType, fromId, toType);
    let targets = this.edges.get(k);
    if (!targets) this.edges.set(k, (targets = new Map()));
    const types = targets.get(toId);
    if (!types) {
      targets.set(toId, [typeId]);
      return true;
    }
    if (types.includes(typeId)) return false;
    types.push(typeId);
    return true;
  }

  private removeOne(fromType: ObjectType, fromId: number, toType: ObjectType, toId: number, typeId: number): void {
    const k = edgeKey(fromType, fromId, toType);
    const targets = this.edges.get(k);
    const types = targets?.get(toId);
    if (!targets || !types) return;
    const rest = types.filter((t) => t !== typeId);
    if (rest.length > 0) targets.set(toId, rest);
    else targets.delete(toId);
    if (targets.size === 0) this.edges.delete(k);
  }
}

function edgeKey(type: ObjectType, id: number, toType: ObjectType): string {
  return `${type}:${id}:${toType}`;
}
