import { eachUnderSavepoint, type Queryable } from '../storage';
import { companyRollupOutbox } from '../responses';
import type { CompanyRecord, ContactRecord } from './properties';

// The contact and company mirror. Every write is an upsert guarded by HubSpot's lastmodifieddate, so a stale
// read (an old sync page, a late webhook re-read) never overwrites a newer row, a re-read of the same state
// changes nothing, and erased people stay erased.

export interface SaveContactsResult {
  created: number;
  updated: number;
  /** Rows left alone because the stored state is as new or newer (or the person was erased). */
  unchanged: number;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * Upserts contacts; when `runId` is given (a full sync), stamps every one as seen by that run. A contact whose
 * primary company changed and who has answers marks both companies for an NPS rollup, in the same transaction.
 */
export async function saveContacts(
  tx: Queryable,
  portalId: number,
  records: ContactRecord[],
  runId?: string,
): Promise<SaveContactsResult> {
  if (records.length === 0) return { created: 0, updated: 0, unchanged: 0 };
  const unique = [...new Map(records.map((r) => [r.contactId, r])).values()];
  const col = <T>(f: (r: ContactRecord) => T) => unique.map(f);
  const r = await tx.query<{
    contact_id: string;
    inserted: boolean;
    company_id: string | null;
    old_company_id: string | null;
  }>(
    `WITH input AS (
       SELECT * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::text[],
                            $10::timestamptz[], $11::timestamptz[], $12::boolean[], $13::timestamptz[], $14::boolean[],
                            $15::text[], $16::text[], $17::text[])
         AS t(contact_id, email, firstname, lastname, language, owner_id, company_id, lifecycle_stage, hs_created_at, customer_since, opted_out, hs_updated_at, email_bounced,
              mobilephone, phone, country)
     ), old AS (
       SELECT c.contact_id, c.company_id FROM contacts c JOIN input USING (contact_id) WHERE c.portal_id = $1
     )
     INSERT INTO contacts AS c (portal_id, contact_id, email, firstname, lastname, language, owner_id, company_id, lifecycle_stage,
                                hs_created_at, customer_since, opted_out, hs_updated_at, email_bounced, mobilephone, phone, country, synced_at)
     SELECT $1, contact_id, email, firstname, lastname, language, owner_id, company_id, lifecycle_stage, hs_created_at, customer_since,
            opted_out, hs_updated_at, email_bounced, mobilephone, phone, country, now() FROM input
     ON CONFLICT (portal_id, contact_id) DO UPDATE SET
       email = EXCLUDED.email, firstname = EXCLUDED.firstname, lastname = EXCLUDED.lastname, language = EXCLUDED.language,
       owner_id = EXCLUDED.owner_id, company_id = EXCLUDED.company_id, lifecycle_stage = EXCLUDED.lifecycle_stage,
       hs_created_at = EXCLUDED.hs_created_at, customer_since = EXCLUDED.customer_since, opted_out = EXCLUDED.opted_out,
       email_bounced = EXCLUDED.email_bounced, hs_updated_at = EXCLUDED.hs_updated_at, synced_at = now(),
       mobilephone = EXCLUDED.mobilephone, phone = EXCLUDED.phone, country = EXCLUDED.country,
       -- A deletion stands until HubSpot shows the record modified after it (a restore); then the contact lives again.
       deleted_at = CASE WHEN c.deleted_at IS NOT NULL AND (EXCLUDED.hs_updated_at IS NULL OR EXCLUDED.hs_updated_at <= c.deleted_at)
                         THEN c.deleted_at END,
       merged_into = CASE WHEN c.deleted_at IS NOT NULL AND (EXCLUDED.hs_updated_at IS NULL OR EXCLUDED.hs_updated_at <= c.deleted_at)
                          THEN c.merged_into END
     WHERE c.erased_at IS NULL AND (c.hs_updated_at IS NULL OR EXCLUDED.hs_updated_at IS NULL OR EXCLUDED.hs_updated_at > c.hs_updated_at)
     RETURNING c.contact_id, (xmax = 0) AS inserted, c.company_id,
       (SELECT old.company_id FROM old WHERE old.contact_id = c.contact_id) AS old_company_id`,
    [
      portalId,
      col((x) => x.contactId),
      col((x) => x.email),
      col((x) => x.firstname),
      col((x) => x.lastname),
      col((x) => x.language),
      col((x) => x.ownerId),
      col((x) => x.companyId),
      col((x) => x.lifecycleStage),
      col((x) => iso(x.createdAt)),
      col((x) => iso(x.customerSince)),
      col((x) => x.optedOut),
      col((x) => iso(x.updatedAt)),
      col((x) => x.bounced),
      col((x) => x.mobilephone ?? null),
      col((x) => x.phone ?? null),
      col((x) => x.country ?? null),
    ],
  );
  if (runId)
    await markSeenByRun(
      tx,
      portalId,
      col((x) => x.contactId),
      runId,
    );
  const moved = r.rows.filter(
    (row) => !row.inserted && String(row.company_id ?? '') !== String(row.old_company_id ?? ''),
  );
  await markCompanyRollups(tx, portalId, moved);
  const created = r.rows.filter((row) => row.inserted).length;
  return { created, updated: r.rows.length - created, unchanged: unique.length - r.rows.length };
}

async function markSeenByRun(tx: Queryable, portalId: number, contactIds: string[], runId: string): Promise<void> {
  await tx.query(`UPDATE contacts SET sync_run_id = $3 WHERE portal_id = $1 AND contact_id = ANY($2::bigint[])`, [
    portalId,
    contactIds,
    runId,
  ]);
}

export interface SkippedRecord {
  id: string;
  reason: string;
}

/**
 * saveContacts one contact at a time, each under its own savepoint: a contact the database refuses is skipped
 * (and reported) while the others are saved. A skipped contact is still stamped as seen by the run, so it keeps
 * its last stored state rather than being taken for deleted. The slow path, for a page whose batch write failed.
 */
export async function saveContactsOneByOne(
  tx: Queryable,
  portalId: number,
  records: ContactRecord[],
  runId?: string,
): Promise<SaveContactsResult & { skipped: SkippedRecord[] }> {
  const each = await eachUnderSavepoint(tx, records, (r) => saveContacts(tx, portalId, [r]));
  if (runId) await markSeenByRun(tx, portalId, [...new Set(records.map((r) => r.contactId))], runId);
  const total = { created: 0, updated: 0, unchanged: 0, skipped: [] as SkippedRecord[] };
  each.forEach((r, i) => {
    if (!r.ok) return void total.skipped.push({ id: records[i]!.contactId, reason: r.error });
    total.created += r.value.created;
    total.updated += r.value.updated;
    total.unchanged += r.value.unchanged;
  });
  return total;
}

/** saveCompanies one company at a time under savepoints; a company the database refuses is skipped and reported. */
export async function saveCompaniesOneByOne(
  tx: Queryable,
  portalId: number,
  records: CompanyRecord[],
): Promise<{ saved: number; skipped: SkippedRecord[] }> {
  const each = await eachUnderSavepoint(tx, records, (r) => saveCompanies(tx, portalId, [r]));
  const skipped = each.flatMap((r, i) => (r.ok ? [] : [{ id: records[i]!.companyId, reason: r.error }]));
  return { saved: each.reduce((n, r) => n + (r.ok ? r.value : 0), 0), skipped };
}

// Company NPS only depends on answers, so a contact without any cannot change it.
async function markCompanyRollups(
  tx: Queryable,
  portalId: number,
  moved: Array<{ contact_id: string; company_id: string | null; old_company_id: string | null }>,
) {
  if (moved.length === 0) return;
  const answered = await tx.query<{ contact_id: string }>(
    `SELECT DISTINCT contact_id FROM responses WHERE portal_id = $1 AND contact_id = ANY($2::bigint[])`,
    [portalId, moved.map((m) => m.contact_id)],
  );
  const withAnswers = new Set(answered.rows.map((a) => String(a.contact_id)));
  const companies = new Set<string>();
  for (const m of moved) {
    if (!withAnswers.has(String(m.contact_id))) continue;
    if (m.old_company_id) companies.add(String(m.old_company_id));
    if (m.company_id) companies.add(String(m.company_id));
  }
  for (const companyId of companies) await companyRollupOutbox.mark(tx, portalId, companyId);
}

export async function saveCompanies(tx: Queryable, portalId: number, records: CompanyRecord[]): Promise<number> {
  if (records.length === 0) return 0;
  const unique = [...new Map(records.map((r) => [r.companyId, r])).values()];
  const r = await tx.query(
    `INSERT INTO companies (portal_id, company_id, name, domain, industry, owner_id, updated_at)
     SELECT $1, * , now() FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[])
     ON CONFLICT (portal_id, company_id) DO UPDATE SET name = EXCLUDED.name, domain = EXCLUDED.domain, industry = EXCLUDED.industry,
       owner_id = EXCLUDED.owner_id, updated_at = now()`,
    [
      portalId,
      unique.map((c) => c.companyId),
      unique.map((c) => c.name),
      unique.map((c) => c.domain),
      unique.map((c) => c.industry),
      unique.map((c) => c.ownerId),
    ],
  );
  return r.rowCount;
}

/** Ids among `contactIds` that are not mirrored yet (erased tombstones count as mirrored: never re-fetch them). */
export async function missingContactIds(db: Queryable, portalId: number, contactIds: string[]): Promise<string[]> {
  if (contactIds.length === 0) return [];
  const r = await db.query<{ contact_id: string }>(
    `SELECT contact_id FROM contacts WHERE portal_id = $1 AND contact_id = ANY($2::bigint[])`,
    [portalId, contactIds],
  );
  const known = new Set(r.rows.map((x) => String(x.contact_id)));
  return [...new Set(contactIds)].filter((id) => !known.has(id));
}

/** Company ids among `companyIds` not in the mirror yet. */
export async function missingCompanyIds(db: Queryable, portalId: number, companyIds: string[]): Promise<string[]> {
  if (companyIds.length === 0) return [];
  const r = await db.query<{ company_id: string }>(
    `SELECT company_id FROM companies WHERE portal_id = $1 AND company_id = ANY($2::bigint[])`,
    [portalId, companyIds],
  );
  const known = new Set(r.rows.map((x) => String(x.company_id)));
  return [...new Set(companyIds)].filter((id) => !known.has(id));
}

/**
 * Marks contacts deleted as of `at` (rows are kept for history: answers stay attributed) and turns their
 * scheduled invitations into skips, so nobody is surveyed after leaving the CRM. With `onlyIfNotNewer`, a
 * contact HubSpot shows modified after `at` (restored since) is left alone. Returns the ids that changed.
 */
export async function markContactsDeleted(
  tx: Queryable,
  portalId: number,
  contactIds: string[],
  at: Date,
  opts: { mergedInto?: string; onlyIfNotNewer?: boolean } = {},
): Promise<string[]> {
  if (contactIds.length === 0) return [];
  const r = await tx.query<{ contact_id: string }>(
    `UPDATE contacts SET deleted_at = COALESCE(deleted_at, $3), merged_into = COALESCE($4::bigint, merged_into), synced_at = now()
     WHERE portal_id = $1 AND contact_id = ANY($2::bigint[])
       AND (deleted_at IS NULL OR ($4::bigint IS NOT NULL AND merged_into IS DISTINCT FROM $4::bigint))
       AND (NOT $5::boolean OR hs_updated_at IS NULL OR hs_updated_at <= $3)
     RETURNING contact_id`,
    [portalId, contactIds, at, opts.mergedInto ?? null, opts.onlyIfNotNewer ?? false],
  );
  const changed = r.rows.map((x) => String(x.contact_id));
  await skipScheduledInvitations(tx, portalId, changed, 'contact_deleted');
  return changed;
}

async function skipScheduledInvitations(
  tx: Queryable,
  portalId: number,
  contactIds: string[],
  reason: string,
): Promise<number> {
  if (contactIds.length === 0) return 0;
  const r = await tx.query(
    `UPDATE invitations SET status = 'skipped', skip_reason = $3, updated_at = now()
     WHERE portal_id = $1 AND contact_id = ANY($2::bigint[]) AND status = 'scheduled'`,
    [portalId, contactIds, reason],
  );
  return r.rowCount;
}
