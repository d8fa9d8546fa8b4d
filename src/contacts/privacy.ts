import type { Db } from '../storage';
import { companyRollupOutbox } from '../responses';
import {
  contactsMergedInto,
  deletePersonData,
  foldInsightRollups,
  personRecords,
  tombstoneContacts,
} from './privacy.repo';

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

export async function eraseContact(
  db: Db,
  portalId: number,
  contactId: string,
  opts: ErasureOptions = {},
): Promise<ErasureResult> {
  return db.transaction(async (tx) => {
    // Records merged into this person earlier are the same person.
    const contactIds = [contactId, ...(await contactsMergedInto(tx, portalId, contactId))];
    const stored = await personRecords(tx, portalId, contactIds);
    const personKeys = [...contactIds, ...stored.responses.map((r) => r.id), ...stored.invitationIds];
    if (stored.invitationIds.length > 0) await opts.forgetMail?.(stored.invitationIds);

    // Company rollup items are keyed by company id, which may equal a contact id by coincidence: keep those.
    const deleted = await deletePersonData(tx, portalId, contactIds, personKeys, companyRollupOutbox.kind);
    await tombstoneContacts(tx, portalId, contactIds);
    await foldInsightRollups(tx, portalId);
    // Their answers no longer count towards their company's NPS.
    const companies =
      stored.responses.length === 0
        ? new Set<string>()
        : new Set(
            [...stored.responses.map((r) => r.companyId), ...stored.currentCompanyIds].filter(
              (c): c is string => c !== null,
            ),
          );
    for (const companyId of companies) await companyRollupOutbox.mark(tx, portalId, companyId);
    return {
      contactIds,
      responses: stored.responses.length,
      invitations: stored.invitationIds.length,
      followUps: deleted.followUps,
      outboxItems: deleted.outboxItems,
      webhookEvents: deleted.webhookEvents,
    };
  });
}
