import type { Db } from '../storage';
import { contactOfAnswer, excludeAnswer } from './exclusions.repo';

// Excluding an answer from the CRM card (src/card-api calls this after checking the HubSpot signature). The card
// shows one contact's answers, so the answer must be that contact's: any other id, of this portal or another, is
// "not found". HubSpot retries a card request once on a 5xx or a lost connection: excluding an answer that is
// already excluded counts as done, so the retry answers like the first request.

export type CardExcludeOutcome = 'excluded' | 'not_found';

export async function excludeFromCard(
  db: Db,
  who: { portalId: number; actor: string; reason: string; now: Date },
  contactId: string,
  responseId: string,
): Promise<CardExcludeOutcome> {
  if ((await contactOfAnswer(db, who.portalId, responseId)) !== contactId) return 'not_found';
  const outcome = await excludeAnswer(db, who, responseId);
  return outcome === 'not_found' ? 'not_found' : 'excluded';
}
