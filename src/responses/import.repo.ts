import type { Queryable } from '../storage';

// How a CSV import finds the contact of a row in the local mirror.

export interface ImportContact {
  contactId: number;
  deleted: boolean;
  /** The contact it was merged into, if any. */
  mergedInto: number | null;
}

export async function findImportContact(
  db: Queryable,
  portalId: number,
  contactId: string,
): Promise<ImportContact | null> {
  const r = await db.query<{ contact_id: string; deleted_at: Date | null; merged_into: string | null }>(
    'SELECT contact_id, deleted_at, merged_into FROM contacts WHERE portal_id = $1 AND contact_id = $2',
    [portalId, contactId],
  );
  const c = r.rows[0];
  if (!c) return null;
  return {
    contactId: Number(c.contact_id),
    deleted: c.deleted_at !== null,
    mergedInto: c.merged_into === null ? null : Number(c.merged_into),
  };
}

/** The live contact with this email (lower-cased), the most recently modified if there are several. */
export async function liveContactIdByEmail(db: Queryable, portalId: number, email: string): Promise<number | null> {
  const r = await db.query<{ contact_id: string }>(
    `SELECT contact_id FROM contacts WHERE portal_id = $1 AND lower(email) = $2 AND deleted_at IS NULL AND merged_into IS NULL
     ORDER BY hs_updated_at DESC NULLS LAST, contact_id DESC LIMIT 1`,
    [portalId, email],
  );
  return r.rows[0] ? Number(r.rows[0].contact_id) : null;
}
