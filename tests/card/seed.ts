import type { Queryable } from '../../src/storage/db';

// Rows the card API reads, written straight to the tables so a test controls every date and status.

export interface SeedContact {
  contactId: string;
  email?: string | null;
  firstname?: string;
  lastname?: string;
  optedOut?: boolean;
  companyId?: string | null;
  ownerId?: string | null;
}

export async function seedPortal(db: Queryable, portalId: number): Promise<void> {
  await db.query(`INSERT INTO portals (portal_id, auth_mode, status) VALUES ($1, 'static', 'active') ON CONFLICT (portal_id) DO NOTHING`, [portalId]);
}

export async function seedContact(db: Queryable, portalId: number, c: SeedContact): Promise<void> {
  await db.query(
    `INSERT INTO contacts (portal_id, contact_id, email, firstname, lastname, opted_out, company_id, owner_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [portalId, c.contactId, c.email === undefined ? `c${c.contactId}@example.com` : c.email, c.firstname ?? 'Pat', c.lastname ?? `No${c.contactId}`, c.optedOut ?? false, c.companyId ?? null, c.ownerId ?? null],
  );
}

export async function seedCompany(db: Queryable, portalId: number, companyId: string, name: string): Promise<void> {
  await db.query('INSERT INTO companies (portal_id, company_id, name) VALUES ($1, $2, $3)', [portalId, companyId, name]);
}

export interface SeedAnswer {
  score: number;
  answeredAt: Date;
  comment?: string | null;
  trigger?: string;
  channel?: string;
  source?: { type: 'deal' | 'ticket'; id: string; stage?: string };
}

export async function seedAnswer(db: Queryable, portalId: number, contactId: string, a: SeedAnswer): Promise<string> {
  const category = a.score >= 9 ? 'promoter' : a.score >= 7 ? 'passive' : 'detractor';
  const r = await db.query<{ id: string }>(
    `INSERT INTO responses (portal_id, contact_id, score, category, comment, channel, trigger, source_object_type, source_object_id, source_stage, answered_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [portalId, contactId, a.score, category, a.comment ?? null, a.channel ?? 'email', a.trigger ?? a.source?.type ?? 'manual', a.source?.type ?? null, a.source?.id ?? null, a.source?.stage ?? null, a.answeredAt],
  );
  return r.rows[0]!.id;
}

export async function seedInvitation(
  db: Queryable,
  portalId: number,
  contactId: string,
  i: { key: string; status: string; sentAt?: Date | null; scheduledFor: Date; skipReason?: string; createdAt?: Date },
): Promise<string> {
  const r = await db.query<{ id: string }>(
    `INSERT INTO invitations (portal_id, contact_id, trigger, milestone_key, status, skip_reason, scheduled_for, sent_at, created_at)
     VALUES ($1, $2, 'deal', $3, $4, $5, $6, $7, $8) RETURNING id`,
    [portalId, contactId, i.key, i.status, i.skipReason ?? null, i.scheduledFor, i.sentAt ?? null, i.createdAt ?? i.sentAt ?? i.scheduledFor],
  );
  return r.rows[0]!.id;
}

export async function seedFollowUp(
  db: Queryable,
  portalId: number,
  contactId: string,
  responseId: string,
  f: { taskId: string | null; subject: string; ownerId?: string; priority?: string; dueAt?: Date; status?: string },
): Promise<void> {
  await db.query(
    `INSERT INTO follow_ups (portal_id, response_id, contact_id, category, owner_id, hubspot_task_id, subject, priority, due_at, status)
     VALUES ($1, $2, $3, 'detractor', $4, $5, $6, $7, $8, $9)`,
    [portalId, responseId, contactId, f.ownerId ?? null, f.taskId, f.subject, f.priority ?? 'HIGH', f.dueAt ?? null, f.status ?? (f.taskId ? 'open' : 'pending')],
  );
}

/** HubSpot's batch-read answer for tasks, as the v3 API sends it. */
export function taskBatch(tasks: Array<{ id: string; subject: string; status?: string; ownerId?: string; priority?: string; due?: string }>) {
  return {
    status: 'COMPLETE',
    results: tasks.map((t) => ({
      id: t.id,
      properties: {
        hs_object_id: t.id, hs_task_subject: t.subject, hs_task_status: t.status ?? 'NOT_STARTED', hs_task_priority: t.priority ?? 'HIGH',
        hs_timestamp: t.due ?? '2026-06-03T09:00:00.000Z', hubspot_owner_id: t.ownerId ?? '77',
      },
      createdAt: '2026-05-01T00:00:00.000Z', updatedAt: '2026-05-01T00:00:00.000Z', archived: false,
    })),
    startedAt: '2026-06-01T00:00:00.000Z', completedAt: '2026-06-01T00:00:01.000Z',
  };
}

export const OWNERS_PAGE = {
  results: [
    { id: '77', email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', userId: 1, archived: false },
    { id: '78', email: 'alan@example.com', firstName: 'Alan', lastName: 'Turing', userId: 2, archived: false },
  ],
};
