import { DAY_MS } from '../shared';

// Survey fatigue: who may be asked right now. One quiet period per contact covers every trigger and channel,
// so the same rule is applied when an invitation is scheduled and again when it is about to be sent.

type SkipReason = 'quiet_period' | 'opted_out' | 'no_email' | 'bounced' | 'contact_deleted' | 'unknown_contact';

export interface FatigueContact {
  email: string | null;
  optedOut: boolean;
  bounced: boolean;
  deleted: boolean;
}

export interface FatigueInput {
  now: Date;
  quietPeriodDays: number;
  /** null when the contact is not mirrored. */
  contact: FatigueContact | null;
  /** The latest survey sent, or scheduled and not yet sent (which may lie in the future). */
  lastSurveyAt: Date | null;
  /** A person confirmed this survey (e.g. "send now" on the card): the quiet period does not apply. */
  force?: boolean;
}

export type FatigueDecision = { ok: true } | { ok: false; reason: SkipReason; until?: Date };

/**
 * Decides whether a contact may be surveyed at `now`. Reasons are checked from the most permanent to the most
 * temporary, so the reason recorded is the one that matters: a deleted contact is not "in its quiet period".
 * `force` only lifts the quiet period; opt-outs, bounces and missing addresses are never overridden.
 */
export function evaluateFatigue(input: FatigueInput): FatigueDecision {
  const { contact } = input;
  if (!contact) return { ok: false, reason: 'unknown_contact' };
  if (contact.deleted) return { ok: false, reason: 'contact_deleted' };
  if (!contact.email || !contact.email.includes('@')) return { ok: false, reason: 'no_email' };
  if (contact.optedOut) return { ok: false, reason: 'opted_out' };
  if (contact.bounced) return { ok: false, reason: 'bounced' };
  if (input.force || input.quietPeriodDays <= 0 || !input.lastSurveyAt) return { ok: true };
  const until = new Date(input.lastSurveyAt.getTime() + input.quietPeriodDays * DAY_MS);
  // A survey scheduled for later than `now` also blocks: two surveys are never queued for one person at once.
  return until.getTime() > input.now.getTime() ? { ok: false, reason: 'quiet_period', until } : { ok: true };
}
