import type { Queryable } from '../storage';

// Failed sign-in attempts (sign-in-throttle.ts), one row per failure.

export async function insertSignInFailure(
  db: Queryable,
  f: { ip: string; portalId: number | null; at: Date },
): Promise<void> {
  await db.query('INSERT INTO sign_in_failures (ip, portal_id, failed_at) VALUES ($1, $2, $3)', [
    f.ip,
    f.portalId,
    f.at,
  ]);
}

export async function deleteSignInFailuresBefore(db: Queryable, before: Date): Promise<void> {
  await db.query('DELETE FROM sign_in_failures WHERE failed_at <= $1', [before]);
}

/**
 * The time of the `limit`-th most recent failure after `since` for this address (or portal): while it is inside
 * the window the limit is reached. Null when there are fewer failures.
 */
export async function nthRecentFailure(
  db: Queryable,
  by: { ip: string } | { portalId: number },
  since: Date,
  limit: number,
): Promise<Date | null> {
  const [column, value] = 'ip' in by ? ['ip', by.ip] : ['portal_id', by.portalId];
  const r = await db.query<{ failed_at: Date | string }>(
    `SELECT failed_at FROM sign_in_failures WHERE ${column} = $1 AND failed_at > $2
      ORDER BY failed_at DESC OFFSET $3 LIMIT 1`,
    [value, since, limit - 1],
  );
  const row = r.rows[0];
  return row ? new Date(row.failed_at) : null;
}
