import type { Queryable } from './db';

// Storing items one by one inside a transaction, each under its own savepoint, so an item the database refuses is
// skipped while the others are stored. The slow path, for a batch whose one-statement write failed.

// SQLSTATE classes of an error that one row's data causes: data exception (e.g. a NUL in text), integrity
// constraint, program limit (e.g. nesting), raised by a trigger. Anything else (connection lost, a missing table, a
// syntax error) concerns the whole batch.
const ROW_ERROR_CLASS = /^(22|23|54|P0)/;

/** True when `err` is a database error caused by the data of a row, not by the database or the statement. */
export function isRowError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && ROW_ERROR_CLASS.test(code);
}

type EachResult<R> = { ok: true; value: R } | { ok: false; error: string };

/**
 * Runs `write` for each item under its own savepoint of `tx`. An item whose write fails with a row error (see
 * isRowError) is rolled back to its savepoint and reported; any other error is thrown and fails the transaction.
 */
export async function eachUnderSavepoint<T, R>(
  tx: Queryable,
  items: readonly T[],
  write: (item: T) => Promise<R>,
): Promise<Array<EachResult<R>>> {
  const out: Array<EachResult<R>> = [];
  for (const item of items) {
    await tx.query('SAVEPOINT each_item');
    try {
      out.push({ ok: true, value: await write(item) });
    } catch (err) {
      if (!isRowError(err)) throw err;
      await tx.query('ROLLBACK TO SAVEPOINT each_item');
      out.push({ ok: false, error: `${(err as { code: string }).code}: ${(err as Error).message}`.slice(0, 300) });
    }
    await tx.query('RELEASE SAVEPOINT each_item');
  }
  return out;
}
