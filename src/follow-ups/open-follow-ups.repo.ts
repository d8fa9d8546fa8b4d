import type { Queryable } from '../storage';
import type { Category } from '../core';

// Open follow-ups for the CRM card: tasks not yet completed, newest answer first. "pending" ones are being
// created in HubSpot (or waiting for a retry) and have no task id yet.

export interface OpenFollowUp {
  id: string;
  responseId: string;
  contactId: string;
  category: Category;
  score: number;
  comment: string | null;
  answeredAt: Date;
  status: 'pending' | 'open';
  hubspotTaskId: string | null;
  ownerId: string | null;
  subject: string | null;
  priority: string | null;
  taskType: string | null;
  dueAt: Date | null;
  createdAt: Date;
}

interface Row {
  id: string;
  response_id: string;
  contact_id: string;
  category: Category;
  score: number;
  comment: string | null;
  answered_at: Date | string;
  status: 'pending' | 'open';
  hubspot_task_id: string | null;
  owner_id: string | null;
  subject: string | null;
  priority: string | null;
  task_type: string | null;
  due_at: Date | string | null;
  created_at: Date | string;
}

const SELECT = `SELECT f.id, f.response_id, f.contact_id, f.category, r.score, r.comment, r.answered_at, f.status, f.hubspot_task_id,
       f.owner_id, f.subject, f.priority, f.task_type, f.due_at, f.created_at
  FROM follow_ups f JOIN responses r ON r.id = f.response_id`;
const OPEN = `f.status IN ('pending', 'open')`;
const LIMIT = 200;

export async function openFollowUpsForContact(
  db: Queryable,
  portalId: number,
  contactId: number | string,
): Promise<OpenFollowUp[]> {
  const r = await db.query<Row>(
    `${SELECT} WHERE f.portal_id = $1 AND f.contact_id = $2 AND ${OPEN} ORDER BY r.answered_at DESC LIMIT ${LIMIT}`,
    [portalId, String(contactId)],
  );
  return r.rows.map(toOpenFollowUp);
}

/** Follow-ups of the company's contacts (their current company, else the company when they answered). */
export async function openFollowUpsForCompany(
  db: Queryable,
  portalId: number,
  companyId: number | string,
): Promise<OpenFollowUp[]> {
  const r = await db.query<Row>(
    `${SELECT} LEFT JOIN contacts c ON c.portal_id = f.portal_id AND c.contact_id = f.contact_id
      WHERE f.portal_id = $1 AND COALESCE(c.company_id, r.company_id) = $2 AND ${OPEN}
      ORDER BY r.answered_at DESC LIMIT ${LIMIT}`,
    [portalId, String(companyId)],
  );
  return r.rows.map(toOpenFollowUp);
}

function toOpenFollowUp(x: Row): OpenFollowUp {
  return {
    id: x.id,
    responseId: x.response_id,
    contactId: String(x.contact_id),
    category: x.category,
    score: Number(x.score),
    comment: x.comment,
    answeredAt: new Date(x.answered_at),
    status: x.status,
    hubspotTaskId: x.hubspot_task_id,
    ownerId: x.owner_id,
    subject: x.subject,
    priority: x.priority,
    taskType: x.task_type,
    dueAt: x.due_at ? new Date(x.due_at) : null,
    createdAt: new Date(x.created_at),
  };
}
