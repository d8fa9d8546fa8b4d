import { z } from 'zod';
import type { AppDeps } from '../core';
import { parseInput } from '../shared';
import type { Queryable } from '../storage';
import { getSettings } from '../core';
import { evaluateFatigue, loadFatigueInput } from './fatigue';
import { invitationOutcomes } from './metrics';

// The one way an invitation comes into existence (milestone triggers, relationship cadence, the workflow
// action, the card's "send now"). Fatigue rules decide between scheduled and skipped; the milestone key makes
// every retry, duplicate delivery or second click a no-op.

export const TRIGGERS = ['deal', 'ticket', 'workflow', 'relationship', 'manual'] as const;

const id = z.union([z.number().int().positive(), z.string().regex(/^\d{1,18}$/)]).transform(String);
const optionalText = z.string().trim().min(1).max(300).optional();

export const scheduleRequestSchema = z
  .object({
    portalId: z.number().int().positive(),
    contactId: id,
    trigger: z.enum(TRIGGERS),
    milestoneKey: z.string().min(1).max(300),
    scheduledFor: z.date(),
    ruleId: z.string().max(64).optional(),
    source: z
      .object({ objectType: z.string().min(1).max(40), objectId: id, pipeline: z.string().max(100).optional(), stage: z.string().max(100).optional() })
      .optional(),
    channel: z.enum(['email', 'hubspot']),
    language: z.string().trim().toLowerCase().max(20).optional(),
    question: optionalText,
    followUpQuestion: optionalText,
    workflowCallbackId: z.string().min(1).max(200).optional(),
    waitUntil: z.date().optional(),
    /** A person confirmed this survey: the quiet period does not apply (opt-outs and bounces still do). */
    force: z.boolean().optional(),
  })
  .strict();

export type ScheduleRequest = z.input<typeof scheduleRequestSchema>;

export interface ScheduleOutcome {
  status: 'scheduled' | 'skipped' | 'duplicate';
  /** The new invitation, or for a duplicate the existing one. */
  invitationId?: string;
  skipReason?: string;
}

type ScheduleDeps = Pick<AppDeps, 'db' | 'clock' | 'metrics'>;

/**
 * Schedules (or records as skipped) one invitation. Runs under a per-contact lock, so two milestones for the
 * same person processed at once cannot both pass the quiet-period check: one is scheduled, the other skipped.
 * The quiet period is judged at the moment the survey would go out (`scheduledFor`, or now if that is past).
 */
export async function scheduleInvitation(deps: ScheduleDeps, request: ScheduleRequest): Promise<ScheduleOutcome> {
  const req = parseInput(scheduleRequestSchema, request, 'invitation request');
  const outcome = await deps.db.transaction(async (tx): Promise<ScheduleOutcome> => {
    await tx.query('SELECT pg_advisory_xact_lock(4242, hashtext($1))', [`${req.portalId}:${req.contactId}`]);
    const existing = await tx.query<{ id: string }>('SELECT id FROM invitations WHERE portal_id = $1 AND milestone_key = $2', [req.portalId, req.milestoneKey]);
    if (existing.rows[0]) return { status: 'duplicate', invitationId: existing.rows[0].id };

    const settings = await getSettings(tx, req.portalId);
    const fatigue = await loadFatigueInput(tx, req.portalId, req.contactId);
    const now = deps.clock.now();
    const sendAt = req.scheduledFor.getTime() > now.getTime() ? req.scheduledFor : now;
    const decision = evaluateFatigue({ now: sendAt, quietPeriodDays: settings.quietPeriodDays, ...fatigue, force: req.force });
    const language = req.language ?? (await contactLanguage(tx, req.portalId, req.contactId));
    const skipReason = decision.ok ? null : decision.reason;

    const r = await tx.query<{ id: string }>(
      `INSERT INTO invitations (portal_id, contact_id, trigger, rule_id, milestone_key, source_object_type, source_object_id, source_pipeline,
         source_stage, channel, language, question, follow_up_question, status, skip_reason, scheduled_for, workflow_callback_id, wait_until)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18)
       ON CONFLICT (portal_id, milestone_key) DO NOTHING RETURNING id`,
      [
        req.portalId, req.contactId, req.trigger, req.ruleId ?? null, req.milestoneKey, req.source?.objectType ?? null, req.source?.objectId ?? null,
        req.source?.pipeline ?? null, req.source?.stage ?? null, req.channel, language, req.question ?? null, req.followUpQuestion ?? null,
        skipReason ? 'skipped' : 'scheduled', skipReason, req.scheduledFor, req.workflowCallbackId ?? null, req.waitUntil ?? null,
      ],
    );
    const invitationId = r.rows[0]?.id;
    if (!invitationId) {
      const raced = await tx.query<{ id: string }>('SELECT id FROM invitations WHERE portal_id = $1 AND milestone_key = $2', [req.portalId, req.milestoneKey]);
      return { status: 'duplicate', invitationId: raced.rows[0]?.id };
    }
    return skipReason ? { status: 'skipped', invitationId, skipReason } : { status: 'scheduled', invitationId };
  });
  invitationOutcomes(deps.metrics).inc({ trigger: req.trigger, outcome: outcome.status === 'skipped' ? `skipped:${outcome.skipReason}` : outcome.status });
  return outcome;
}

async function contactLanguage(tx: Queryable, portalId: number, contactId: string): Promise<string | null> {
  const r = await tx.query<{ language: string | null }>('SELECT language FROM contacts WHERE portal_id = $1 AND contact_id = $2', [portalId, contactId]);
  return r.rows[0]?.language ?? null;
}
