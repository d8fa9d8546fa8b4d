import { HubSpotError, HubSpotValidationError, idsNamedByError } from './errors';
import type { BatchResult, CrmObject } from './client';

// Batch writes: chunks of 100 (HubSpot's limit), and a chunk that HubSpot rejects as a whole (400/404) because
// of some inputs is narrowed down so the rest still lands. Other failures (auth, outage) propagate.

const BATCH_SIZE = 100;

export function chunk<T>(items: readonly T[], size = BATCH_SIZE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** What one batch call answered: 200, or 207 with per-input errors. */
export interface ChunkAnswer {
  results: CrmObject[];
  errors: Array<{ category: string; message: string; ids: string[] }>;
  status: number;
}

export interface BatchWriter<I> {
  send(inputs: I[]): Promise<ChunkAnswer>;
  /** The record id an input writes to (updates); undefined for creates. */
  idOf(input: I): string | undefined;
  propertyNames(input: I): string[];
}

interface Item<I> {
  input: I;
  index: number;
}

export async function writeInChunks<I>(inputs: readonly I[], writer: BatchWriter<I>): Promise<BatchResult> {
  const result: BatchResult = { succeeded: [], failed: [] };
  const items = inputs.map((input, index) => ({ input, index }));
  for (const part of chunk(items)) await land(part, writer, result);
  return result;
}

async function land<I>(items: Item<I>[], writer: BatchWriter<I>, result: BatchResult): Promise<void> {
  if (items.length === 0) return;
  let answer: ChunkAnswer;
  try {
    answer = await writer.send(items.map((i) => i.input));
  } catch (err) {
    if (!(err instanceof HubSpotError) || (err.status !== 400 && err.status !== 404)) throw err;
    await narrow(items, err, writer, result);
    return;
  }
  result.succeeded.push(...answer.results);
  for (const e of answer.errors) {
    const blamed = e.ids.length ? e.ids : [undefined];
    for (const id of blamed) {
      const index = id === undefined ? undefined : items.find((i) => writer.idOf(i.input) === id)?.index;
      result.failed.push({
        id,
        index,
        status: answer.status === 207 ? statusOf(e.category) : answer.status,
        category: e.category,
        message: e.message,
      });
    }
  }
}

/**
 * A whole chunk was refused. Inputs the error blames (ids it names, or properties it names) fail on their own
 * and the others are resent; when the error blames nobody, the chunk is halved until the culprits are alone.
 */
async function narrow<I>(
  items: Item<I>[],
  err: HubSpotError,
  writer: BatchWriter<I>,
  result: BatchResult,
): Promise<void> {
  const fail = (item: Item<I>) =>
    result.failed.push({
      id: writer.idOf(item.input),
      index: item.index,
      status: err.status,
      category: err.category,
      message: err.hubspotMessage,
    });
  if (items.length === 1) {
    fail(items[0] as Item<I>);
    return;
  }
  const ids = new Set(idsNamedByError(err));
  const properties = new Set(err instanceof HubSpotValidationError ? err.propertyErrors.map((p) => p.name) : []);
  const blamed = items.filter((i) => {
    const id = writer.idOf(i.input);
    return (id !== undefined && ids.has(id)) || writer.propertyNames(i.input).some((p) => properties.has(p));
  });
  if (blamed.length > 0) {
    blamed.forEach(fail);
    await land(
      items.filter((i) => !blamed.includes(i)),
      writer,
      result,
    );
    return;
  }
  const mid = Math.ceil(items.length / 2);
  await land(items.slice(0, mid), writer, result);
  await land(items.slice(mid), writer, result);
}

function statusOf(category: string): number {
  if (category === 'OBJECT_NOT_FOUND') return 404;
  if (category === 'CONFLICT') return 409;
  return 400;
}
