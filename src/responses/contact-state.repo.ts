import type { Config } from '../config';
import type { Queryable } from '../storage';
import { openSurveyLinkFor } from '../core';
import type { Answer, ContactState, InvitationStatus } from './contact-properties';

// Reads, for many contacts at once, everything their `nps_*` properties are computed from.

export interface LoadedContact extends ContactState {
  /** The local mirror knows the contact was deleted or merged away in HubSpot. */
  gone: 'deleted' | 'merged' | null;
}

export async function loadContactStates(
  db: Queryable,
  config: Pick<Config, 'publicBaseUrl' | 'surveySigningKey'>,
  portalId: number,
  contactIds: number[],
  now: Date,
): Promise<Map<number, LoadedContact>> {
  const states = new Map<number, LoadedContact>();
  for (const id of contactIds)
    states.set(id, { answers: [], latestInvitationStatus: null, lastSurveySentAt: null, surveyLink: null, gone: null });
  if (contactIds.length === 0) return states;
  const params = [portalId, contactIds];

  const contacts = await db.query<{ contact_id: string; deleted_at: Date | null; merged_into: string | null }>(
    'SELECT contact_id, deleted_at, merged_into FROM contacts WHERE portal_id = $1 AND contact_id = ANY($2::bigint[])',
    params,
  );
  for (const c of contacts.rows) {
    const s = states.get(Number(c.contact_id))!;
    s.gone = c.merged_into !== null ? 'merged' : c.deleted_at !== null ? 'deleted' : null;
  }

  const answers = await db.query<{
    contact_id: string;
    score: number;
    comment: string | null;
    follow_up_answer: string | null;
    answered_at: Date | string;
    updated_at: Date | string;
  }>(
    `SELECT contact_id, score, comment, follow_up_answer, answered_at, updated_at
       FROM responses WHERE portal_id = $1 AND contact_id = ANY($2::bigint[])`,
    params,
  );
  for (const a of answers.rows) {
    const answer: Answer = {
      score: Number(a.score),
      comment: a.comment,
      followUpAnswer: a.follow_up_answer,
      answeredAt: new Date(a.answered_at),
      updatedAt: new Date(a.updated_at),
    };
    states.get(Number(a.contact_id))!.answers.push(answer);
  }

  // Review clicks are recorded by src/reviews (its table); only the latest click is a property.
  const clicks = await db.query<{ contact_id: string; clicked_at: Date | string }>(
    'SELECT contact_id, max(clicked_at) AS clicked_at FROM review_clicks WHERE portal_id = $1 AND contact_id = ANY($2::bigint[]) GROUP BY contact_id',
    params,
  );
  for (const c of clicks.rows) states.get(Number(c.contact_id))!.reviewClickedAt = new Date(c.clicked_at);

  // A scheduled invitation has not reached the contact yet: the status shown is that of the last one that did.
  const invitations = await db.query<{
    contact_id: string;
    status: InvitationStatus;
    last_sent_at: Date | string | null;
    open_hubspot: boolean;
  }>(
    `SELECT contact_id,
       (array_agg(status ORDER BY created_at DESC) FILTER (WHERE status <> 'scheduled'))[1] AS status,
       max(sent_at) AS last_sent_at,
       bool_or(channel = 'hubspot' AND status IN ('sent', 'reminded')) AS open_hubspot
     FROM invitations WHERE portal_id = $1 AND contact_id = ANY($2::bigint[]) GROUP BY contact_id`,
    params,
  );
  for (const i of invitations.rows) {
    const s = states.get(Number(i.contact_id))!;
    s.latestInvitationStatus = i.status ?? null;
    s.lastSurveySentAt = i.last_sent_at ? new Date(i.last_sent_at) : null;
    if (i.open_hubspot) s.surveyLink = await openSurveyLinkFor(db, config, portalId, Number(i.contact_id), now);
  }
  return states;
}
