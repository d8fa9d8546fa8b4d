import type { AppDeps, Settings } from '../core';
import { createMailer, isPermanentMailFailure } from '../surveys';
import { alertEmail, slackMessage, teamsMessage } from './alert-message';
import type { AnswerForAlert } from './alerts.repo';
import { disableWebhook, getWebhook, type StoredWebhook } from './alerts.repo';
import { webhookRefusal } from './alert.rules';
import { postWebhook, AlertSendError } from './webhook-send';

// Sending one alert message (one answer, or a day's digest) to a destination. Throws on failure: the outbox
// retries it. `permanent` on the error says retrying alone will not help (a refused address, a 4xx, a 5xx mail).

export interface SendResult {
  /** Something was sent (false: nothing to send, e.g. no owner with an email address). */
  sent: boolean;
  note?: string;
}

/** Emails of the portal's owners, read once per batch from HubSpot's owners API. */
export function ownerEmails(deps: AppDeps, portalId: number): (ownerId: string) => Promise<string | null> {
  let owners: Promise<Map<string, string>> | null = null;
  return async (ownerId) => {
    owners ??= deps.hubspot
      .forPortal(portalId)
      .listOwners()
      .then((list) => new Map(list.filter((o) => o.email).map((o) => [o.id, o.email])));
    return (await owners).get(ownerId) ?? null;
  };
}

/** The owner an answer's alert goes to: the contact owner, else the default owner of follow-ups. */
export function ownerOf(answer: Pick<AnswerForAlert, 'ownerId'>, settings: Settings): string | null {
  return answer.ownerId ?? settings.followUps.defaultOwnerId ?? null;
}

function senderAddress(deps: AppDeps, settings: Settings): { name: string; address: string } {
  const m = /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(deps.config.mailFrom);
  const address = settings.brand.senderEmail ?? (m ? m[1]! : deps.config.mailFrom.trim());
  return { name: `${settings.brand.name} alerts`.replace(/[\r\n]+/g, ' '), address };
}

export async function sendOwnerEmail(
  deps: AppDeps,
  settings: Settings,
  to: string,
  answers: AnswerForAlert[],
  day: string | null,
  messageKey: string,
): Promise<void> {
  const mail = alertEmail(answers, day);
  const from = senderAddress(deps, settings);
  const domain = from.address.split('@')[1] ?? 'localhost';
  try {
    await createMailer(deps.config, deps.mailTransport).send(
      {
        from,
        to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: `<alert.${messageKey}@${domain}>`,
        headers: { 'Auto-Submitted': 'auto-generated' },
      },
      deps.clock.now(),
    );
  } catch (err) {
    throw new AlertSendError(
      `the alert email could not be sent: ${(err as Error).message}`,
      isPermanentMailFailure(err),
    );
  }
}

/** Where a disabled webhook or a refused message shows on /healthz (apart from the outbox's own key). */
export const webhookHealthKey = (portalId: number) => `alerts-webhook:${portalId}`;

export function reportDisabledWebhook(deps: Pick<AppDeps, 'health'>, portalId: number, reason: string): void {
  deps.health.report(webhookHealthKey(portalId), {
    portalId,
    message: `the alert webhook is disabled: ${reason}. Save a new address on /dashboard/settings/alerts/webhook`,
  });
}

/**
 * Posts to the portal's webhook. A refusal that retrying cannot fix does not throw (webhookRefusal): a webhook
 * that is gone or refuses us is disabled, a refused message is dropped; both show on /healthz.
 */
export async function sendToWebhook(
  deps: AppDeps,
  portalId: number,
  answers: AnswerForAlert[],
  day: string | null,
): Promise<SendResult> {
  const hook = await getWebhook(deps.db, portalId);
  if (!hook) return { sent: false, note: 'no webhook configured any more' };
  if (hook.disabled) return { sent: false, note: `the webhook is disabled: ${hook.disabled.reason}` };
  const message = hook.kind === 'slack' ? slackMessage(answers, day) : teamsMessage(answers, day);
  try {
    await postWebhook(deps.config, deps.cipher.decrypt(hook.urlEnc), message);
  } catch (err) {
    if (!(err instanceof AlertSendError)) throw err;
    return refused(deps, portalId, hook, err);
  }
  deps.health.clear(webhookHealthKey(portalId));
  return { sent: true };
}

async function refused(deps: AppDeps, portalId: number, hook: StoredWebhook, err: AlertSendError): Promise<SendResult> {
  const action = webhookRefusal(err.status);
  if (action === 'retry') throw err;
  if (action === 'disable') {
    if (await disableWebhook(deps.db, portalId, hook.urlEnc, err.message, deps.clock.now()))
      reportDisabledWebhook(deps, portalId, err.message);
    return { sent: false, note: `the webhook is disabled: ${err.message}` };
  }
  deps.health.report(webhookHealthKey(portalId), {
    portalId,
    message: `an alert message was refused by the webhook and dropped: ${err.message}`,
  });
  return { sent: false, note: `dropped: ${err.message}` };
}
