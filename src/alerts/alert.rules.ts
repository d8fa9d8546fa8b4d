import type { AlertSettings, Category } from '../core';

// When an answer alerts, and when a changed answer alerts again. Pure.

export type AlertDestination = 'owner-email' | 'webhook';
export type AlertDelivery = 'immediate' | 'digest';

const SEVERITY: Record<Category, number> = { promoter: 0, passive: 1, detractor: 2 };

export interface AnswerVersion {
  score: number;
  category: Category;
}

/** True when the answer calls for an alert: its category is chosen, or its score is at most the threshold. */
export function answerAlerts(settings: AlertSettings, answer: AnswerVersion): boolean {
  if (!settings.enabled) return false;
  if (settings.categories[answer.category]) return true;
  return settings.scoreAtMost !== undefined && answer.score <= settings.scoreAtMost;
}

/** A lower score or a worse category than what was alerted (or planned) before. */
export function isWorse(next: AnswerVersion, before: AnswerVersion): boolean {
  return next.score < before.score || SEVERITY[next.category] > SEVERITY[before.category];
}

/**
 * Whether this version of an answer must be alerted to a destination, given the worst version planned for it
 * before (null: none). A person may change their answer while the link is valid: only a worse one alerts again.
 */
export function shouldPlanAlert(
  settings: AlertSettings,
  answer: AnswerVersion,
  planned: AnswerVersion | null,
): boolean {
  if (!answerAlerts(settings, answer)) return false;
  return planned === null || isWorse(answer, planned);
}

/** Whether a planned alert still has to go out: never sent, or what was sent is better than what is wanted now. */
export function needsSending(wanted: AnswerVersion, sent: AnswerVersion | null): boolean {
  return sent === null || isWorse(wanted, sent);
}

/** The destinations configured for a portal, with how each is delivered. */
export function destinationsOf(
  settings: AlertSettings,
  webhookConfigured: boolean,
): Array<{ destination: AlertDestination; delivery: AlertDelivery }> {
  const list: Array<{ destination: AlertDestination; delivery: AlertDelivery }> = [];
  if (settings.ownerEmail) list.push({ destination: 'owner-email', delivery: settings.ownerEmailDelivery });
  if (webhookConfigured) list.push({ destination: 'webhook', delivery: settings.webhookDelivery });
  return list;
}

/** The UTC day (YYYY-MM-DD) whose digest an alert planned at `now` goes in. */
export function digestDayOf(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** When the digest of a day is sent: the start of the next UTC day. */
export function digestDueAt(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000);
}

/** Outbox keys: one immediate alert per answer and destination; one digest per destination and day. */
export const sendKey = (responseId: string, destination: AlertDestination) => `${responseId}:${destination}`;
export const digestKey = (destination: AlertDestination, day: string) => `${destination}:${day}`;

export function parseSendKey(key: string): { responseId: string; destination: AlertDestination } | null {
  const m = /^([0-9a-f-]{36}):(owner-email|webhook)$/i.exec(key);
  return m ? { responseId: m[1]!.toLowerCase(), destination: m[2] as AlertDestination } : null;
}

export function parseDigestKey(key: string): { destination: AlertDestination; day: string } | null {
  const m = /^(owner-email|webhook):(\d{4}-\d{2}-\d{2})$/.exec(key);
  return m ? { destination: m[1] as AlertDestination, day: m[2]! } : null;
}

/**
 * What a refusal by Slack or Teams means for the webhook, by HTTP status:
 *  - 404, 410 (the webhook or its channel is gone), 401, 403 (revoked, or posting not allowed): `disable`. Retrying
 *    cannot help until an admin saves a new address, and every retry would hit the same wall.
 *  - other 4xx but 408 and 429 (400, 413, 422…): our message was refused: `drop` that message, keep the webhook.
 *  - anything else (408, 429, 5xx, no answer): `retry` through the outbox.
 */
export type WebhookRefusal = 'disable' | 'drop' | 'retry';

export function webhookRefusal(status: number | undefined): WebhookRefusal {
  if (status === undefined) return 'retry';
  if (status === 404 || status === 410 || status === 401 || status === 403) return 'disable';
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) return 'drop';
  return 'retry';
}
