import type { Queryable } from '../../src/storage/db';

/**
 * The one raw INSERT the factories share, for rows no product function creates in the state a test needs.
 * Keys left undefined are written as DEFAULT, so the column defaults apply as they would for the product.
 */
export async function insertRow<T = Record<string, unknown>>(
  db: Queryable,
  table: string,
  values: Record<string, unknown>,
): Promise<T> {
  return (await insertRows<T>(db, table, [values]))[0]!;
}

/** Many rows in few statements (500 a statement), returned in the order given. */
export async function insertRows<T = Record<string, unknown>>(
  db: Queryable,
  table: string,
  rows: Array<Record<string, unknown>>,
): Promise<T[]> {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r).filter((k) => r[k] !== undefined)))];
  const out: T[] = [];
  for (let start = 0; start < rows.length; start += 500) {
    const params: unknown[] = [];
    const tuples = rows.slice(start, start + 500).map((r) => {
      const cells = columns.map((c) => {
        if (r[c] === undefined) return 'DEFAULT';
        params.push(r[c]);
        return `$${params.length}`;
      });
      return `(${cells.join(', ')})`;
    });
    const r = await db.query<T>(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')} RETURNING *`,
      params,
    );
    out.push(...r.rows);
  }
  return out;
}

/** Sets columns of rows a product function created, for the states only a test needs (attempts, timestamps…). */
export async function updateRow(
  db: Queryable,
  table: string,
  where: Record<string, unknown>,
  values: Record<string, unknown>,
): Promise<void> {
  const sets = Object.entries(values).filter(([, v]) => v !== undefined);
  if (sets.length === 0) return;
  const conds = Object.entries(where);
  await db.query(
    `UPDATE ${table} SET ${sets.map(([k], i) => `${k} = $${i + 1}`).join(', ')} WHERE ${conds.map(([k], i) => `${k} = $${sets.length + i + 1}`).join(' AND ')}`,
    [...sets.map(([, v]) => v), ...conds.map(([, v]) => v)],
  );
}

export const isoOrNull = (v: Date | string | null | undefined): Date | null =>
  v === null || v === undefined ? null : new Date(v);
