// When a portal's due items go out (pure; no I/O). Coalescing: items are taken oldest first in full batches;
// a partial batch waits briefly while more items are still streaming in, which keeps API calls near the floor
// of ceil(items / batch size) without making anyone wait more than a few seconds.

const BATCH_SIZE = 100;

export interface HoldOptions {
  /** A partial batch goes once no new item arrived for this long. */
  quietMs: number;
  /** … and at the latest when its oldest item has waited this long. */
  maxHoldMs: number;
}

export const DEFAULT_HOLD: HoldOptions = { quietMs: 600, maxHoldMs: 3000 };

/** No hold: everything due goes now. */
export const NO_HOLD: HoldOptions = { quietMs: 0, maxHoldMs: 0 };

function holdOf(holdOptions: HoldOptions | number): HoldOptions {
  return typeof holdOptions === 'number' ? { quietMs: holdOptions, maxHoldMs: holdOptions } : holdOptions;
}

/** What the ticker knows about one portal's due items of a kind, without reading them. */
interface DueSummary {
  count: number;
  oldest: Date;
  newest: Date;
}

/**
 * Whether a drain would send anything now: itemsToSend's rule on a summary. The ticker queues no drain for a
 * portal whose items are all still held, so a held batch costs no job and no worker slot.
 */
export function worthDraining(
  due: DueSummary,
  now: Date,
  holdOptions: HoldOptions | number = DEFAULT_HOLD,
  batchSize = BATCH_SIZE,
): boolean {
  const hold = holdOf(holdOptions);
  return (
    due.count >= batchSize ||
    now.getTime() - due.newest.getTime() >= hold.quietMs ||
    now.getTime() - due.oldest.getTime() >= hold.maxHoldMs
  );
}

/**
 * Full batches go at once. The partial remainder waits while items are still streaming in (its newest item is
 * younger than `quietMs`), so it can fill up, but never longer than `maxHoldMs`; a lone item goes after `quietMs`.
 * A plain number holds the remainder until its oldest item has waited that long.
 */
export function itemsToSend<T extends { dueAt: Date }>(
  due: T[],
  now: Date,
  holdOptions: HoldOptions | number = DEFAULT_HOLD,
  batchSize = BATCH_SIZE,
): T[] {
  const hold = holdOf(holdOptions);
  const full = Math.floor(due.length / batchSize) * batchSize;
  const rest = due.slice(full);
  if (rest.length === 0) return due;
  const oldest = Math.min(...rest.map((i) => i.dueAt.getTime()));
  const newest = Math.max(...rest.map((i) => i.dueAt.getTime()));
  const quiet = now.getTime() - newest >= hold.quietMs;
  const heldTooLong = now.getTime() - oldest >= hold.maxHoldMs;
  return quiet || heldTooLong ? due : due.slice(0, full);
}
