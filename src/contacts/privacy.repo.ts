import type { Queryable } from '../storage';

// The statements of a privacy erasure (privacy.ts), all run in its one transaction. They reach into other
// features' tables (responses, invitations, follow-ups, opt-outs, workflow callbacks, outbox, webhook events):
// an erasure must leave nothing of the person anywhere.

/** Contacts merged into this one earlier: the same person. */
export async function contactsMergedInto(tx: Queryable, portalId: number, contactId: string): Promise<string[]> {
  const merged = await tx.query<{ contact_id: string }>(
    'SELECT contact_id FROM contacts WHERE portal_id = $1 AND merged_into = $2',
    [portalId, contactId],
  );
  return merged.rows.map((m) => String(m.contact_id));
}

export interface PersonRecords {
  responses: Array<{ id: string; companyId: string | null }>;
  invitationIds: string[];
  /** The contacts' primary companies in the mirror now. */
  currentCompanyIds: Array<string | null>;
}

/** What is stored about the person before it is erased: answers, invitations and current companies. */
export async function personRecords(tx: Queryable, portalId: number, contactIds: string[]): Promise<PersonRecords> {
  const responses = await tx.query<{ id: string; company_id: string | null }>(
    'SELECT id, company_id FROM responses WHERE portal_id = $1 AND contact_id = ANY($2::bigint[])',
    [portalId, contactIds],
  );
  const invitations = await tx.query<{ id: string }>(
    'SELECT id FROM invitations WHERE portal_id = $1 AND contact_id = ANY($2::bigint[])',
    [portalId, contactIds],
  );
  const current = await tx.query<{ company_id: string | null }>(
    'SELECT company_id FROM contacts WHERE portal_id = $1 AND contact_id = ANY($2::bigint[])',
    [portalId, contactIds],
  );
  const companyId = (c: string | null) => (c === null ? null : String(c));
  return {
    responses: responses.rows.map((r) => ({ id: r.id, companyId: companyId(r.company_id) })),
    invitationIds: invitations.rows.map((i) => i.id),
    currentCompanyIds: current.rows.map((c) => companyId(c.company_id)),
  };
}

export interface DeletedPersonData {
  followUps: number;
  outboxItems: number;
  webhookEvents: number;
}

/**
 * Deletes the person's opt-outs, workflow callbacks, follow-ups, answers, invitations, outbox items keyed by
 * `personKeys` (except those of `keepKind`, keyed by something else) and stored webhook events about them.
 */
/**
 * Tables keyed by contact that hold the person (children before parents: responses before invitations). Custom
 * segment values are CRM property values of the person; survey opt-outs and workflow-action bookkeeping name them;
 * web_survey_contacts keeps the web survey's visit time and snooze.
 */
const PERSON_TABLES = [
  'segment_values',
  'survey_opt_outs',
  'web_survey_contacts',
  'workflow_callbacks',
  'follow_ups',
  'responses',
  'invitations',
] as const;

export async function deletePersonData(
  tx: Queryable,
  portalId: number,
  contactIds: string[],
  personKeys: string[],
  keepKind: string,
): Promise<DeletedPersonData> {
  let followUps = 0;
  for (const table of PERSON_TABLES) {
    const r = await tx.query(`DELETE FROM ${table} WHERE portal_id = $1 AND contact_id = ANY($2::bigint[])`, [
      portalId,
      contactIds,
    ]);
    if (table === 'follow_ups') followUps = r.rowCount;
  }
  const outbox = await tx.query(
    `DELETE FROM outbox WHERE portal_id = $1 AND kind <> $3 AND item_key = ANY($2::text[])`,
    [portalId, personKeys, keepKind],
  );
  const events = await tx.query(
    `DELETE FROM webhook_events WHERE portal_id = $1 AND object_id = ANY($2::bigint[]) AND subscription_type <> 'contact.privacyDeletion'
       AND (subscription_type LIKE 'contact.%' OR payload->>'objectTypeId' = '0-1')`,
    [portalId, contactIds],
  );
  return { followUps, outboxItems: outbox.rowCount, webhookEvents: events.rowCount };
}

/** Leaves a tombstone per contact (ids and timestamps only), so a late sync page or webhook cannot bring the data back. */
export async function tombstoneContacts(tx: Queryable, portalId: number, contactIds: string[]): Promise<void> {
  await tx.query(
    `INSERT INTO contacts (portal_id, contact_id, deleted_at, erased_at) SELECT $1, id, now(), now() FROM unnest($2::bigint[]) AS id
     ON CONFLICT (portal_id, contact_id) DO UPDATE SET email = NULL, firstname = NULL, lastname = NULL, language = NULL, owner_id = NULL, mobilephone = NULL, phone = NULL, country = NULL,
       company_id = NULL, lifecycle_stage = NULL, hs_created_at = NULL, customer_since = NULL, opted_out = false, email_bounced = false, email_rejected = NULL,
       sync_run_id = NULL, deleted_at = COALESCE(contacts.deleted_at, now()), erased_at = COALESCE(contacts.erased_at, now()), synced_at = now()`,
    [portalId, contactIds],
  );
}

// The insight rollups keep per-answer facts (contact id, score) until pending changes are folded (migration
// 440): fold now, so nothing of the person is left once the erasure commits.
export async function foldInsightRollups(tx: Queryable, portalId: number): Promise<void> {
  await tx.query('SELECT insight_catch_up($1)', [portalId]);
}
