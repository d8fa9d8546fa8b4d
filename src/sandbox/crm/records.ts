/**
 * One object type's records in one portal. Ids only grow, so `order` stays sorted and a page is a
 * binary search plus a short scan: reading 100,000 contacts page by page is O(page) per call.
 */
export interface CrmRecord {
  id: number;
  /** Only values that are set; HubSpot treats an empty string as "no value". */
  properties: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt?: number;
}

export interface RecordPage {
  records: CrmRecord[];
  /** The `after` cursor for the next page (the next record's id), absent on the last page. */
  next?: string;
}

export class ObjectTable {
  private readonly byId = new Map<number, CrmRecord>();
  private order: number[] = [];
  private removed = 0;
  private active = 0;
  private nextId: number;

  constructor(idBase: number) {
    this.nextId = idBase + 1;
  }

  allocateId(): number {
    return this.nextId++;
  }

  insert(record: CrmRecord): void {
    this.byId.set(record.id, record);
    this.order.push(record.id);
    if (!record.archived) this.active++;
  }

  get(id: number): CrmRecord | undefined {
    return this.byId.get(id);
  }

  /** A live (non-archived) record. */
  live(id: number): CrmRecord | undefined {
    const record = this.byId.get(id);
    return record && !record.archived ? record : undefined;
  }

  archive(record: CrmRecord, at: number): void {
    if (record.archived) return;
    record.archived = true;
    record.archivedAt = at;
    this.active--;
  }

  /** Hard delete (merge loser, privacy deletion): the record is gone, even from archived reads. */
  remove(id: number): void {
    const record = this.byId.get(id);
    if (!record) return;
    if (!record.archived) this.active--;
    this.byId.delete(id);
    this.removed++;
    if (this.removed > 1000 && this.removed > this.order.length / 4) this.compact();
  }

  count(): number {
    return this.active;
  }

  page(after: string | undefined, limit: number, archived: boolean): RecordPage {
    const start = after === undefined || after === '' ? 0 : lowerBound(this.order, Number(after) || 0);
    const records: CrmRecord[] = [];
    for (let i = start; i < this.order.length; i++) {
      const record = this.byId.get(this.order[i]!);
      if (!record || record.archived !== archived) continue;
      if (records.length === limit) return { records, next: String(record.id) };
      records.push(record);
    }
    return { records };
  }

  *all(includeArchived = false): IterableIterator<CrmRecord> {
    for (const id of this.order) {
      const record = this.byId.get(id);
      if (record && (includeArchived || !record.archived)) yield record;
    }
  }

  private compact(): void {
    this.order = this.order.filter((id) => this.byId.has(id));
    this.removed = 0;
  }
}

function lowerBound(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
