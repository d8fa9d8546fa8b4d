import type { Queryable } from '../storage';
import { HISTORY_LIMIT } from '../../extensions/app/cards/contract';
import type { AnswerRow, CardContact, FollowUpRow, InvitationSummary } from './card.repo';

// The contact card's data in one round trip: the SQL function card_contact_data (migration 300) builds one JSON
// document; on PGlite that costs a fraction of seven small result sets, each decoded row by row.

export interface ContactCardData {
  contact: CardContact & { optedOut: boolean; bounced: boolean; deleted: boolean };
  /** The portal's stored settings JSON, unparsed. */
  settings: unknown;
  /** Newest first, at most HISTORY_LIMIT. */
  answers: AnswerRow[];
  total: number;
  invitations: InvitationSummary;
  /** As loadFatigueInput (src/triggers/fatigue.ts) reads it: the latest survey sent, or scheduled and not yet sent. */
  lastSurveyAt: Date | null;
  followUps: FollowUpRow[];
}

interface RawCard {
  contact: ContactCardData['contact'] | null;
  settings: unknown;
  total: number | string;
  answers: Array<Omit<AnswerRow, 'answeredAt' | 'updatedAt'> & { answeredAt: string; updatedAt: string }>;
  latest: { status: string; skipReason: string | null; sentAt: string | null } | null;
  pending: { id: string; sentAt: string | null; scheduledFor: string } | null;
  lastSurveyAt: string | null;
  followUps: Array<Omit<FollowUpRow, 'dueAt'> & { dueAt: string | null }>;
}

const date = (v: string | null) => (v === null ? null : new Date(v));

/** Everything the contact card needs, or null when the portal has no such contact. */
export async function loadContactCardData(
  db: Queryable,
  portalId: number,
  contactId: string,
): Promise<ContactCardData | null> {
  const r = await db.query<{ card: RawCard | string }>('SELECT card_contact_data($1, $2, $3) AS card', [
    portalId,
    contactId,
    HISTORY_LIMIT,
  ]);
  const value = r.rows[0]?.card;
  const raw: RawCard = typeof value === 'string' ? JSON.parse(value) : (value as RawCard);
  if (!raw.contact) return null;
  return {
    contact: raw.contact,
    settings: raw.settings,
    total: Number(raw.total),
    answers: raw.answers.map((a) => ({
      ...a,
      score: Number(a.score),
      answeredAt: new Date(a.answeredAt),
      updatedAt: new Date(a.updatedAt),
    })),
    invitations: {
      latest: raw.latest
        ? { status: raw.latest.status, skipReason: raw.latest.skipReason, sentAt: date(raw.latest.sentAt) }
        : null,
      pending: raw.pending
        ? { id: raw.pending.id, sentAt: date(raw.pending.sentAt), scheduledFor: new Date(raw.pending.scheduledFor) }
        : null,
    },
    lastSurveyAt: date(raw.lastSurveyAt),
    followUps: raw.followUps.map((f) => ({ ...f, dueAt: date(f.dueAt) })),
  };
}
