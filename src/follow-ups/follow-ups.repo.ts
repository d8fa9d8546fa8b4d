import type { Queryable } from '../storage';
import type { Category } from '../core';
import type { FollowUpStatus } from './plan';
import type { TaskContent } from './content';

// follow_ups rows and the answers they belong to. Every query filters on the portal.

export interface FollowUpSource {
  responseId: string;
  contactId: string;
  score: number;
  category: Category;
  comment: string | null;
  followUpAnswer: string | null;
  trigger: string;
  sourceObjectType: string | null;
  sourceObjectId: string | null;
  sourcePipeline: string | null;
  sourceStage: string | null;
  answeredAt: Date;
  /** The contact's owner now (mirror), else when the answer was recorded. */
  contactOwnerId: string | null;
  firstname: string | null;
  lastname: string | null;
  email: string | null;
  followUp: {
    id: string;
    hubspotTaskId: string | null;
    status: FollowUpStatus;
    category: Category;
    contentHash: string | null;
    createAttemptedAt: Date | null;
  } | null;
}

interface SourceRow {
  response_id: string;
  contact_id: string;
  score: number;
  category: Category;
  comment: string | null;
  follow_up_answer: string | null;
  trigger: string;
  source_object_type: string | null;
  source_object_id: string | null;
  source_pipeline: string | null;
  source_stage: string | null;
  answered_at: Date | string;
  owner_id: string | null;
  firstname: string | null;
  lastname: string | null;
  email: string | null;
  fu_id: string | null;
  fu_task_id: string | null;
  fu_status: FollowUpStatus | null;
  fu_category: Category | null;
  fu_hash: string | null;
  fu_attempted_at: Date | string | null;
}

export async function loadFollowUpSources(
  db: Queryable,
  portalId: number,
  responseIds: string[],
): Promise<FollowUpSource[]> {
  if (responseIds.length === 0) return [];
  const r = await db.query<SourceRow>(
    `SELECT r.id AS response_id, r.contact_id, r.score, r.category, r.comment, r.follow_up_answer, r.trigger,
            r.source_object_type, r.source_object_id, r.source_pipeline, r.source_stage, r.answered_at,
            COALESCE(c.owner_id, r.owner_id) AS owner_id, c.firstname, c.lastname, c.email,
            f.id AS fu_id, f.hubspot_task_id AS fu_task_id, f.status AS fu_status, f.category AS fu_category,
            f.content_hash AS fu_hash, f.create_attempted_at AS fu_attempted_at
       FROM responses r
       LEFT JOIN contacts c ON c.portal_id = r.portal_id AND c.contact_id = r.contact_id
       LEFT JOIN follow_ups f ON f.response_id = r.id
      WHERE r.portal_id = $1 AND r.id = ANY($2::uuid[])`,
    [portalId, responseIds],
  );
  return r.rows.map((x) => ({
    responseId: x.response_id,
    contactId: String(x.contact_id),
    score: Number(x.score),
    category: x.category,
    comment: x.comment,
    followUpAnswer: x.follow_up_answer,
    trigger: x.trigger,
    sourceObjectType: x.source_object_type,
    sourceObjectId: x.source_object_id === null ? null : String(x.source_object_id),
    sourcePipeline: x.source_pipeline,
    sourceStage: x.source_stage,
    answeredAt: new Date(x.answered_at),
    contactOwnerId: x.owner_id,
    firstname: x.firstname,
    lastname: x.lastname,
    email: x.email,
    followUp: x.fu_id
      ? {
          id: x.fu_id,
          hubspotTaskId: x.fu_task_id,
          status: x.fu_status as FollowUpStatus,
          category: x.fu_category as Category,
          contentHash: x.fu_hash,
          createAttemptedAt: x.fu_attempted_at ? new Date(x.fu_attempted_at) : null,
        }
      : null,
  }));
}

/** Claims the follow_ups row of an answer (status pending) before anything is sent; returns its id either way. */
export async function ensurePendingFollowUp(db: Queryable, portalId: number, s: FollowUpSource): Promise<string> {
  const r = await db.query<{ id: string }>(
    `INSERT INTO follow_ups (portal_id, response_id, contact_id, category, status) VALUES ($1, $2, $3, $4, 'pending')
     ON CONFLICT (response_id) DO UPDATE SET updated_at = follow_ups.updated_at
     RETURNING id`,
    [portalId, s.responseId, s.contactId, s.category],
  );
  return r.rows[0]!.id;
}

/** Records that creates are about to be sent, with what they say, so a crash leaves a trail to recover from. */
export async function markCreateAttempted(
  db: Queryable,
  attempts: Array<{
    followUpId: string;
    category: Category;
    ownerId: string | null;
    content: TaskContent;
    hash: string;
  }>,
  at: Date,
): Promise<void> {
  for (const a of attempts) {
    await db.query(
      `UPDATE follow_ups SET create_attempted_at = $2, category = $3, owner_id = $4, subject = $5, priority = $6, task_type = $7,
         due_at = $8, content_hash = $9, updated_at = now() WHERE id = $1`,
      [
        a.followUpId,
        at,
        a.category,
        a.ownerId,
        a.content.subject,
        a.content.priority,
        a.content.taskType,
        a.content.dueAt,
        a.hash,
      ],
    );
  }
}

/** A task exists in HubSpot for this follow-up (created now, or found after a crash). */
export async function storeTaskCreated(
  db: Queryable,
  followUpId: string,
  taskId: string,
  ownerId?: string | null,
): Promise<void> {
  await db.query(
    `UPDATE follow_ups SET hubspot_task_id = $2, status = 'open', create_attempted_at = NULL, last_error = NULL,
       owner_id = CASE WHEN $3 THEN $4 ELSE owner_id END, updated_at = now() WHERE id = $1`,
    [followUpId, taskId, ownerId !== undefined, ownerId ?? null],
  );
}

/** HubSpot refused the create (a 4xx), so nothing exists there: the row waits for the retry, marked failed. */
export async function storeCreateRejected(db: Queryable, followUpId: string, error: string): Promise<void> {
  await db.query(
    `UPDATE follow_ups SET status = 'failed', create_attempted_at = NULL, last_error = $2, updated_at = now() WHERE id = $1 AND hubspot_task_id IS NULL`,
    [followUpId, error.slice(0, 500)],
  );
}

export async function storeTaskUpdated(
  db: Queryable,
  followUpId: string,
  u: { category: Category; content: TaskContent; hash: string; reopened: boolean },
): Promise<void> {
  await db.query(
    `UPDATE follow_ups SET category = $2, subject = $3, priority = $4, task_type = $5, due_at = $6, content_hash = $7, last_error = NULL,
       status = CASE WHEN $8 THEN 'open' ELSE status END, completed_at = CASE WHEN $8 THEN NULL ELSE completed_at END,
       updated_at = now()
     WHERE id = $1`,
    [
      followUpId,
      u.category,
      u.content.subject,
      u.content.priority,
      u.content.taskType,
      u.content.dueAt,
      u.hash,
      u.reopened,
    ],
  );
}

export async function markTaskDeleted(db: Queryable, portalId: number, taskId: string): Promise<number> {
  const r = await db.query(
    `UPDATE follow_ups SET status = 'deleted', updated_at = now() WHERE portal_id = $1 AND hubspot_task_id = $2 AND status IN ('open', 'pending', 'failed')`,
    [portalId, taskId],
  );
  return r.rowCount;
}

/** A follow-up never created in HubSpot whose answer no longer needs one. */
export async function dropPendingFollowUp(db: Queryable, followUpId: string): Promise<void> {
  await db.query('DELETE FROM follow_ups WHERE id = $1 AND hubspot_task_id IS NULL', [followUpId]);
}
