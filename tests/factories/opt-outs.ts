import type { Queryable } from '../../src/storage/db';
import { insertRow } from './sql';

// A survey opt-out row alone. The product's optOutContact also flags the mirrored contact, skips scheduled
// invitations and marks write-back work; tests use this to check that the opt-out record by itself is honoured,
// so the factory writes only that row (own SQL).

export interface OptOut {
  portalId: number;
  contactId: string;
  invitationId: string | null;
  optedOutAt: Date;
}

export async function anOptOut(
  db: Queryable,
  portalId: number,
  contactId: string | number,
  o: { optedOutAt?: Date; invitationId?: string } = {},
): Promise<OptOut> {
  const optedOutAt = o.optedOutAt ?? new Date();
  await insertRow(db, 'survey_opt_outs', {
    portal_id: portalId,
    contact_id: contactId,
    invitation_id: o.invitationId,
    opted_out_at: optedOutAt,
  });
  return { portalId, contactId: String(contactId), invitationId: o.invitationId ?? null, optedOutAt };
}
