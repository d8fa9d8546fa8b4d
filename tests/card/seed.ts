import type { Queryable } from '../../src/storage/db';
import {
  aCompany,
  aContact,
  aFollowUp,
  anInvitation,
  aPortal,
  aResponse,
  type FollowUpStatus,
  type InvitationStatus,
} from '../factories';

// Rows the card API reads, built through the shared factories so a test controls every date and status.

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
  await aPortal(db, { portalId });
}

export async function seedContact(db: Queryable, portalId: number, c: SeedContact): Promise<void> {
  await aContact(db, portalId, {
    contactId: c.contactId,
    email: c.email === undefined ? `c${c.contactId}@example.com` : c.email,
    firstname: c.firstname ?? 'Pat',
    lastname: c.lastname ?? `No${c.contactId}`,
    optedOut: c.optedOut ?? false,
    companyId: c.companyId ?? null,
    ownerId: c.ownerId ?? null,
  });
}

export async function seedCompany(db: Queryable, portalId: number, companyId: string, name: string): Promise<void> {
  await aCompany(db, portalId, { companyId, name });
}

export interface SeedAnswer {
  score: number;
  answeredAt: Date;
  comment?: string | null;
  followUpAnswer?: string | null;
  trigger?: string;
  channel?: 'email' | 'page' | 'manual' | 'import' | 'workflow' | 'web';
  source?: { type: 'deal' | 'ticket'; id: string; stage?: string };
}

export async function seedAnswer(db: Queryable, portalId: number, contactId: string, a: SeedAnswer): Promise<string> {
  const r = await aResponse(db, {
    portalId,
    contactId,
    score: a.score,
    comment: a.comment ?? null,
    followUpAnswer: a.followUpAnswer ?? null,
    channel: a.channel ?? 'email',
    trigger: a.trigger ?? a.source?.type ?? 'manual',
    source: a.source ? { objectType: a.source.type, objectId: a.source.id, stage: a.source.stage ?? null } : undefined,
    answeredAt: a.answeredAt,
  });
  return r.id;
}

export async function seedInvitation(
  db: Queryable,
  portalId: number,
  contactId: string,
  i: {
    key: string;
    status: InvitationStatus;
    sentAt?: Date | null;
    scheduledFor: Date;
    skipReason?: string;
    createdAt?: Date;
  },
): Promise<string> {
  const r = await anInvitation(db, {
    portalId,
    contactId,
    trigger: 'deal',
    milestoneKey: i.key,
    status: i.status,
    skipReason: i.skipReason ?? null,
    scheduledFor: i.scheduledFor,
    sentAt: i.sentAt ?? null,
    createdAt: i.createdAt ?? i.sentAt ?? i.scheduledFor,
  });
  return r.id;
}

export async function seedFollowUp(
  db: Queryable,
  portalId: number,
  contactId: string,
  responseId: string,
  f: {
    taskId: string | null;
    subject: string;
    ownerId?: string;
    priority?: string;
    dueAt?: Date;
    status?: FollowUpStatus;
  },
): Promise<void> {
  await aFollowUp(db, {
    portalId,
    responseId,
    contactId,
    category: 'detractor',
    ownerId: f.ownerId ?? null,
    hubspotTaskId: f.taskId,
    subject: f.subject,
    priority: f.priority ?? 'HIGH',
    dueAt: f.dueAt ?? null,
    status: f.status ?? (f.taskId ? 'open' : 'pending'),
  });
}

/** HubSpot's batch-read answer for tasks, as the v3 API sends it. */
export function taskBatch(
  tasks: Array<{ id: string; subject: string; status?: string; ownerId?: string; priority?: string; due?: string }>,
) {
  return {
    status: 'COMPLETE',
    results: tasks.map((t) => ({
      id: t.id,
      properties: {
        hs_object_id: t.id,
        hs_task_subject: t.subject,
        hs_task_status: t.status ?? 'NOT_STARTED',
        hs_task_priority: t.priority ?? 'HIGH',
        hs_timestamp: t.due ?? '2026-06-03T09:00:00.000Z',
        hubspot_owner_id: t.ownerId ?? '77',
      },
      createdAt: '2026-05-01T00:00:00.000Z',
      updatedAt: '2026-05-01T00:00:00.000Z',
      archived: false,
    })),
    startedAt: '2026-06-01T00:00:00.000Z',
    completedAt: '2026-06-01T00:00:01.000Z',
  };
}

export const OWNERS_PAGE = {
  results: [
    { id: '77', email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', userId: 1, archived: false },
    { id: '78', email: 'alan@example.com', firstName: 'Alan', lastName: 'Turing', userId: 2, archived: false },
  ],
};
