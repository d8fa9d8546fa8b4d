import { apiError, badRequest, notFound } from '../errors';
import { checkFilterBranch, matchesBranch, type FilterBranch, type ValueOf } from './list-filters';

export type ProcessingType = 'DYNAMIC' | 'MANUAL' | 'SNAPSHOT';

export interface ListDefinition {
  listId: string;
  name: string;
  objectTypeId: string;
  processingType: ProcessingType;
  filterBranch?: FilterBranch;
  listVersion: number;
  createdAt: number;
  updatedAt: number;
  filtersUpdatedAt: number;
  /** MANUAL and SNAPSHOT lists: member id → when it joined. */
  members: Map<number, number>;
  /** DYNAMIC lists: when each current member first matched (HubSpot's membershipTimestamp). */
  memberSince: Map<number, number>;
}

export interface CandidateRecord {
  id: number;
  valueOf: ValueOf;
}

/** Lists v3 (segments) of one portal. Dynamic membership is evaluated against current records on read. */
export class ListStore {
  private readonly lists = new Map<string, ListDefinition>();
  private nextId = 1;

  count(): number {
    return this.lists.size;
  }

  create(input: {
    name: string;
    objectTypeId: string;
    processingType: ProcessingType;
    filterBranch?: FilterBranch;
  }): ListDefinition {
    if (this.byName(input.objectTypeId, input.name)) {
      throw apiError(400, 'VALIDATION_ERROR', `A list named '${input.name}' already exists.`, {
        subCategory: 'ILS.DUPLICATE_LIST_NAMES',
      });
    }
    if (input.processingType === 'DYNAMIC') {
      if (!input.filterBranch) throw badRequest('DYNAMIC lists need a filterBranch');
      checkFilterBranch(input.filterBranch);
    } else if (input.filterBranch) {
      checkFilterBranch(input.filterBranch);
    }
    const now = Date.now();
    const list: ListDefinition = {
      listId: String(this.nextId++),
      name: input.name,
      objectTypeId: input.objectTypeId,
      processingType: input.processingType,
      filterBranch: input.filterBranch,
      listVersion: 1,
      createdAt: now,
      updatedAt: now,
      filtersUpdatedAt: now,
      members: new Map(),
      memberSince: new Map(),
    };
    this.lists.set(list.listId, list);
    return list;
  }

  get(listId: string): ListDefinition {
    const list = this.lists.get(listId);
    if (!list) throw notFound(`List ${listId} does not exist.`);
    return list;
  }

  byName(objectTypeId: string, name: string): ListDefinition | undefined {
    const wanted = name.toLowerCase();
    for (const list of this.lists.values()) {
      if (list.objectTypeId === objectTypeId && list.name.toLowerCase() === wanted) return list;
    }
    return undefined;
  }

  all(): ListDefinition[] {
    return [...this.lists.values()];
  }

  delete(listId: string): void {
    this.get(listId);
    this.lists.delete(listId);
  }

  updateFilters(listId: string, filterBranch: FilterBranch): ListDefinition {
    const list = this.get(listId);
    if (list.processingType !== 'DYNAMIC') throw badRequest(`List ${listId} is not a DYNAMIC list`);
    checkFilterBranch(filterBranch);
    const now = Date.now();
    Object.assign(list, { filterBranch, filtersUpdatedAt: now, updatedAt: now, listVersion: list.listVersion + 1 });
    list.memberSince.clear();
    return list;
  }

  /** Current members sorted by record id, with the time each joined. */
  members(list: ListDefinition, candidates: Iterable<CandidateRecord>): Array<[number, number]> {
    if (list.processingType !== 'DYNAMIC') return [...list.members.entries()].sort((a, b) => a[0] - b[0]);
    const now = Date.now();
    const current = new Map<number, number>();
    for (const record of candidates) {
      if (!matchesBranch(list.filterBranch!, record.valueOf)) continue;
      current.set(record.id, list.memberSince.get(record.id) ?? now);
    }
    list.memberSince.clear();
    for (const [id, at] of current) list.memberSince.set(id, at);
    return [...current.entries()].sort((a, b) => a[0] - b[0]);
  }

  /** SNAPSHOT lists are filled once from their filters, then behave like MANUAL lists. */
  snapshot(list: ListDefinition, candidates: Iterable<CandidateRecord>): void {
    if (!list.filterBranch) return;
    const now = Date.now();
    for (const record of candidates)
      if (matchesBranch(list.filterBranch, record.valueOf)) list.members.set(record.id, now);
  }

  addMembers(list: ListDefinition, ids: number[]): void {
    if (list.processingType === 'DYNAMIC')
      throw badRequest(`Records cannot be added to DYNAMIC list ${list.listId} by hand`);
    const now = Date.now();
    for (const id of ids) if (!list.members.has(id)) list.members.set(id, now);
  }

  removeMembers(list: ListDefinition, ids: number[]): void {
    if (list.processingType === 'DYNAMIC')
      throw badRequest(`Records cannot be removed from DYNAMIC list ${list.listId} by hand`);
    for (const id of ids) list.members.delete(id);
  }
}

export function listToWire(list: ListDefinition, size?: number): Record<string, unknown> {
  return {
    listId: list.listId,
    listVersion: list.listVersion,
    name: list.name,
    objectTypeId: list.objectTypeId,
    processingStatus: 'COMPLETE',
    processingType: list.processingType,
    createdAt: new Date(list.createdAt).toISOString(),
    updatedAt: new Date(list.updatedAt).toISOString(),
    filtersUpdatedAt: new Date(list.filtersUpdatedAt).toISOString(),
    createdById: '9000001',
    updatedById: '9000001',
    ...(list.filterBranch ? { filterBranch: list.filterBranch } : {}),
    ...(size === undefined ? {} : { size }),
  };
}
