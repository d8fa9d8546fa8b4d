import type { Queryable } from '../storage';
import type { ActionAnswer, OutputFields } from './payload';

// workflow_callbacks: one row per HubSpot callbackId, and what the invitations behind them say.

type CallbackState = 'responded' | 'waiting' | 'completed' | 'failed';

export interface StoredCallback {
  callbackId: string;
  portalId: number;
  contactId: string;
  invitationId: string | null;
  state: CallbackState;
  response: ActionAnswer;
}

interface Row {
  callback_id: string;
  portal_id: string;
  contact_id: string;
  invitation_id: string | null;
  state: CallbackState;
  response: ActionAnswer | string;
}

const toStored = (r: Row): StoredCallback => ({
  callbackId: r.callback_id,
  portalId: Number(r.portal_id),
  contactId: String(r.contact_id),
  invitationId: r.invitation_id,
  state: r.state,
  response: typeof r.response === 'string' ? (JSON.parse(r.response) as ActionAnswer) : r.response,
});

export async function findCallback(db: Queryable, callbackId: string): Promise<StoredCallback | null> {
  const r = await db.query<Row>(
    'SELECT callback_id, portal_id, contact_id, invitation_id, state, response FROM workflow_callbacks WHERE callback_id = $1',
    [callbackId],
  );
  return r.rows[0] ? toStored(r.rows[0]) : null;
}

export interface NewCallback {
  callbackId: string;
  portalId: number;
  contactId: number;
  invitationId: string | null;
  surveyLabel?: string;
  waitForAnswer: boolean;
  state: 'responded' | 'waiting';
  outcome: 'sent' | 'skipped' | null;
  response: ActionAnswer;
}

/** Stores the answer given for a callbackId; if a concurrent call stored one first, that one is returned. */
export async function storeCallback(db: Queryable, c: NewCallback): Promise<StoredCallback> {
  const r = await db.query<Row>(
    `INSERT INTO workflow_callbacks (callback_id, portal_id, contact_id, invitation_id, survey_label, wait_for_answer, state, outcome, response)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (callback_id) DO NOTHING
     RETURNING callback_id, portal_id, contact_id, invitation_id, state, response`,
    [
      c.callbackId,
      c.portalId,
      c.contactId,
      c.invitationId,
      c.surveyLabel ?? null,
      c.waitForAnswer,
      c.state,
      c.outcome,
      JSON.stringify(c.response),
    ],
  );
  if (r.rows[0]) return toStored(r.rows[0]);
  return (await findCallback(db, c.callbackId))!;
}

export interface WaitingCallback {
  callbackId: string;
  invitationId: string;
  invitationStatus: string;
  skipReason: string | null;
  waitUntil: Date | null;
  answer: { score: number; category: string } | null;
}

/** The waiting callback of an invitation, with what the invitation and its answer say now. */
export async function waitingCallbackFor(
  db: Queryable,
  portalId: number,
  invitationId: string,
): Promise<WaitingCallback | null> {
  const r = await db.query<{
    callback_id: string;
    invitation_id: string;
    status: string;
    skip_reason: string | null;
    wait_until: Date | string | null;
    score: number | null;
    category: string | null;
  }>(
    `SELECT w.callback_id, i.id AS invitation_id, i.status, i.skip_reason, i.wait_until, r.score, r.category
       FROM workflow_callbacks w
       JOIN invitations i ON i.id = w.invitation_id AND i.portal_id = w.portal_id
       LEFT JOIN responses r ON r.invitation_id = i.id
      WHERE w.portal_id = $1 AND w.invitation_id = $2 AND w.state = 'waiting'`,
    [portalId, invitationId],
  );
  const x = r.rows[0];
  if (!x) return null;
  return {
    callbackId: x.callback_id,
    invitationId: x.invitation_id,
    invitationStatus: x.status,
    skipReason: x.skip_reason,
    waitUntil: x.wait_until ? new Date(x.wait_until) : null,
    answer: x.score === null || x.category === null ? null : { score: Number(x.score), category: x.category },
  };
}

export async function markCompleted(
  db: Queryable,
  callbackId: string,
  completion: OutputFields,
  at: Date,
): Promise<void> {
  await db.query(
    `UPDATE workflow_callbacks SET state = 'completed', outcome = $2, completion = $3, completed_at = $4, attempts = attempts + 1, last_error = NULL
      WHERE callback_id = $1 AND state = 'waiting'`,
    [callbackId, String(completion.survey_outcome), JSON.stringify(completion), at],
  );
}

/** HubSpot refused the completion (the enrollment expired or was already resumed): nothing more to do. */
export async function markFailed(db: Queryable, callbackId: string, error: string): Promise<void> {
  await db.query(
    `UPDATE workflow_callbacks SET state = 'failed', attempts = attempts + 1, last_error = $2 WHERE callback_id = $1 AND state = 'waiting'`,
    [callbackId, error.slice(0, 500)],
  );
}

export async function noteAttempt(db: Queryable, callbackId: string, error: string): Promise<void> {
  await db.query('UPDATE workflow_callbacks SET attempts = attempts + 1, last_error = $2 WHERE callback_id = $1', [
    callbackId,
    error.slice(0, 500),
  ]);
}

/** Waiting callbacks whose invitation has an outcome (or whose wait ran out) but no outbox item of `kind`. */
export async function callbacksMissingAMark(
  db: Queryable,
  now: Date,
  kind: string,
): Promise<{ portalId: number; invitationId: string }[]> {
  const r = await db.query<{ portal_id: string; invitation_id: string }>(
    `SELECT w.portal_id, w.invitation_id FROM workflow_callbacks w
       JOIN invitations i ON i.id = w.invitation_id
      WHERE w.state = 'waiting' AND (i.wait_until <= $1 OR i.status IN ('answered', 'expired', 'skipped'))
        AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.portal_id = w.portal_id AND o.kind = $2 AND o.item_key = w.invitation_id::text)
      LIMIT 1000`,
    [now, kind],
  );
  return r.rows.map((row) => ({ portalId: Number(row.portal_id), invitationId: row.invitation_id }));
}

/** The status of the invitation a workflow execution scheduled (it may have been skipped at once). */
export async function invitationStatus(
  db: Queryable,
  portalId: number,
  invitationId: string,
): Promise<{ status: string; skipReason: string | null } | null> {
  const r = await db.query<{ status: string; skip_reason: string | null }>(
    'SELECT status, skip_reason FROM invitations WHERE portal_id = $1 AND id = $2',
    [portalId, invitationId],
  );
  return r.rows[0] ? { status: r.rows[0].status, skipReason: r.rows[0].skip_reason } : null;
}
