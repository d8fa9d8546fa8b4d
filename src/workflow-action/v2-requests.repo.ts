import type { Queryable } from '../storage';
import type { ActionAnswer } from './payload';

// workflow_v2_requests: v2-signed executions seen recently, by sha256(signature + body), with the answer given.

export type SeenV2Request = { fresh: true } | { fresh: false; callbackId: string; response: ActionAnswer | null };

/** Records the request as seen; if it was seen before, what is on record for it (its answer, once there is one). */
export async function claimV2Request(
  db: Queryable,
  r: { digest: string; callbackId: string; at: Date },
): Promise<SeenV2Request> {
  const inserted = await db.query(
    `INSERT INTO workflow_v2_requests (digest, callback_id, seen_at) VALUES ($1, $2, $3)
     ON CONFLICT (digest) DO NOTHING RETURNING digest`,
    [r.digest, r.callbackId, r.at],
  );
  if (inserted.rowCount > 0) return { fresh: true };
  const seen = await db.query<{ callback_id: string; response: ActionAnswer | string | null }>(
    'SELECT callback_id, response FROM workflow_v2_requests WHERE digest = $1',
    [r.digest],
  );
  const row = seen.rows[0];
  if (!row) return { fresh: true };
  const response = typeof row.response === 'string' ? (JSON.parse(row.response) as ActionAnswer) : row.response;
  return { fresh: false, callbackId: row.callback_id, response };
}

export async function recordV2Answer(db: Queryable, digest: string, response: ActionAnswer): Promise<void> {
  await db.query('UPDATE workflow_v2_requests SET response = $2 WHERE digest = $1 AND response IS NULL', [
    digest,
    JSON.stringify(response),
  ]);
}

export async function deleteV2RequestsBefore(db: Queryable, before: Date): Promise<void> {
  await db.query('DELETE FROM workflow_v2_requests WHERE seen_at < $1', [before]);
}
