import type { Db } from '../storage';
import { markOutbox } from '../outbox';

// contact.privacyDeletion (GDPR "right to be forgotten"): HubSpot has permanently deleted the person and asks
// every app to do the same. We erase their personal and survey data: answers, comments, follow-ups,
// invitations, pending outbox work about them, stored webhook payloads about them (a propertyChange carries
// e.g. the email address), and the contact row's personal fields. What remains is a tombstone (ids and
// timestamps only) so a late sync page or webhook cannot bring the data back.

export interface ErasureResult {
  contactIds: string[];
  responses: number;
  invitations: number;
  followUps: number;
  outboxItems: number;
  webhookEvents: number;
}

export interface ErasureOptions {
  /** Deletes stored copies of the person's survey mails (the demo's mail outbox); runs before the commit, so a
   * failed erasure is retried with the same invitations. */
  forgetMail?: (invitationIds: string[]) => Promise<unknown>;
}

export async function eraseContact(db: Db, portalId: number, contactId: string, opts: ErasureOptions = {}): Promise<ErasureResult> {
  return db.transaction(async (tx) => {
    // Records merged into this person earlier are the same person.
    const merged = await tx.query<{ contact_id: string }>('SELECT contact_id FROM contacts WHERE portal_id = $1 AND merged_into = $2', [portalId, contactId]);
    const contactIds = [contactId, ...merged.rows.map((m) => String(m.contact_id))];
    const responses = await tx.query<{ id: string; company_id: string | null }>(
      'SELECT id, company_id FROM responses WHERE portal_id = $1 AND contact_id = ANY($2::bigint[])',
      [portalId, contactIds],
    );
    const invitations = await tx.query<{ id: string }>('SELECT id FROM invitations WHERE portal_id = $1 AND contact_id = ANY($2::bigint[])', [portalId, contactIds]);
    const current = await tx.query<{ company_id: string | null }>('SELECT company_id FROM contacts WHERE portal_id = $1 AND contact_id = ANY($2::bigint[])', [portalId, contactIds]);
    const personKeys = [...contactIds, ...responses.rows.map((r) => r.id), ...invitations.rows.map((i) => i.id)];
    if (invitations.rows.length > 0) await opts.forgetMail?.(invitations.rows.map((i) => i.id));

    // Survey opt-outs and workflow-action bookkeeping name the person too (surveys and workflow-action features).
    await tx.query('DELETE FROM survey_opt_outs WHERE portal_id = $1 AND contact_id = ANY($2::bigint[])', [portalId, contactIds]);
    await tx.query('DELETE FROM workflow_callbacks WHERE portal_id = $1 AND contact_id = ANY($2::bigint[])', [portalId, contactIds]);
    const followUps = await tx.query('DELETE FROM follow_ups WHERE portal_id = $1 AND contact_id = ANY($2::bigint[])', [portalId, contactIds]);
    await tx.query('DELETE FROM responses WHERE portal_id = $1 AND contact_id = ANY($2::bigint[])', [portalId, contactIds]);
    await tx.query('DELETE FROM invitations WHERE portal_id = $1 AND contact_id = ANY($2::bigint[])', [portalId, contactIds]);
    // Company rollup items are keyed by company id, which may equal a contact id by coincidence: keep those.
    const outbox = await tx.query(`DELETE FROM outbox WHERE portal_id = $1 AND kind <> 'company-rollup' AND item_key = ANY($2::text[])`, [portalId, personKeys]);
    const events = await tx.query(
      `DELETE FROM webhook_events WHERE portal_id = $1 AND object_id = ANY($2::bigint[]) AND subscription_type <> 'contact.privacyDeletion'
         AND (subscription_type LIKE 'contact.%' OR payload->>'objectTypeId' = '0-1')`,
      [portalId, contactIds],
    );
    await tx.query(
      `INSERT INTO contacts (portal_id, contact_id, deleted_at, erased_at) SELECT $1, id, now(), now() FROM unnest($2::bigint[]) AS id
       ON CONFLICT (portal_id, contact_id) DO UPDATE SET email = NULL, firstname = NULL, lastname = NULL, language = NULL, owner_id = NULL,
         company_id = NULL, lifecycle_stage = NULL, hs_created_at = NULL, customer_since = NULL, opted_out = false, email_bounced = false, email_rejected = NULL,
         sync_run_id = NULL, deleted_at = COALESCE(contacts.deleted_at, now()), erased_at = COALESCE(contacts.erased_at, now()), synced_at = now()`,
      [portalId, contactIds],
    );
    // The insight rollups keep per-answer facts (contact id, score) until pending changes are folded (migration
    // 440): fold now, so nothing of the person is left once this commits.
    await tx.query('SELECT insight_catch_up($1)', [portalId]);
    // Their answers no longer count towards their company's NPS.
    const companies = responses.rowCount === 0 ? new Set<string>() : new Set([...responses.rows, ...current.rows].map((r) => r.company_id).filter((c): c is string => c !== null).map(String));
    for (const companyId of companies) await markOutbox(tx, portalId, 'company-rollup', companyId);
    return {
      contactIds,
      responses: responses.rowCount,
      invitations: invitations.rowCount,
      followUps: followUps.rowCount,
      outboxItems: outbox.rowCount,
      webhookEvents: events.rowCount,
    };
  });
}
