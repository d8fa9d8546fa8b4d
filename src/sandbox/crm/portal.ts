import { apiError } from '../errors';
import { AssociationStore } from './associations';
import type { ChangeListener, CrmChange } from './events';
import { ListStore } from './lists';
import { OBJECT_TYPES, OBJECT_TYPE_INFO, type ObjectType } from './object-types';
import type { Owner } from './owners';
import { PipelineCatalog, defaultPipelines } from './pipelines';
import { PropertyRegistry } from './property-registry';
import { ObjectTable, type CrmRecord } from './records';
import type { ValidationContext } from './validation';

/**
 * Everything one HubSpot account (portal) holds. Portals share nothing: a token resolves to exactly
 * one portal, and every route reads and writes through it.
 */
export class Portal {
  readonly tables: Record<ObjectType, ObjectTable>;
  readonly associations = new AssociationStore();
  readonly pipelines: PipelineCatalog;
  readonly registry: PropertyRegistry;
  readonly lists = new ListStore();
  readonly owners: Owner[] = [];
  /** Lower-cased email → live contact id (primary and merged-in addresses). */
  readonly emailIndex = new Map<string, number>();
  /** Contact ids that were merged away → the id that absorbed them (HubSpot keeps serving the winner). */
  readonly mergedInto = new Map<number, number>();
  private readonly listeners = new Set<ChangeListener>();
  private ownerIdSet = new Set<string>();

  constructor(
    readonly portalId: number,
    readonly hubDomain = `sandbox-${portalId}.hubspot.local`,
  ) {
    const now = Date.now();
    this.tables = Object.fromEntries(
      OBJECT_TYPES.map((type) => [type, new ObjectTable(OBJECT_TYPE_INFO[type].idBase)]),
    ) as Record<ObjectType, ObjectTable>;
    this.pipelines = new PipelineCatalog(defaultPipelines(), now);
    this.registry = new PropertyRegistry((kind) => {
      switch (kind) {
        case 'owners':
          return this.owners.map((o, i) => ({
            label: `${o.firstName} ${o.lastName} (${o.email})`,
            value: o.id,
            displayOrder: i,
            hidden: false,
          }));
        case 'dealPipelines':
          return this.pipelines.pipelineOptions('deals');
        case 'dealStages':
          return this.pipelines.stageOptions('deals');
        case 'ticketPipelines':
          return this.pipelines.pipelineOptions('tickets');
        case 'ticketStages':
          return this.pipelines.stageOptions('tickets');
      }
    }, now);
  }

  addOwner(owner: Owner): void {
    this.owners.push(owner);
    this.ownerIdSet.add(owner.id);
  }

  validationContext(type: ObjectType): ValidationContext {
    return { type, registry: this.registry, ownerIds: this.ownerIdSet };
  }

  /** Follows merges, so an id that was merged away still answers with the record that absorbed it. */
  resolveId(type: ObjectType, id: number): number {
    if (type !== 'contacts') return id;
    let current = id;
    for (let hops = 0; hops < 50 && this.mergedInto.has(current); hops++) current = this.mergedInto.get(current)!;
    return current;
  }

  find(type: ObjectType, id: number | string, includeArchived = false): CrmRecord | undefined {
    const numeric = typeof id === 'number' ? id : /^\d+$/.test(id) ? Number(id) : NaN;
    if (!Number.isSafeInteger(numeric)) return undefined;
    const record = this.tables[type].get(this.resolveId(type, numeric));
    return record && (includeArchived || !record.archived) ? record : undefined;
  }

  require(type: ObjectType, id: number | string): CrmRecord {
    const record = this.find(type, id);
    if (!record) {
      throw apiError(404, 'OBJECT_NOT_FOUND', 'Object not found.  objectId are usually numeric.', {
        context: { id: [String(id)] },
      });
    }
    return record;
  }

  findByEmail(email: string): CrmRecord | undefined {
    const id = this.emailIndex.get(email.trim().toLowerCase());
    return id === undefined ? undefined : this.tables.contacts.live(id);
  }

  /** Finds a record by a unique property (`idProperty`): email for contacts or a custom unique property. */
  findByUniqueProperty(type: ObjectType, property: string, value: string): CrmRecord | undefined {
    if (type === 'contacts' && property === 'email') return this.findByEmail(value);
    for (const record of this.tables[type].all()) if (record.properties[property] === value) return record;
    return undefined;
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(change: CrmChange): void {
    for (const listener of this.listeners) listener(change);
  }

  /** Live records an association list may show (archived and deleted targets are hidden). */
  liveAssociations(fromType: ObjectType, fromId: number, toType: ObjectType): Array<[number, number[]]> {
    return this.associations.list(fromType, fromId, toType).filter(([toId]) => this.tables[toType].live(toId));
  }

  counts(): Record<ObjectType, number> & { owners: number; lists: number } {
    const counts = Object.fromEntries(OBJECT_TYPES.map((t) => [t, this.tables[t].count()])) as Record<
      ObjectType,
      number
    >;
    return { ...counts, owners: this.owners.length, lists: this.lists.count() };
  }
}
