import { ALERT_ANSWER_KIND, getSettings, type AppDeps, type Settings } from '../core';
import { defineOutboxKind, describeError, type BatchOutcome, type DrainContext, type OutboxItem } from '../outbox';
import {
  destinationsOf,
  digestDayOf,
  digestDueAt,
  digestKey,
  needsSending,
  parseDigestKey,
  parseSendKey,
  sendKey,
  shouldPlanAlert,
  type AlertDestination,
} from './alert.rules';
import {
  getWebhook,
  loadAlertAnswers,
  loadPlanned,
  markAlertsSent,
  planAlert,
  unsentDigest,
  type AnswerForAlert,
  type PlannedAlert,
} from './alerts.repo';
import { ownerEmails, ownerOf, sendOwnerEmail, sendToWebhook, type SendResult } from './deliver';
import { AlertSendError } from './webhook-send';

// Detractor alerts in three outbox kinds, so each step is durable and retried on its own:
//  1. alert-answer <responseId>: marked in the answer's own statement (src/responses). Decides per destination
//     whether this version of the answer alerts (a changed answer only when worse), records it in
//     alert_deliveries and marks step 2 or 3 in the same transaction.
//  2. alert-send <responseId>:<destination>: one message now. Sent only while what was sent is missing or
//     better than what is wanted, so a repeated item or a second drain sends nothing twice.
//  3. alert-digest <destination>:<day>: due the next UTC midnight; one message per day (per owner for email).

/**
 * An immediate alert waits this long when the answer gets a follow-up task, so the task (created from the same
 * answer by the follow-ups outbox within seconds) exists and the alert can link to it.
 */
export const WAIT_FOR_TASK_MS = 15_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const alertSendOutbox = defineOutboxKind({
  kind: 'alert-send',
  queue: 'alerts.send',
  batchSize: 20,
  health: { key: (portalId) => `alerts:${portalId}`, message: 'a detractor alert could not be delivered' },
  handle: (ctx, items) => sendImmediate(ctx, items),
});

export const alertDigestOutbox = defineOutboxKind({
  kind: 'alert-digest',
  queue: 'alerts.digest',
  batchSize: 10,
  health: { key: (portalId) => `alerts:${portalId}`, message: 'a detractor alert digest could not be delivered' },
  handle: (ctx, items) => sendDigests(ctx, items),
});

export const alertAnswerOutbox = defineOutboxKind({
  kind: ALERT_ANSWER_KIND,
  queue: 'alerts.plan',
  handle: (ctx, items) => planAlerts(ctx, items),
});

async function planAlerts(ctx: DrainContext, items: OutboxItem[]): Promise<BatchOutcome> {
  const { deps, portalId } = ctx;
  const all = await getSettings(deps.db, portalId);
  const settings = all.alerts;
  const ids = items.filter((i) => UUID.test(i.key)).map((i) => i.key.toLowerCase());
  if (!settings.enabled || ids.length === 0) return { done: items, counts: { planned: 0 } };
  const hook = await getWebhook(deps.db, portalId);
  const destinations = destinationsOf(settings, hook !== null && hook.disabled === null);
  const answers = await loadAlertAnswers(deps.db, portalId, ids);
  const planned = await loadPlanned(deps.db, portalId, ids);
  const now = deps.clock.now();
  let count = 0;
  for (const id of ids) {
    const answer = answers.get(id);
    if (!answer) continue; // erased since
    for (const { destination, delivery } of destinations) {
      const before = planned.get(sendKey(id, destination));
      if (!shouldPlanAlert(settings, answer, before?.wanted ?? null)) continue;
      const digestDay = delivery === 'digest' ? digestDayOf(now) : null;
      const taskExpected = all.followUps[answer.category].enabled && !answer.taskId;
      const sendAt = new Date(now.getTime() + (taskExpected ? WAIT_FOR_TASK_MS : 0));
      await deps.db.transaction(async (tx) => {
        await planAlert(tx, portalId, {
          responseId: id,
          destination,
          score: answer.score,
          category: answer.category,
          digestDay,
        });
        if (digestDay)
          await alertDigestOutbox.mark(tx, portalId, digestKey(destination, digestDay), digestDueAt(digestDay));
        else await alertSendOutbox.mark(tx, portalId, sendKey(id, destination), sendAt);
      });
      count++;
    }
  }
  return { done: items, counts: { planned: count } };
}

/** Alerts turned off (or the owner email) since the alert was planned: it is dropped, not sent. */
function stillWanted(settings: Settings, destination: AlertDestination): boolean {
  return settings.alerts.enabled && (destination !== 'owner-email' || settings.alerts.ownerEmail);
}

function failure(item: OutboxItem, err: unknown) {
  return {
    item,
    reason: describeError(err),
    rejected: err instanceof AlertSendError ? err.permanent : false,
  };
}

async function sendImmediate(ctx: DrainContext, items: OutboxItem[]): Promise<BatchOutcome> {
  const { deps, portalId } = ctx;
  const settings = await getSettings(deps.db, portalId);
  const keyed = items.map((item) => ({ item, key: parseSendKey(item.key) }));
  const ids = [...new Set(keyed.flatMap((k) => (k.key ? [k.key.responseId] : [])))];
  const answers = await loadAlertAnswers(deps.db, portalId, ids);
  const planned = await loadPlanned(deps.db, portalId, ids);
  const emailOf = ownerEmails(deps, portalId);
  const out: Required<Pick<BatchOutcome, 'done' | 'failed'>> = { done: [], failed: [] };
  let sent = 0;
  for (const { item, key } of keyed) {
    const plan = key ? planned.get(item.key.toLowerCase()) : undefined;
    const answer = key ? answers.get(key.responseId) : undefined;
    if (!key || !plan || !answer || !stillWanted(settings, key.destination) || !needsSending(plan.wanted, plan.sent)) {
      out.done.push(item);
      continue;
    }
    try {
      await ctx.beforeCall();
      const view = { ...answer, score: plan.wanted.score, category: plan.wanted.category };
      const went = await sendOne(deps, settings, key.destination, view, emailOf, item.key);
      if (went.sent) {
        await markAlertsSent(deps.db, portalId, [plan], deps.clock.now());
        sent++;
      } else ctx.log.warn({ key: item.key, note: went.note }, 'detractor alert not sent');
      out.done.push(item);
    } catch (err) {
      out.failed.push(failure(item, err));
    }
  }
  return { ...out, landed: sent, counts: { sent } };
}

async function sendOne(
  deps: AppDeps,
  settings: Settings,
  destination: AlertDestination,
  answer: AnswerForAlert,
  emailOf: (ownerId: string) => Promise<string | null>,
  messageKey: string,
): Promise<SendResult> {
  if (destination === 'webhook') return sendToWebhook(deps, answer.portalId, [answer], null);
  const ownerId = ownerOf(answer, settings);
  const to = ownerId ? await emailOf(ownerId) : null;
  if (!to) return { sent: false, note: 'no owner with an email address' };
  await sendOwnerEmail(deps, settings, to, [answer], null, `${messageKey}.${answer.score}`.replace(/:/g, '.'));
  return { sent: true };
}

async function sendDigests(ctx: DrainContext, items: OutboxItem[]): Promise<BatchOutcome> {
  const { deps, portalId } = ctx;
  const settings = await getSettings(deps.db, portalId);
  const emailOf = ownerEmails(deps, portalId);
  const out: Required<Pick<BatchOutcome, 'done' | 'failed'>> = { done: [], failed: [] };
  let sent = 0;
  for (const item of items) {
    const key = parseDigestKey(item.key);
    if (!key || !stillWanted(settings, key.destination)) {
      out.done.push(item);
      continue;
    }
    try {
      const entries = await unsentDigest(deps.db, portalId, key.destination, key.day);
      const answers = await loadAlertAnswers(
        deps.db,
        portalId,
        entries.map((e) => e.responseId),
      );
      const groups = new Map<string, Array<{ plan: PlannedAlert; answer: AnswerForAlert }>>();
      for (const plan of entries) {
        const answer = answers.get(plan.responseId);
        if (!answer) continue;
        const owner = key.destination === 'owner-email' ? ownerOf(answer, settings) : 'webhook';
        if (!owner) continue;
        groups.set(owner, [
          ...(groups.get(owner) ?? []),
          { plan, answer: { ...answer, score: plan.wanted.score, category: plan.wanted.category } },
        ]);
      }
      for (const [owner, group] of groups) {
        await ctx.beforeCall();
        const list = group.map((g) => g.answer);
        let went = false;
        if (key.destination === 'webhook') went = (await sendToWebhook(deps, portalId, list, key.day)).sent;
        else {
          const to = await emailOf(owner);
          if (to) {
            await sendOwnerEmail(deps, settings, to, list, key.day, `digest.${key.day}.${owner}.${group.length}`);
            went = true;
          }
        }
        // Marked per message, so a retry after a later message failed does not send this one again.
        if (went) {
          await markAlertsSent(
            deps.db,
            portalId,
            group.map((g) => g.plan),
            deps.clock.now(),
          );
          sent++;
        }
      }
      out.done.push(item);
    } catch (err) {
      out.failed.push(failure(item, err));
    }
  }
  return { ...out, landed: sent, counts: { sent } };
}
