import type { Queryable } from '../../src/storage/db';
import { insertRow, isoOrNull } from './sql';

// Invitations in any state at any time. The product creates invitations only through scheduleInvitation, which
// applies the quiet period and settings and always starts at 'scheduled' (or 'skipped') now; tests need rows that
// were sent, reminded, answered or skipped at given times, so this factory writes the row itself (own SQL).

export type InvitationStatus = 'scheduled' | 'sent' | 'reminded' | 'answered' | 'expired' | 'skipped';

export interface InvitationInput {
  portalId: number;
  contactId: string | number;
  trigger?: 'deal' | 'ticket' | 'workflow' | 'relationship' | 'manual';
  milestoneKey?: string;
  ruleId?: string | null;
  source?: { objectType: string; objectId?: string | number | null; pipeline?: string | null; stage?: string | null };
  channel?: 'email' | 'hubspot' | 'sms' | 'web';
  language?: string | null;
  question?: string | null;
  followUpQuestion?: string | null;
  status?: InvitationStatus;
  skipReason?: string | null;
  scheduledFor?: Date;
  sentAt?: Date | null;
  remindedAt?: Date | null;
  answeredAt?: Date | null;
  expiresAt?: Date | null;
  workflowCallbackId?: string | null;
  createdAt?: Date;
}

export interface Invitation {
  id: string;
  portalId: number;
  contactId: string;
  trigger: string;
  milestoneKey: string;
  channel: string;
  status: InvitationStatus;
  skipReason: string | null;
  scheduledFor: Date;
  sentAt: Date | null;
  remindedAt: Date | null;
  answeredAt: Date | null;
  expiresAt: Date | null;
  workflowCallbackId: string | null;
}

let nextKey = 1;

export async function anInvitation(db: Queryable, i: InvitationInput): Promise<Invitation> {
  const row = await insertRow<Record<string, any>>(db, 'invitations', {
    portal_id: i.portalId,
    contact_id: i.contactId,
    trigger: i.trigger ?? 'deal',
    milestone_key: i.milestoneKey ?? `test-milestone-${nextKey++}`,
    rule_id: i.ruleId,
    source_object_type: i.source?.objectType,
    source_object_id: i.source?.objectId ?? undefined,
    source_pipeline: i.source?.pipeline ?? undefined,
    source_stage: i.source?.stage ?? undefined,
    channel: i.channel,
    language: i.language,
    question: i.question,
    follow_up_question: i.followUpQuestion,
    status: i.status ?? 'scheduled',
    skip_reason: i.skipReason,
    scheduled_for: i.scheduledFor ?? new Date(),
    sent_at: i.sentAt,
    reminded_at: i.remindedAt,
    answered_at: i.answeredAt,
    expires_at: i.expiresAt,
    workflow_callback_id: i.workflowCallbackId,
    created_at: i.createdAt,
  });
  return {
    id: row.id,
    portalId: Number(row.portal_id),
    contactId: String(row.contact_id),
    trigger: row.trigger,
    milestoneKey: row.milestone_key,
    channel: row.channel,
    status: row.status,
    skipReason: row.skip_reason,
    scheduledFor: new Date(row.scheduled_for),
    sentAt: isoOrNull(row.sent_at),
    remindedAt: isoOrNull(row.reminded_at),
    answeredAt: isoOrNull(row.answered_at),
    expiresAt: isoOrNull(row.expires_at),
    workflowCallbackId: row.workflow_callback_id,
  };
}
