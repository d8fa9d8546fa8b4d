import { markContactsDeleted, saveContacts } from '../../src/contacts/contacts.repo';
import type { ContactRecord } from '../../src/contacts/properties';
import type { Queryable } from '../../src/storage/db';

// Contacts enter the mirror through the product's upsert (saveContacts), and leave it through markContactsDeleted,
// exactly as a sync or a webhook would write them. Defaults are a contact known only by its id.

export interface Contact extends ContactRecord {
  portalId: number;
  deletedAt: Date | null;
  mergedInto: string | null;
}

export interface ContactOverrides extends Partial<Omit<ContactRecord, 'contactId' | 'companyId'>> {
  contactId?: string | number;
  companyId?: string | number | null;
  /** Deleted in HubSpot at this time (markContactsDeleted). */
  deletedAt?: Date;
  /** With deletedAt: merged into this contact. */
  mergedInto?: string | number;
  /** When the mirror last synced the row; only a test needs to set it (own SQL, no product function writes it alone). */
  syncedAt?: Date;
}

let nextContactId = 7_000_001;

function toRecord(o: ContactOverrides): ContactRecord {
  return {
    contactId: String(o.contactId ?? nextContactId++),
    email: o.email ?? null,
    firstname: o.firstname ?? null,
    lastname: o.lastname ?? null,
    language: o.language ?? null,
    ownerId: o.ownerId ?? null,
    companyId: o.companyId === undefined || o.companyId === null ? null : String(o.companyId),
    lifecycleStage: o.lifecycleStage ?? null,
    createdAt: o.createdAt ?? null,
    customerSince: o.customerSince ?? null,
    optedOut: o.optedOut ?? false,
    bounced: o.bounced ?? false,
    updatedAt: o.updatedAt ?? null,
    mobilephone: o.mobilephone ?? null,
    phone: o.phone ?? null,
    country: o.country ?? null,
  };
}

export async function aContact(db: Queryable, portalId: number, overrides: ContactOverrides = {}): Promise<Contact> {
  const [contact] = await someContacts(db, portalId, [overrides]);
  return contact!;
}

/** Several contacts in one upsert (one round trip, as a sync page writes them). */
export async function someContacts(db: Queryable, portalId: number, list: ContactOverrides[]): Promise<Contact[]> {
  const records = list.map(toRecord);
  await saveContacts(db, portalId, records);
  const contacts: Contact[] = [];
  for (const [i, o] of list.entries()) {
    const r = records[i]!;
    if (o.deletedAt) {
      await markContactsDeleted(
        db,
        portalId,
        [r.contactId],
        o.deletedAt,
        o.mergedInto === undefined ? {} : { mergedInto: String(o.mergedInto) },
      );
    }
    if (o.syncedAt) {
      await db.query('UPDATE contacts SET synced_at = $3 WHERE portal_id = $1 AND contact_id = $2', [
        portalId,
        r.contactId,
        o.syncedAt,
      ]);
    }
    contacts.push({
      ...r,
      portalId,
      deletedAt: o.deletedAt ?? null,
      mergedInto: o.mergedInto === undefined ? null : String(o.mergedInto),
    });
  }
  return contacts;
}
