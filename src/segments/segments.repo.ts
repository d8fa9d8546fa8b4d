import type { Queryable } from '../storage';
import type { DimensionKind } from './banding';

// The custom dimensions' state and backfill progress (segment_dimensions) and each contact's values (segment_values).

export type DimensionState = 'backfilling' | 'ready' | 'refused';

export interface DimensionStatus {
  dimension: string;
  kind: DimensionKind;
  label: string;
  signature: string;
  state: DimensionState;
  done: number;
  total: number;
  afterContactId: string;
  message: string | null;
}

interface StatusRow {
  dimension: string;
  kind: DimensionKind;
  label: string;
  signature: string;
  state: DimensionState;
  done: number;
  total: number;
  after_contact_id: string;
  message: string | null;
}

const toStatus = (r: StatusRow): DimensionStatus => ({
  dimension: r.dimension,
  kind: r.kind,
  label: r.label,
  signature: r.signature,
  state: r.state,
  done: Number(r.done),
  total: Number(r.total),
  afterContactId: String(r.after_contact_id),
  message: r.message,
});

export async function listDimensionStatus(db: Queryable, portalId: number): Promise<DimensionStatus[]> {
  const r = await db.query<StatusRow>('SELECT * FROM segment_dimensions WHERE portal_id = $1 ORDER BY dimension', [
    portalId,
  ]);
  return r.rows.map(toStatus);
}

export async function getDimensionStatus(
  db: Queryable,
  portalId: number,
  dimension: string,
): Promise<DimensionStatus | undefined> {
  const r = await db.query<StatusRow>('SELECT * FROM segment_dimensions WHERE portal_id = $1 AND dimension = $2', [
    portalId,
    dimension,
  ]);
  return r.rows[0] ? toStatus(r.rows[0]) : undefined;
}

/** Records a (re)configured dimension as backfilling from the start, its old values dropped. */
export async function startDimension(
  db: Queryable,
  portalId: number,
  d: { dimension: string; kind: DimensionKind; label: string; signature: string; message?: string },
): Promise<void> {
  await db.query('DELETE FROM segment_values WHERE portal_id = $1 AND dimension = $2', [portalId, d.dimension]);
  await db.query('DELETE FROM segment_daily WHERE portal_id = $1 AND dimension = $2', [portalId, d.dimension]);
  await db.query(
    `INSERT INTO segment_dimensions (portal_id, dimension, kind, label, signature, state, message)
     VALUES ($1, $2, $3, $4, $5, 'backfilling', NULL)
     ON CONFLICT (portal_id, dimension) DO UPDATE SET kind = EXCLUDED.kind, label = EXCLUDED.label,
       signature = EXCLUDED.signature, state = 'backfilling', done = 0, total = 0, after_contact_id = 0, message = NULL,
       updated_at = now()`,
    [portalId, d.dimension, d.kind, d.label, d.signature],
  );
}

export async function relabelDimension(db: Queryable, portalId: number, dimension: string, label: string) {
  await db.query('UPDATE segment_dimensions SET label = $3 WHERE portal_id = $1 AND dimension = $2', [
    portalId,
    dimension,
    label,
  ]);
}

/** Forgets dimensions no longer configured, with their values. */
export async function dropDimensionsExcept(db: Queryable, portalId: number, keep: string[]): Promise<void> {
  await db.query('DELETE FROM segment_values WHERE portal_id = $1 AND NOT (dimension = ANY($2::text[]))', [
    portalId,
    keep,
  ]);
  await db.query('DELETE FROM segment_dimensions WHERE portal_id = $1 AND NOT (dimension = ANY($2::text[]))', [
    portalId,
    keep,
  ]);
  // The values' trigger brought these to zero; the rows themselves go too.
  await db.query('DELETE FROM segment_daily WHERE portal_id = $1 AND NOT (dimension = ANY($2::text[]))', [
    portalId,
    keep,
  ]);
}

export async function saveProgress(
  db: Queryable,
  portalId: number,
  dimension: string,
  p: { state: DimensionState; done: number; total: number; afterContactId: string; message?: string | null },
): Promise<void> {
  await db.query(
    `UPDATE segment_dimensions SET state = $3, done = $4, total = $5, after_contact_id = $6, message = $7, updated_at = now()
      WHERE portal_id = $1 AND dimension = $2`,
    [portalId, dimension, p.state, p.done, p.total, p.afterContactId, p.message ?? null],
  );
}

/** Refuses a dimension: its values go, the reason stays for the admin page. */
export async function refuseDimension(db: Queryable, portalId: number, dimension: string, message: string) {
  await db.query('DELETE FROM segment_values WHERE portal_id = $1 AND dimension = $2', [portalId, dimension]);
  await db.query('DELETE FROM segment_daily WHERE portal_id = $1 AND dimension = $2', [portalId, dimension]);
  await db.query(
    `UPDATE segment_dimensions SET state = 'refused', message = $3, updated_at = now() WHERE portal_id = $1 AND dimension = $2`,
    [portalId, dimension, message],
  );
}

/** Mirrored contacts (not deleted, erased or merged away). */
export async function countMirroredContacts(db: Queryable, portalId: number): Promise<number> {
  const r = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM contacts
      WHERE portal_id = $1 AND deleted_at IS NULL AND erased_at IS NULL AND merged_into IS NULL`,
    [portalId],
  );
  return Number(r.rows[0]?.n ?? 0);
}

/** The next mirrored contacts after a contact id, in id order, with their primary company. */
export async function mirroredContactsAfter(
  db: Queryable,
  portalId: number,
  afterContactId: string,
  limit: number,
): Promise<Array<{ contactId: string; companyId: string | null }>> {
  const r = await db.query<{ contact_id: string; company_id: string | null }>(
    `SELECT contact_id, company_id FROM contacts
      WHERE portal_id = $1 AND contact_id > $2::bigint AND deleted_at IS NULL AND erased_at IS NULL AND merged_into IS NULL
      ORDER BY contact_id LIMIT $3`,
    [portalId, afterContactId, limit],
  );
  return r.rows.map((row) => ({
    contactId: String(row.contact_id),
    companyId: row.company_id === null ? null : String(row.company_id),
  }));
}

export interface ContactSegmentValue {
  contactId: string;
  dimension: string;
  /** null: unknown (the row is removed). */
  value: string | null;
  since: Date | null;
}

/** Upserts (or, for unknown values, deletes) contacts' values; unchanged rows are left alone. */
export async function saveSegmentValues(db: Queryable, portalId: number, rows: ContactSegmentValue[]): Promise<void> {
  const known = rows.filter((r) => r.value !== null);
  const unknown = rows.filter((r) => r.value === null);
  if (known.length > 0)
    await db.query(
      `INSERT INTO segment_values AS t (portal_id, contact_id, dimension, value, since)
       SELECT $1, v.contact_id, v.dimension, v.value, v.since
         FROM unnest($2::bigint[], $3::text[], $4::text[], $5::timestamptz[]) AS v (contact_id, dimension, value, since)
        ORDER BY 2, 3
       ON CONFLICT (portal_id, contact_id, dimension) DO UPDATE SET value = EXCLUDED.value, since = EXCLUDED.since
        WHERE t.value IS DISTINCT FROM EXCLUDED.value OR t.since IS DISTINCT FROM EXCLUDED.since`,
      [
        portalId,
        known.map((r) => r.contactId),
        known.map((r) => r.dimension),
        known.map((r) => r.value),
        known.map((r) => r.since?.toISOString() ?? null),
      ],
    );
  if (unknown.length > 0)
    await db.query(
      `DELETE FROM segment_values t USING unnest($2::bigint[], $3::text[]) AS v (contact_id, dimension)
        WHERE t.portal_id = $1 AND t.contact_id = v.contact_id AND t.dimension = v.dimension`,
      [portalId, unknown.map((r) => r.contactId), unknown.map((r) => r.dimension)],
    );
}

export async function distinctValueCount(db: Queryable, portalId: number, dimension: string): Promise<number> {
  const r = await db.query<{ n: string }>(
    'SELECT count(DISTINCT value) AS n FROM segment_values WHERE portal_id = $1 AND dimension = $2',
    [portalId, dimension],
  );
  return Number(r.rows[0]?.n ?? 0);
}

/** Recomputes a dimension's daily rollup from the facts and values (migration 541). */
export async function rebuildDailyCounts(db: Queryable, portalId: number, dimension: string): Promise<void> {
  await db.query('SELECT segment_rebuild_daily($1, $2)', [portalId, dimension]);
}
