import type { Settings } from '../core';
import { DAY_MS } from '../shared';

// Whether the widget shows a survey to a signed-in contact now (pure). One quiet period per contact covers every
// channel; a dismissal snoozes the widget without restarting the quiet period (a dismissed invitation is skipped,
// and skipped invitations never count as surveys).

export interface DueContact {
  contactId: string;
  deleted: boolean;
  optedOut: boolean;
  snoozedUntil: Date | null;
  /** The open web invitation (scheduled and due, sent or reminded, not expired), if any. */
  openInvitationId: string | null;
  /** The latest survey sent or scheduled on any channel, apart from the open web invitation. */
  lastSurveyAt: Date | null;
}

export interface DueInput {
  now: Date;
  enabled: boolean;
  askOnVisit: boolean;
  quietPeriodDays: number;
  contact: DueContact | null;
}

export type DueDecision =
  | { due: true; source: 'invitation'; invitationId: string }
  | { due: true; source: 'visit' }
  | { due: false; reason: NotDueReason };

type NotDueReason =
  'disabled' | 'unknown_contact' | 'contact_deleted' | 'opted_out' | 'snoozed' | 'quiet_period' | 'nothing_open';

export function decideDue(input: DueInput): DueDecision {
  const c = input.contact;
  if (!input.enabled) return { due: false, reason: 'disabled' };
  if (!c) return { due: false, reason: 'unknown_contact' };
  if (c.deleted) return { due: false, reason: 'contact_deleted' };
  if (c.optedOut) return { due: false, reason: 'opted_out' };
  if (c.snoozedUntil && c.snoozedUntil.getTime() > input.now.getTime()) return { due: false, reason: 'snoozed' };
  if (c.openInvitationId) return { due: true, source: 'invitation', invitationId: c.openInvitationId };
  if (!input.askOnVisit) return { due: false, reason: 'nothing_open' };
  if (!quietPeriodOver(input.now, input.quietPeriodDays, c.lastSurveyAt)) return { due: false, reason: 'quiet_period' };
  return { due: true, source: 'visit' };
}

function quietPeriodOver(now: Date, days: number, last: Date | null): boolean {
  return days <= 0 || !last || last.getTime() + days * DAY_MS <= now.getTime();
}

/** Until when a dismissal keeps the widget away. */
export function snoozeUntil(now: Date, snoozeDays: number): Date {
  return new Date(now.getTime() + snoozeDays * DAY_MS);
}

/** The rule id of the "ask on visit" invitations (trigger 'relationship', but not the relationship cadence's). */
export const VISIT_RULE_ID = 'web-visit';

/**
 * How many days a dismissal snoozes the widget: the days of the rule behind the invitation (a deal or ticket
 * trigger rule, or the relationship cadence), else the portal's (ask on visit, workflows, a rule since removed).
 */
export function snoozeDaysFor(
  settings: Pick<Settings, 'triggers' | 'relationship' | 'webSurvey'>,
  invitation: { trigger: string; ruleId: string | null },
): number {
  let own: number | undefined;
  if (invitation.trigger === 'deal' || invitation.trigger === 'ticket')
    own = settings.triggers.find((r) => r.id === invitation.ruleId)?.webSnoozeDays;
  else if (invitation.trigger === 'relationship' && invitation.ruleId !== VISIT_RULE_ID)
    own = settings.relationship.webSnoozeDays;
  return own ?? settings.webSurvey.snoozeDays;
}
