import type { Category } from '../../src/core';
import { ensurePendingFollowUp, type FollowUpSource } from '../../src/follow-ups/follow-ups.repo';
import type { Queryable } from '../../src/storage/db';
import { updateRow } from './sql';

// A follow-up is claimed the product's way (ensurePendingFollowUp: a pending row for the answer). The states a
// drain would reach later (task created, completed, deleted, with owner, subject and due date) are then set on
// that row directly (own SQL), since reaching them through the product needs HubSpot.

export type FollowUpStatus = 'pending' | 'open' | 'completed' | 'failed' | 'deleted';

export interface FollowUpInput {
  portalId: number;
  responseId: string;
  contactId: string | number;
  category: Category;
  status?: FollowUpStatus;
  ownerId?: string | null;
  hubspotTaskId?: string | null;
  subject?: string | null;
  priority?: string | null;
  taskType?: string | null;
  dueAt?: Date | null;
  completedAt?: Date | null;
}

export interface FollowUp {
  id: string;
  portalId: number;
  responseId: string;
  contactId: string;
  category: Category;
  status: FollowUpStatus;
  hubspotTaskId: string | null;
}

export async function aFollowUp(db: Queryable, f: FollowUpInput): Promise<FollowUp> {
  // ensurePendingFollowUp reads only these three fields of the source.
  const source = { responseId: f.responseId, contactId: String(f.contactId), category: f.category } as FollowUpSource;
  const id = await ensurePendingFollowUp(db, f.portalId, source);
  await updateRow(
    db,
    'follow_ups',
    { id },
    {
      status: f.status,
      owner_id: f.ownerId,
      hubspot_task_id: f.hubspotTaskId,
      subject: f.subject,
      priority: f.priority,
      task_type: f.taskType,
      due_at: f.dueAt,
      completed_at: f.completedAt,
    },
  );
  return {
    id,
    portalId: f.portalId,
    responseId: f.responseId,
    contactId: String(f.contactId),
    category: f.category,
    status: f.status ?? 'pending',
    hubspotTaskId: f.hubspotTaskId ?? null,
  };
}
