import { SMS_SEND_KIND, type AppDeps, type Settings } from '../core';
import { markOutbox } from '../outbox';
import type { Queryable } from '../storage';
import { evaluateFatigue, loadFatigueInput } from '../triggers';
import {
  fixExpiry,
  markReminderSkipped,
  markRemindedWith,
  markSent,
  markSkipped,
  type Delivery,
} from './delivery.repo';

// Invitations on the channels our own mail does not carry:
//  - sms: once due, the invitation becomes sent and a text is queued in the same transaction (outbox kind
//    SMS_SEND_KIND, sent by src/sms exactly once per key); its reminder likewise.
//  - web: nothing is sent. Once due it becomes sent (open) with its link expiry fixed, and the in-app widget shows
//    it the next time the person is seen in the customer's web app, until it expires.

type ChannelDeps = Pick<AppDeps, 'db' | 'clock' | 'config'>;

/** The outbox key of one text: deterministic per invitation and kind, so a retried item never sends twice. */
function smsSendKey(invitationId: string, kind: 'invitation' | 'reminder'): string {
  return `${invitationId}:${kind}`;
}

/** Why this contact cannot get this invitation on its channel now, or null. The quiet period was applied already. */
async function channelSkipReason(deps: ChannelDeps, row: Delivery, settings: Settings): Promise<string | null> {
  if (row.channel === 'sms' && !deps.config.twilio) return 'sms_not_configured';
  const input = await loadFatigueInput(deps.db, row.portalId, row.contactId, {
    excludeInvitationId: row.id,
    defaultCountry: settings.sms?.defaultCountry,
  });
  const channel = row.channel === 'sms' ? 'sms' : 'web';
  const decision = evaluateFatigue({ now: deps.clock.now(), quietPeriodDays: 0, ...input, channel });
  return decision.ok ? null : decision.reason;
}

/** A due sms or web invitation: skipped with its channel's reason, or made sent (and its text queued). */
export async function handOverInvitation(
  deps: ChannelDeps,
  row: Delivery,
  settings: Settings,
  linkExpiry: Date,
): Promise<'sent' | 'skipped' | 'none'> {
  const reason = await channelSkipReason(deps, row, settings);
  if (reason) {
    await markSkipped(deps.db, row, reason);
    return 'skipped';
  }
  await fixExpiry(deps.db, row.id, linkExpiry);
  const queueText =
    row.channel === 'sms'
      ? (tx: Queryable) => markOutbox(tx, row.portalId, SMS_SEND_KIND, smsSendKey(row.id, 'invitation'))
      : undefined;
  return (await markSent(deps.db, row, deps.clock.now(), queueText)) ? 'sent' : 'none';
}

/** A due SMS reminder: skipped for good when the contact cannot get texts any more, else queued once. */
export async function handOverReminder(deps: ChannelDeps, row: Delivery, settings: Settings): Promise<boolean> {
  const reason = await channelSkipReason(deps, row, settings);
  if (reason) {
    await markReminderSkipped(deps.db, row.id, reason);
    return false;
  }
  return markRemindedWith(deps.db, row.id, deps.clock.now(), (tx) =>
    markOutbox(tx, row.portalId, SMS_SEND_KIND, smsSendKey(row.id, 'reminder')),
  );
}
