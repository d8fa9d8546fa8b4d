import { createHash } from 'node:crypto';
import {
  CARD_OUTCOMES,
  type CardOutcomeCode,
  type LogResponseResult,
  type SendSurveyResult,
} from '../../extensions/app/cards/contract';
import type { AppDeps } from '../core';
import { getSettings } from '../core';
import { evaluateFatigue, loadFatigueInput } from '../triggers';
import { scheduleInvitation } from '../triggers';
import { recordResponse } from '../responses';
import { NotFoundError } from '../shared';
import { findContact, invitationByMilestone, invitationSummary, responseByImportKey } from './card.repo';

// The card's two actions. HubSpot retries a hubspot.fetch once on a 5xx or a connection problem, so both are
// idempotent on a request key: the card sends one per click; without one, the key is derived from a one-minute
// time bucket (and, for answers, the answer itself), which also absorbs an accidental double click.

const BUCKET_MS = 60_000;

type ActionDeps = Pick<AppDeps, 'db' | 'clock' | 'metrics' | 'lastWebSessionAt'>;

/**
 * A refusal the card turns into a message or a confirmation step. The route answers it with HTTP 200 and
 * `{ outcome, message, quietUntil? }`: HubSpot's proxy would hide a 4xx body from the card.
 */
interface Refusal {
  refused: true;
  code: CardOutcomeCode;
  message: string;
  quietUntil?: string;
}

export type SendOutcome = { refused: false; created: boolean; result: SendSurveyResult } | Refusal;

const UNSENDABLE: Record<string, string> = {
  opted_out: 'the contact opted out of email',
  no_email: 'the contact has no email address',
  bounced: 'email to this contact bounced',
  contact_deleted: 'the contact was deleted',
  unknown_contact: 'NPS Loop has not synced this contact yet',
};

const isOutcome = (code: string): code is CardOutcomeCode => (CARD_OUTCOMES as readonly string[]).includes(code);

function unsendable(reason: string): Refusal {
  return {
    refused: true,
    code: isOutcome(reason) ? reason : 'not_sendable',
    message: `No survey can be sent: ${UNSENDABLE[reason] ?? reason}.`,
  };
}

export async function sendSurveyNow(
  deps: ActionDeps,
  input: { portalId: number; contactId: string; confirm: boolean; requestKey?: string },
): Promise<SendOutcome> {
  const now = deps.clock.now();
  await requireContact(deps, input.portalId, input.contactId);
  const milestoneKey = `manual:${input.contactId}:${input.requestKey ?? `t${Math.floor(now.getTime() / BUCKET_MS)}`}`;

  // A repeat of a request already handled answers as the first one did, whatever changed since.
  const earlier = await invitationByMilestone(deps.db, input.portalId, milestoneKey);
  if (earlier) {
    if (earlier.status === 'skipped') return unsendable(earlier.skipReason ?? 'skipped');
    return {
      refused: false,
      created: false,
      result: { status: 'duplicate', invitationId: earlier.id, scheduledFor: earlier.scheduledFor.toISOString() },
    };
  }

  const settings = await getSettings(deps.db, input.portalId);
  const fatigue = evaluateFatigue({
    now,
    quietPeriodDays: settings.quietPeriodDays,
    ...(await loadFatigueInput(deps.db, input.portalId, input.contactId)),
  });
  if (!fatigue.ok && fatigue.reason !== 'quiet_period') return unsendable(fatigue.reason);
  const { pending } = await invitationSummary(deps.db, input.portalId, input.contactId);
  if (pending) {
    return {
      refused: true,
      code: 'survey_pending',
      message: 'A survey for this contact is already scheduled or waiting for an answer.',
    };
  }
  if (!fatigue.ok && !input.confirm) {
    const quietUntil = fatigue.until?.toISOString();
    return {
      refused: true,
      code: 'needs_confirmation',
      message: `The contact is inside the quiet period${quietUntil ? ` until ${quietUntil.slice(0, 10)}` : ''}; send again with confirm: true to survey anyway.`,
      ...(quietUntil ? { quietUntil } : {}),
    };
  }

  const outcome = await scheduleInvitation(deps, {
    portalId: input.portalId,
    contactId: input.contactId,
    trigger: 'manual',
    milestoneKey,
    scheduledFor: now,
    channel: 'email',
    force: input.confirm,
  });
  if (outcome.status === 'skipped') return unsendable(outcome.skipReason ?? 'skipped');
  const stored = outcome.invitationId ? await invitationByMilestone(deps.db, input.portalId, milestoneKey) : null;
  if (!stored) throw new Error(`invitation ${milestoneKey} was not stored`);
  return {
    refused: false,
    created: outcome.status === 'scheduled',
    result: {
      status: outcome.status === 'scheduled' ? 'scheduled' : 'duplicate',
      invitationId: stored.id,
      scheduledFor: stored.scheduledFor.toISOString(),
    },
  };
}

export async function logManualResponse(
  deps: ActionDeps,
  input: { portalId: number; contactId: string; score: number; comment?: string; requestKey?: string },
): Promise<LogResponseResult> {
  const now = deps.clock.now();
  await requireContact(deps, input.portalId, input.contactId);
  const comment = input.comment?.trim() || null;
  const key =
    input.requestKey ??
    createHash('sha256')
      .update(`${input.score}\n${comment ?? ''}\n${Math.floor(now.getTime() / BUCKET_MS)}`)
      .digest('base64url')
      .slice(0, 22);
  const importKey = `card:${input.contactId}:${key}`;
  try {
    const r = await recordResponse(deps, {
      portalId: input.portalId,
      contactId: Number(input.contactId),
      score: input.score,
      comment,
      channel: 'manual',
      trigger: 'manual',
      importKey,
      answeredAt: now,
    });
    return { responseId: r.responseId, category: r.category, created: r.created };
  } catch (err) {
    // Two copies of one request raced past the import-key check: the loser finds the winner's row.
    if ((err as { code?: string }).code !== '23505') throw err;
    const winner = await responseByImportKey(deps.db, input.portalId, importKey);
    if (!winner) throw err;
    return { responseId: winner.id, category: winner.category, created: false };
  }
}

async function requireContact(deps: ActionDeps, portalId: number, contactId: string): Promise<void> {
  const contact = await findContact(deps.db, portalId, contactId);
  if (!contact || contact.gone) throw new NotFoundError(`contact ${contactId} not found`, 'contact_not_found');
}
