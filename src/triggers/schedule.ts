import { z } from 'zod';
import type { AppDeps } from '../core';
import type { Queryable } from '../storage';
import { parseInput } from '../shared';
import { CHANNELS, channelList, getSettings } from '../core';
import { chooseChannel } from './fatigue';
import { loadFatigueInput } from './fatigue.repo';
import {
  contactLanguage,
  insertInvitation,
  invitationIdForMilestone,
  lockContactForScheduling,
} from './scheduling.repo';
import { invitationOutcomes } from './metrics';

// The one way an invitation comes into existence (milestone triggers, relationship cadence, the workflow
// action, the card's "send now"). Fatigue rules decide between scheduled and skipped; the milestone key makes
// every retry, duplicate delivery or second click a no-op.

const TRIGGERS = ['deal', 'ticket', 'workflow', 'relationship', 'manual'] as const;

const id = z.union([z.number().int().positive(), z.string().regex(/^\d{1,18}$/)]).transform(String);
const optionalText = z.string().trim().min(1).max(300).optional();

const scheduleRequestSchema = z
  .object({
    portalId: z.number().int().positive(),
    contactId: id,
    trigger: z.enum(TRIGGERS),
    milestoneKey: z.string().min(1).max(300),
    scheduledFor: z.date(),
    ruleId: z.string().max(64).optional(),
    source: z
      .object({
        objectType: z.string().min(1).max(40),
        objectId: id,
        pipeline: z.string().max(100).optional(),
        stage: z.string().max(100).optional(),
      })
      .optional(),
    /** One channel, or an ordered fallback list: the first the contact can be reached on is used. */
    channel: z.union([z.enum(CHANNELS), z.array(z.enum(CHANNELS)).min(1).max(CHANNELS.length)]),
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
  /** The channel the invitation goes (or would have gone) out on; absent for a duplicate. */
  channel?: string;
  /** The new invitation, or for a duplicate the existing one. */
  invitationId?: string;
  skipReason?: string;
}

type ScheduleDeps = Pick<AppDeps, 'db' | 'clock' | 'metrics' | 'lastWebSessionAt'>;

export interface ScheduleOptions {
  /**
   * Runs in the scheduling transaction once the invitation is written (or found, for a duplicate): what the caller
   * stores with it commits together, and if it throws, no invitation is written either.
   */
  inTransaction?: (tx: Queryable, outcome: ScheduleOutcome) => Promise<void>;
}

/**
 * Schedules (or records as skipped) one invitation. Runs under a per-contact lock, so two milestones for the
 * same person processed at once cannot both pass the quiet-period check: one is scheduled, the other skipped.
 * The quiet period is judged at the moment the survey would go out (`scheduledFor`, or now if that is past).
 */
export async function scheduleInvitation(
  deps: ScheduleDeps,
  request: ScheduleRequest,
  opts: ScheduleOptions = {},
): Promise<ScheduleOutcome> {
  const req = parseInput(scheduleRequestSchema, request, 'invitation request');
  const outcome = await deps.db.transaction(async (tx): Promise<ScheduleOutcome> => {
    const decided = await decide(tx);
    await opts.inTransaction?.(tx, decided);
    return decided;
  });
  invitationOutcomes(deps.metrics).inc({
    trigger: req.trigger,
    outcome: outcome.status === 'skipped' ? `skipped:${outcome.skipReason}` : outcome.status,
  });
  return outcome;

  async function decide(tx: Queryable): Promise<ScheduleOutcome> {
    await lockContactForScheduling(tx, req.portalId, req.contactId);
    const existingId = await invitationIdForMilestone(tx, req.portalId, req.milestoneKey);
    if (existingId) return { status: 'duplicate', invitationId: existingId };

    const settings = await getSettings(tx, req.portalId);
    const fatigue = await loadFatigueInput(tx, req.portalId, req.contactId, {
      defaultCountry: settings.sms?.defaultCountry,
    });
    const channels = channelList(req.channel);
    if (fatigue.contact && channels.includes('web') && deps.lastWebSessionAt) {
      fatigue.contact.lastWebSessionAt = await deps.lastWebSessionAt(tx, req.portalId, req.contactId);
    }
    const now = deps.clock.now();
    const sendAt = req.scheduledFor.getTime() > now.getTime() ? req.scheduledFor : now;
    const { channel, decision } = chooseChannel(channels, {
      now: sendAt,
      quietPeriodDays: settings.quietPeriodDays,
      ...fatigue,
      force: req.force,
    });
    const language = req.language ?? (await contactLanguage(tx, req.portalId, req.contactId));
    const skipReason = decision.ok ? null : decision.reason;

    const invitationId = await insertInvitation(tx, { ...req, channel }, language, skipReason);
    if (!invitationId) {
      return {
        status: 'duplicate',
        invitationId: (await invitationIdForMilestone(tx, req.portalId, req.milestoneKey)) ?? undefined,
      };
    }
    return skipReason
      ? { status: 'skipped', invitationId, skipReason, channel }
      : { status: 'scheduled', invitationId, channel };
  }
}
