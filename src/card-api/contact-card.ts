import {
  HISTORY_COMMENT_LIMIT,
  type CanSend,
  type ContactCard,
  type HistoryEntry,
  type SurveyStatus,
} from '../../extensions/app/cards/contract';
import type { Db } from '../storage';
import { defaultSettings, settingsSchema, type Settings } from '../core';
import { evaluateFatigue, type FatigueDecision } from '../triggers';
import { currentAnswer, previousAnswer, scoreChange } from '../responses';
import { DAY_MS } from '../shared';
import { NotFoundError } from '../shared';
import type { FollowUpReader } from './follow-ups';
import { recordUrl } from './links';
import { loadContactCardData } from './contact-card.repo';
import type { AnswerRow, InvitationSummary } from './card.repo';

// GET /api/card/contacts/:id — everything the contact card shows, in the shape of the shared contract.

const SOURCE_TYPES = new Set(['deal', 'ticket', 'workflow', 'relationship', 'manual', 'import']);

const BLOCKER_MESSAGES: Record<string, string> = {
  opted_out: 'The contact opted out of email.',
  no_email: 'The contact has no email address.',
  bounced: 'Email to this contact bounced.',
  contact_deleted: 'The contact was deleted.',
  unknown_contact: 'NPS Loop has not synced this contact yet.',
};

export async function buildContactCard(
  deps: { db: Db; followUps: FollowUpReader },
  portalId: number,
  contactId: string,
  now: Date,
): Promise<ContactCard> {
  const data = await loadContactCardData(deps.db, portalId, contactId);
  if (!data || data.contact.gone) throw new NotFoundError(`contact ${contactId} not found`, 'contact_not_found');
  const { contact, answers, total, invitations, lastSurveyAt } = data;
  const settings = storedSettings(data.settings);
  const current = currentAnswer(answers, now, settings.answerExpiryMonths);
  const change = current ? scoreChange(current.score, previousAnswer(answers, current)?.score ?? null) : null;
  const fatigue = evaluateFatigue({
    now,
    quietPeriodDays: settings.quietPeriodDays,
    contact: { email: contact.email, optedOut: contact.optedOut, bounced: contact.bounced, deleted: contact.deleted },
    lastSurveyAt,
  });
  const quietUntil =
    lastSurveyAt && settings.quietPeriodDays > 0
      ? new Date(lastSurveyAt.getTime() + settings.quietPeriodDays * DAY_MS)
      : null;
  return {
    contactId: contact.contactId,
    score: current?.score ?? null,
    category: current?.category ?? null,
    currentAnsweredAt: current?.answeredAt.toISOString() ?? null,
    change: change && {
      trend: change.trend,
      previousScore: change.previousScore,
      points: change.change,
      atRisk: change.atRisk,
    },
    history: answers.map((a) => historyEntry(portalId, a)),
    historyTotal: total,
    trend: [...answers].reverse().map((a) => ({ date: a.answeredAt.toISOString(), score: a.score })),
    openFollowUps: await deps.followUps.open(portalId, data.followUps),
    surveyStatus: surveyStatus(invitations, quietUntil && quietUntil > now ? quietUntil : null),
    canSend: canSend(fatigue, invitations),
  };
}

/**
 * Settings parsed from their stored JSON, keyed by that JSON's text: parsing through the schema costs several times
 * more than the key, and a portal's settings rarely change between two card views. Keyed by content, so a save
 * shows on the very next view. Read-only: the card never changes what it gets.
 */
const parsedSettings = new Map<string, Settings>();
const PARSED_SETTINGS_MAX = 200;

/** As getSettings reads them (src/core/settings-service.ts): stored JSON re-parsed so later defaults apply. */
function storedSettings(stored: unknown): Settings {
  if (!stored) return defaultSettings();
  const key = JSON.stringify(stored);
  const cached = parsedSettings.get(key);
  if (cached) return cached;
  const parsed = settingsSchema.safeParse(stored);
  const settings = parsed.success ? parsed.data : defaultSettings();
  if (parsedSettings.size >= PARSED_SETTINGS_MAX) parsedSettings.clear();
  parsedSettings.set(key, settings);
  return settings;
}

function historyEntry(portalId: number, a: AnswerRow): HistoryEntry {
  const type = (SOURCE_TYPES.has(a.trigger) ? a.trigger : 'manual') as HistoryEntry['source']['type'];
  const id = a.sourceObjectId ?? undefined;
  const url = id && a.sourceObjectType ? recordUrl(portalId, a.sourceObjectType, id) : undefined;
  return {
    responseId: a.responseId,
    answeredAt: a.answeredAt.toISOString(),
    score: a.score,
    category: a.category,
    comment: capped(a.comment),
    followUpAnswer: capped(a.followUpAnswer),
    source: { type, ...(id ? { id } : {}), ...(url ? { url } : {}), label: sourceLabel(type, id, a.sourceStage) },
    channel: a.channel as HistoryEntry['channel'],
  };
}

function capped(text: string | null): string | null {
  return text !== null && text.length > HISTORY_COMMENT_LIMIT ? `${text.slice(0, HISTORY_COMMENT_LIMIT - 1)}…` : text;
}

function sourceLabel(type: HistoryEntry['source']['type'], id: string | undefined, stage: string | null): string {
  const name = {
    deal: 'Deal',
    ticket: 'Ticket',
    workflow: 'Workflow',
    relationship: 'Relationship survey',
    manual: 'Logged by hand',
    import: 'Import',
  }[type];
  if (!id) return name;
  return stage ? `${name} ${id} (${stage})` : `${name} ${id}`;
}

/**
 * Where the next survey stands: a pending survey first, then a skip that a person must know about (opted out,
 * no email), then the quiet period, then what happened to the last survey.
 */
export function surveyStatus(inv: InvitationSummary, quietUntil: Date | null): SurveyStatus {
  const sentAt = inv.latest?.sentAt ? { sentAt: inv.latest.sentAt.toISOString() } : {};
  if (inv.pending)
    return { state: 'pending', ...(inv.pending.sentAt ? { sentAt: inv.pending.sentAt.toISOString() } : {}) };
  if (inv.latest?.status === 'skipped' && inv.latest.skipReason !== 'quiet_period') {
    return { state: 'skipped', ...(inv.latest.skipReason ? { reason: inv.latest.skipReason } : {}) };
  }
  if (quietUntil)
    return { state: 'quiet_period', reason: 'quiet_period', quietUntil: quietUntil.toISOString(), ...sentAt };
  if (!inv.latest) return { state: 'none' };
  if (inv.latest.status === 'answered' || inv.latest.status === 'expired')
    return { state: inv.latest.status, ...sentAt };
  return { state: 'skipped', reason: inv.latest.skipReason ?? 'quiet_period', ...sentAt };
}

/** Whether "Send survey now" may be pressed: never for who cannot be emailed, after a confirmation when quiet. */
export function canSend(fatigue: FatigueDecision, inv: InvitationSummary): CanSend {
  if (!fatigue.ok && fatigue.reason !== 'quiet_period') {
    return {
      allowed: false,
      needsConfirmation: false,
      // The card sends by email: the fatigue check here never names an SMS or web reason.
      code: fatigue.reason as CanSend['code'],
      reason: BLOCKER_MESSAGES[fatigue.reason] ?? fatigue.reason,
    };
  }
  if (inv.pending) {
    const reason = inv.pending.sentAt
      ? 'A survey sent recently is still waiting for an answer.'
      : 'A survey is already scheduled for this contact.';
    return { allowed: false, needsConfirmation: false, code: 'pending', reason };
  }
  if (!fatigue.ok) {
    const until = fatigue.until?.toISOString();
    return {
      allowed: true,
      needsConfirmation: true,
      code: 'quiet_period',
      reason: 'The contact is inside the quiet period.',
      ...(until ? { quietUntil: until } : {}),
    };
  }
  return { allowed: true, needsConfirmation: false };
}
