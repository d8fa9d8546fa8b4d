import type { Queryable } from '../../src/storage/db';

/**
 * The one raw INSERT the factories share, for rows no product function creates in the state a test needs.
 * Keys left undefined are not written, so the column defaults apply as they would for the product.
 */
export async function insertRow<T = Record<string, unknown>>(db: Queryable, table: string, values: Record<string, unknown>): Promise<T> {
  const entries = Object.entries(values).filter(([, v]) => v !== undefined);
  const r = await db.query<T>(
    `INSERT INTO ${table} (${entries.map(([k]) => k).join(', ')}) VALUES (${entries.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING *`,
    entries.map(([, v]) => v),
  );
  return r.rows[0]!;
}

/** Sets columns of rows a product function created, for the states only a test needs (attempts, timestamps…). */
export async function updateRow(db: Queryable, table: string, where: Record<string, unknown>, values: Record<string, unknown>): Promise<void> {
  const sets = Object.entries(values).filter(([, v]) => v !== undefined);
  if (sets.length === 0) return;
  const conds = Object.entries(where);
  await db.query(
    `UPDATE ${table} SET ${sets.map(([k], i) => `${k} = $${i + 1}`).join(', ')} WHERE ${conds.map(([k], i) => `${k} = $${sets.length + i + 1}`).join(' AND ')}`,
    [...sets.map(([, v]) => v), ...conds.map(([, v]) => v)],
  );
}

export const isoOrNull = (v: Date | string | null | undefined): Date | null => (v === null || v === undefined ? null : new Date(v));
