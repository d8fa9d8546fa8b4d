// A small bounded cache for the card API's HubSpot reads (tasks, owners). Entries expire after a TTL; the least
// recently used entry goes first when the cache is full; concurrent misses for one key share one load, so 20
// cards opening at once cost HubSpot one call. A failed load is remembered briefly so a HubSpot outage does
// not turn every card view into another doomed call.

export interface TtlCacheOptions {
  maxEntries: number;
  ttlMs: number;
  /** How long a failure is remembered (default: a fifth of the TTL). */
  failureTtlMs?: number;
  now?: () => number;
}

interface Entry<T> {
  promise: Promise<T>;
  expiresAt: number;
}

export class TtlCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly now: () => number;

  constructor(private readonly opts: TtlCacheOptions) {
    this.now = opts.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached value for `key`, or the result of `load` (shared with concurrent callers). */
  get(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && hit.expiresAt > this.now()) {
      // Re-insert to mark as recently used (Map keeps insertion order).
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.promise;
    }
    const entry: Entry<T> = { promise: load(), expiresAt: Number.POSITIVE_INFINITY };
    this.entries.delete(key);
    this.entries.set(key, entry);
    entry.promise.then(
      () => {
        entry.expiresAt = this.now() + this.opts.ttlMs;
      },
      () => {
        entry.expiresAt = this.now() + (this.opts.failureTtlMs ?? Math.floor(this.opts.ttlMs / 5));
      },
    );
    this.evict();
    return entry.promise;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Drops every entry whose key starts with `prefix` (e.g. one contact's reads after an action). */
  deletePrefix(prefix: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  private evict(): void {
    while (this.entries.size > this.opts.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}
