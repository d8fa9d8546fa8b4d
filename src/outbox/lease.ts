import type { Queryable } from '../storage';

// A lease gives one holder the right to work on (portal, kind) for a while, across every app copy. A holder that
// dies simply lets it run out. Plain rows rather than advisory locks: they need no pinned connection and work the
// same on PGlite and on a Postgres pool.

/** Takes the lease if it is free, expired, or already ours; true when we hold it afterwards. */
export async function claimLease(
  db: Queryable,
  portalId: number,
  kind: string,
  holder: string,
  forMs: number,
): Promise<boolean> {
  const r = await db.query<{ holder: string }>(
    `INSERT INTO outbox_leases (portal_id, kind, holder, lease_until) VALUES ($1, $2, $3, now() + $4 * interval '1 millisecond')
     ON CONFLICT (portal_id, kind) DO UPDATE SET holder = EXCLUDED.holder, lease_until = EXCLUDED.lease_until
       WHERE outbox_leases.lease_until < now() OR outbox_leases.holder = EXCLUDED.holder
     RETURNING holder`,
    [portalId, kind, holder, forMs],
  );
  return r.rows[0]?.holder === holder;
}

export async function releaseLease(db: Queryable, portalId: number, kind: string, holder: string): Promise<void> {
  await db.query('DELETE FROM outbox_leases WHERE portal_id = $1 AND kind = $2 AND holder = $3', [
    portalId,
    kind,
    holder,
  ]);
}
