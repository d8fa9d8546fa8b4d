import type { BatchResult } from '../hubspot';

// How a failed HubSpot write is treated, decided from what HubSpot answered (pure; no I/O):
//  - the record is gone (404 / OBJECT_NOT_FOUND): nothing to write, the item is done;
//  - HubSpot refused the write (other 4xx, e.g. a property an admin deleted): operators must act; back off;
//  - HubSpot was unreachable, overloaded or rate limiting (5xx, 429, network): back off and retry.

function statusOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { status?: unknown; statusCode?: unknown; code?: unknown; response?: { status?: unknown } };
  for (const v of [e.status, e.statusCode, e.code, e.response?.status])
    if (typeof v === 'number' && v >= 100 && v < 600) return v;
  return undefined;
}

export function isRejectionStatus(status: number | undefined): boolean {
  return status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

export function isRejection(err: unknown): boolean {
  return isRejectionStatus(statusOf(err));
}

export function describeError(err: unknown): string {
  const status = statusOf(err);
  const message = err instanceof Error ? err.message : String(err);
  return `${status ?? 'no answer'}: ${message}`.slice(0, 400);
}

function isGone(failure: { status: number; category: string }): boolean {
  return failure.status === 404 || failure.category === 'OBJECT_NOT_FOUND';
}

export interface Verdict<T> {
  landed: T[];
  gone: Array<{ id: string; item: T; reason: string }>;
  failed: Array<{ id: string; item: T; reason: string; rejected: boolean }>;
}

/** Sorts each input of one batch call into landed, gone or failed. */
export function classifyBatchResult<T>(inputs: Array<{ id: string; item: T }>, result: BatchResult): Verdict<T> {
  const failedById = new Map<string, BatchResult['failed'][number]>();
  const anonymous = result.failed.filter((f) => f.id === undefined);
  for (const f of result.failed) if (f.id !== undefined) failedById.set(f.id, f);
  const succeeded = new Set(result.succeeded.map((o) => o.id));
  const verdict: Verdict<T> = { landed: [], gone: [], failed: [] };
  for (const { id, item } of inputs) {
    const f = failedById.get(id) ?? (succeeded.has(id) ? undefined : anonymous[0]);
    if (!f) verdict.landed.push(item);
    else if (isGone(f)) verdict.gone.push({ id, item, reason: `${f.status} ${f.category}: ${f.message}` });
    else
      verdict.failed.push({
        id,
        item,
        reason: `${f.status} ${f.category}: ${f.message}`,
        rejected: isRejectionStatus(f.status),
      });
  }
  return verdict;
}
