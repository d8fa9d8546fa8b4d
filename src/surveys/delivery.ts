import type { AppDeps } from '../core';
import { getSettings } from '../core';
import type { Settings } from '../core';
import { listActivePortalIds } from '../core';
import { DAY_MS } from '../shared';
import { evaluateFatigue } from '../triggers';
import {
  claimDueInvitations,
  claimDueReminders,
  confirmClaim,
  expireDue,
  fixExpiry,
  loadRecipient,
  markEmailRejected,
  markReminded,
  markReminderSkipped,
  markSent,
  markSkipped,
  recordSendFailure,
  type Delivery,
  type Recipient,
} from './delivery.repo';
import { renderSurveyEmail, type MailKind } from './email.view';
import { resolveWording } from './wording';
import { normaliseLanguage } from './i18n';
import { surveyUrl, unsubscribeUrl } from '../core';
import { isPermanentMailFailure, type Mailer } from './mailer';
import { handOverInvitation, handOverReminder } from './channel-delivery';

// The delivery cycle: send due invitations, send the one reminder, expire old links.
//
// Exactly once: a sender first claims an invitation (send_claimed_at, committed), re-confirms the claim just
// before sending, sends, then marks it sent (committed). Two senders never hold the same claim (conditional UPDATE
// + SKIP LOCKED; a takeover bumps send_attempts, so the old holder's re-confirmation fails). If a sender dies after
// claiming, the claim times out (CLAIM_TIMEOUT_MS, far longer than the bounded SMTP exchange) and another sender
// retries. That is safe up to the SMTP server's 250 reply to DATA: before it no message was accepted (a server
// discards a transaction cut short). The only window for a second copy is between that 250 and the commit of
// 'sent' — milliseconds — and the resend carries the same Message-ID (<invitation.1@domain>) and the same link,
// so receiving systems can drop the duplicate.

export type DeliveryDeps = Pick<AppDeps, 'db' | 'clock' | 'config' | 'logger'> & { mailer: Mailer };

export interface CycleResult {
  sent: number;
  skipped: number;
  failed: number;
  reminded: number;
  expired: number;
}

/**
 * Messages in flight at once per process: gentle on the SMTP relay, enough for thousands an hour. Claims are taken
 * this many at a time, so a process that dies strands at most the sends it had in flight (until CLAIM_TIMEOUT_MS).
 */
const CONCURRENCY = 4;
const BATCH = CONCURRENCY;
/** A send that failed this often (transient errors each time) is given up and recorded as skipped. */
const MAX_SEND_ATTEMPTS = 5;
/** One cycle stops claiming new work after this long; the next tick continues. */
const CYCLE_BUDGET_MS = 20_000;

/** One pass over everything due: sends, reminders, expiries. Safe to run in several processes at once. */
export async function runDeliveryCycle(deps: DeliveryDeps): Promise<CycleResult> {
  const result: CycleResult = { sent: 0, skipped: 0, failed: 0, reminded: 0, expired: 0 };
  const deadline = Date.now() + CYCLE_BUDGET_MS;
  const settings = settingsCache(deps);
  while (Date.now() < deadline) {
    const claimed = await claimDueInvitations(deps.db, deps.clock.now(), BATCH);
    await eachWithConcurrency(claimed, (row) => deliverInvitation(deps, row, settings, result));
    if (claimed.length < BATCH) break;
  }
  await sendDueReminders(deps, settings, result, deadline);
  result.expired = await expireInvitations(deps);
  if (result.sent + result.skipped + result.failed + result.reminded + result.expired > 0) {
    deps.logger.info({ module: 'surveys', ...result }, 'survey delivery cycle');
  }
  return result;
}

async function deliverInvitation(
  deps: DeliveryDeps,
  row: Delivery,
  settingsOf: SettingsCache,
  result: CycleResult,
): Promise<void> {
  const log = deps.logger.child({ module: 'surveys', invitationId: row.id, portalId: row.portalId });
  const now = deps.clock.now();
  if (!row.portalActive) {
    // The app was uninstalled from the portal: its surveys are not ours to send any more.
    await markSkipped(deps.db, row, 'portal_uninstalled');
    result.skipped++;
    return;
  }
  const settings = await settingsOf(row.portalId);
  if (row.channel === 'sms' || row.channel === 'web') {
    const expiry = wholeSeconds(now.getTime() + settings.linkExpiryDays * DAY_MS);
    const outcome = await handOverInvitation(deps, row, settings, expiry);
    if (outcome !== 'none') result[outcome]++;
    return;
  }
  const recipient = await loadRecipient(deps.db, row.portalId, row.contactId);
  // The quiet period was applied when the invitation was scheduled; here only who the person is now matters.
  const decision = evaluateFatigue({ now, quietPeriodDays: 0, lastSurveyAt: null, contact: recipient });
  if (!decision.ok) {
    await markSkipped(deps.db, row, decision.reason);
    result.skipped++;
    log.info({ reason: decision.reason }, 'survey skipped at send time');
    return;
  }
  const expiresAt = await fixExpiry(deps.db, row.id, wholeSeconds(now.getTime() + settings.linkExpiryDays * DAY_MS));
  if (row.channel === 'hubspot') {
    // HubSpot sends it: the write-back puts the link into nps_survey_link and a marketing email carries it.
    if (await markSent(deps.db, row, now)) result.sent++;
    return;
  }
  if (!(await confirmClaim(deps.db, 'invitation', row, deps.clock.now()))) return;
  try {
    await deps.mailer.send(composeEmail(deps, 'invitation', { ...row, expiresAt }, recipient!, settings), now);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (isPermanentMailFailure(err)) await markEmailRejected(deps.db, row.portalId, row.contactId, recipient!.email!);
    if (isPermanentMailFailure(err) || row.sendAttempts >= MAX_SEND_ATTEMPTS) {
      await markSkipped(
        deps.db,
        row,
        isPermanentMailFailure(err) ? 'email_rejected' : 'send_failed',
        message.slice(0, 500),
      );
      result.skipped++;
      log.warn({ err, attempts: row.sendAttempts }, 'survey email given up');
    } else {
      await recordSendFailure(deps.db, row.id, message);
      result.failed++;
      log.warn({ err, attempts: row.sendAttempts }, 'survey email failed; it is retried when its claim times out');
    }
    return;
  }
  if (await markSent(deps.db, row, now)) result.sent++;
}

async function sendDueReminders(
  deps: DeliveryDeps,
  settingsOf: SettingsCache,
  result: CycleResult,
  deadline: number,
): Promise<void> {
  for (const portalId of await listActivePortalIds(deps.db)) {
    const settings = await settingsOf(portalId);
    if (!settings.remindersEnabled) continue;
    while (Date.now() < deadline) {
      const now = deps.clock.now();
      const claimed = await claimDueReminders(
        deps.db,
        portalId,
        now,
        new Date(now.getTime() - settings.reminderAfterDays * DAY_MS),
        BATCH,
      );
      await eachWithConcurrency(claimed, (row) => remind(deps, row, settings, result));
      if (claimed.length < BATCH) break;
    }
  }
}

async function remind(deps: DeliveryDeps, row: Delivery, settings: Settings, result: CycleResult): Promise<void> {
  if (row.channel === 'sms') {
    if (await handOverReminder(deps, row, settings)) result.reminded++;
    return;
  }
  const now = deps.clock.now();
  const recipient = await loadRecipient(deps.db, row.portalId, row.contactId);
  const decision = evaluateFatigue({ now, quietPeriodDays: 0, lastSurveyAt: null, contact: recipient });
  if (!decision.ok) {
    await markReminderSkipped(deps.db, row.id, decision.reason);
    return;
  }
  if (!(await confirmClaim(deps.db, 'reminder', row, deps.clock.now()))) return;
  try {
    await deps.mailer.send(composeEmail(deps, 'reminder', row, recipient!, settings), now);
  } catch (err) {
    if (isPermanentMailFailure(err)) {
      await markEmailRejected(deps.db, row.portalId, row.contactId, recipient!.email!);
      await markReminderSkipped(deps.db, row.id, 'email_rejected');
    }
    deps.logger.warn({ module: 'surveys', err, invitationId: row.id }, 'survey reminder failed');
    result.failed++;
    return;
  }
  await markReminded(deps.db, row.id, now);
  result.reminded++;
}

/** Expires every open invitation past its link expiry. */
async function expireInvitations(deps: Pick<DeliveryDeps, 'db' | 'clock'>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await expireDue(deps.db, deps.clock.now(), 500);
    total += n;
    if (n < 500) return total;
  }
}

function composeEmail(deps: DeliveryDeps, kind: MailKind, row: Delivery, recipient: Recipient, settings: Settings) {
  const link = { portalId: row.portalId, invitationId: row.id, expiresAt: row.expiresAt! };
  const lang = normaliseLanguage(row.language ?? recipient.language, settings.defaultLanguage);
  const wording = resolveWording({ settings, lang, ruleId: row.ruleId, invitation: { question: row.question } });
  return renderSurveyEmail({
    kind,
    lang,
    brand: settings.brand,
    mailFrom: deps.config.mailFrom,
    to: { email: recipient.email!, firstname: recipient.firstname },
    question: wording.question,
    subject: wording.emailSubject,
    intro: wording.emailIntro,
    invitationId: row.id,
    scoreLinks: Array.from({ length: 11 }, (_, score) => surveyUrl(deps.config, link, score)),
    unsubscribeLink: unsubscribeUrl(deps.config, link),
    expiresAt: link.expiresAt,
  });
}

type SettingsCache = (portalId: number) => Promise<Settings>;

function settingsCache(deps: Pick<DeliveryDeps, 'db'>): SettingsCache {
  const cache = new Map<number, Promise<Settings>>();
  return (portalId) => {
    let s = cache.get(portalId);
    if (!s) cache.set(portalId, (s = getSettings(deps.db, portalId)));
    return s;
  };
}

function wholeSeconds(ms: number): Date {
  return new Date(Math.floor(ms / 1000) * 1000);
}

async function eachWithConcurrency<T>(items: T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
}
