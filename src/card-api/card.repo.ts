import type { Queryable } from '../storage';
import type { Category } from '../core';

// What the card API reads from our database. Every query filters on the portal taken from the signed request,
// so a record of another portal is simply not found.

export interface CardContact {
  contactId: string;
  email: string | null;
  firstname: string | null;
  lastname: string | null;
  gone: boolean;
}

export async function findContact(db: Queryable, portalId: number, contactId: string): Promise<CardContact | null> {
  const r = await db.query<{
    contact_id: string;
    email: string | null;
    firstname: string | null;
    lastname: string | null;
    gone: boolean;
  }>(
    `SELECT contact_id, email, firstname, lastname,
            (deleted_at IS NOT NULL OR merged_into IS NOT NULL OR erased_at IS NOT NULL) AS gone
       FROM contacts WHERE portal_id = $1 AND contact_id = $2`,
    [portalId, contactId],
  );
  const row = r.rows[0];
  return row
    ? {
        contactId: String(row.contact_id),
        email: row.email,
        firstname: row.firstname,
        lastname: row.lastname,
        gone: row.gone,
      }
    : null;
}

export interface AnswerRow {
  /** The answer's id (the card's "Exclude" action names it). */
  responseId: string;
  score: number;
  category: Category;
  comment: string | null;
  followUpAnswer: string | null;
  channel: string;
  trigger: string;
  sourceObjectType: string | null;
  sourceObjectId: string | null;
  sourceStage: string | null;
  answeredAt: Date;
  updatedAt: Date;
}

export interface InvitationSummary {
  latest: { status: string; skipReason: string | null; sentAt: Date | null } | null;
  /** The newest invitation still waiting: scheduled, or sent/reminded and not answered or expired. */
  pending: { id: string; sentAt: Date | null; scheduledFor: Date } | null;
}

export async function invitationSummary(
  db: Queryable,
  portalId: number,
  contactId: string,
): Promise<InvitationSummary> {
  const r = await db.query<{
    id: string;
    status: string;
    skip_reason: string | null;
    sent_at: Date | string | null;
    scheduled_for: Date | string;
    is_latest: boolean;
  }>(
    `(SELECT id, status, skip_reason, sent_at, scheduled_for, true AS is_latest FROM invitations
       WHERE portal_id = $1 AND contact_id = $2 ORDER BY created_at DESC LIMIT 1)
     UNION ALL
     (SELECT id, status, skip_reason, sent_at, scheduled_for, false FROM invitations
       WHERE portal_id = $1 AND contact_id = $2 AND status IN ('scheduled', 'sent', 'reminded') ORDER BY created_at DESC LIMIT 1)`,
    [portalId, contactId],
  );
  const latest = r.rows.find((x) => x.is_latest);
  const pending = r.rows.find((x) => !x.is_latest);
  return {
    latest: latest
      ? {
          status: latest.status,
          skipReason: latest.skip_reason,
          sentAt: latest.sent_at ? new Date(latest.sent_at) : null,
        }
      : null,
    pending: pending
      ? {
          id: pending.id,
          sentAt: pending.sent_at ? new Date(pending.sent_at) : null,
          scheduledFor: new Date(pending.scheduled_for),
        }
      : null,
  };
}

export async function invitationByMilestone(
  db: Queryable,
  portalId: number,
  milestoneKey: string,
): Promise<{ id: string; status: string; skipReason: string | null; scheduledFor: Date } | null> {
  const r = await db.query<{ id: string; status: string; skip_reason: string | null; scheduled_for: Date | string }>(
    'SELECT id, status, skip_reason, scheduled_for FROM invitations WHERE portal_id = $1 AND milestone_key = $2',
    [portalId, milestoneKey],
  );
  const row = r.rows[0];
  return row
    ? { id: row.id, status: row.status, skipReason: row.skip_reason, scheduledFor: new Date(row.scheduled_for) }
    : null;
}

/** The answer stored under an import key (the card's request key), or null. */
export async function responseByImportKey(
  db: Queryable,
  portalId: number,
  importKey: string,
): Promise<{ id: string; category: Category } | null> {
  const r = await db.query<{ id: string; category: Category }>(
    'SELECT id, category FROM responses WHERE portal_id = $1 AND import_key = $2',
    [portalId, importKey],
  );
  const row = r.rows[0];
  return row ? { id: row.id, category: row.category } : null;
}

export interface FollowUpRow {
  id: string;
  contactId: string;
  hubspotTaskId: string | null;
  subject: string | null;
  ownerId: string | null;
  priority: string | null;
  dueAt: Date | null;
}

const FOLLOW_UP_COLUMNS = 'f.id, f.contact_id, f.hubspot_task_id, f.subject, f.owner_id, f.priority, f.due_at';
const MAX_FOLLOW_UPS = 100;

type FollowUpDbRow = {
  id: string;
  contact_id: string;
  hubspot_task_id: string | null;
  subject: string | null;
  owner_id: string | null;
  priority: string | null;
  due_at: Date | string | null;
};

function toFollowUp(x: FollowUpDbRow): FollowUpRow {
  return {
    id: x.id,
    contactId: String(x.contact_id),
    hubspotTaskId: x.hubspot_task_id,
    subject: x.subject,
    ownerId: x.owner_id,
    priority: x.priority,
    dueAt: x.due_at ? new Date(x.due_at) : null,
  };
}

export async function companyFollowUps(db: Queryable, portalId: number, companyId: string): Promise<FollowUpRow[]> {
  const r = await db.query<FollowUpDbRow>(
    `SELECT ${FOLLOW_UP_COLUMNS} FROM follow_ups f
       JOIN contacts c ON c.portal_id = f.portal_id AND c.contact_id = f.contact_id
      WHERE f.portal_id = $1 AND c.company_id = $2 AND f.status IN ('open', 'pending') AND c.deleted_at IS NULL AND c.merged_into IS NULL
      ORDER BY f.due_at NULLS LAST LIMIT ${MAX_FOLLOW_UPS}`,
    [portalId, companyId],
  );
  return r.rows.map(toFollowUp);
}

export interface CompanyAnswerRow {
  contactId: number;
  name: string;
  score: number;
  answeredAt: Date;
  updatedAt: Date;
}

/** The company (null if unknown to this portal) and every answer of its current contacts. */
export async function companyAnswers(
  db: Queryable,
  portalId: number,
  companyId: string,
): Promise<{ name: string | null; known: boolean; answers: CompanyAnswerRow[] }> {
  const company = await db.query<{ name: string | null }>(
    'SELECT name FROM companies WHERE portal_id = $1 AND company_id = $2',
    [portalId, companyId],
  );
  const r = await db.query<{
    contact_id: string;
    firstname: string | null;
    lastname: string | null;
    email: string | null;
    score: number;
    answered_at: Date | string;
    updated_at: Date | string;
  }>(
    `SELECT c.contact_id, c.firstname, c.lastname, c.email, r.score, r.answered_at, r.updated_at
       FROM contacts c JOIN responses r ON r.portal_id = c.portal_id AND r.contact_id = c.contact_id
      WHERE c.portal_id = $1 AND c.company_id = $2 AND c.deleted_at IS NULL AND c.merged_into IS NULL AND c.erased_at IS NULL`,
    [portalId, companyId],
  );
  const known =
    company.rows.length > 0 ||
    (await db.query('SELECT 1 FROM contacts WHERE portal_id = $1 AND company_id = $2 LIMIT 1', [portalId, companyId]))
      .rowCount > 0;
  return {
    name: company.rows[0]?.name ?? null,
    known,
    answers: r.rows.map((x) => ({
      contactId: Number(x.contact_id),
      name: displayName(x.firstname, x.lastname, x.email, String(x.contact_id)),
      score: Number(x.score),
      answeredAt: new Date(x.answered_at),
      updatedAt: new Date(x.updated_at),
    })),
  };
}

function displayName(first: string | null, last: string | null, email: string | null, id: string): string {
  const name = [first, last]
    .filter((p) => p && p.trim())
    .join(' ')
    .trim();
  return name || email || `Contact ${id}`;
}
