import { SMS_SEND_KIND, getSettings } from '../core';
import { defineOutboxKind, describeError, type BatchOutcome, type DrainContext, type OutboxItem } from '../outbox';
import { needsStopWording, normalisePhone } from '../shared';
import { normaliseLanguage } from '../surveys';
import { composeSms, shortCode, shortLink } from './message';
import { replyWithNumberFor } from './reply-rule';
import { isSmsOptedOut } from '../triggers';
import { loadSmsJob, optOutPhone, recordNotTexted, recordSentSms, sentMessageSid } from './sms.repo';
import { senderFor } from './sender';
import { SmsSendError } from './twilio-client';

// Survey texts, one outbox item per text: key "<invitation id>:invitation" or ":reminder", marked by the survey
// delivery (src/surveys/channel-delivery.ts) in the transaction that makes the invitation sent or reminded.
//
// Exactly once: a text Twilio accepted is recorded under its key (sms_messages.send_key) before the item is
// done, and an item whose key is recorded sends nothing. 429 and 5xx answers and timeouts are retried with the
// outbox's backoff; another 4xx is final for that text. The one window for a second copy is a crash between
// Twilio's 201 and the commit of the record (milliseconds).

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const smsSendOutbox = defineOutboxKind({
  kind: SMS_SEND_KIND,
  queue: 'sms.send',
  batchSize: 20,
  health: { key: (portalId) => `sms:${portalId}`, message: 'survey texts could not be handed to Twilio' },
  handle: (ctx, items) => sendTexts(ctx, items),
});

function parseKey(key: string): { invitationId: string; kind: 'invitation' | 'reminder' } | null {
  const [invitationId = '', kind] = key.split(':');
  if (!UUID.test(invitationId) || (kind !== 'invitation' && kind !== 'reminder')) return null;
  return { invitationId: invitationId.toLowerCase(), kind };
}

async function sendTexts(ctx: DrainContext, items: OutboxItem[]): Promise<BatchOutcome> {
  const done: OutboxItem[] = [];
  const counts = { sent: 0, notSent: 0 };
  for (const item of items) {
    try {
      const outcome = await sendOne(ctx, item);
      counts[outcome === 'sent' ? 'sent' : 'notSent']++;
      done.push(item);
    } catch (err) {
      if (err instanceof SmsSendError && !err.permanent) {
        // Twilio is unwell (429, 5xx, no answer): this item backs off and the pass ends, as for HubSpot.
        return { done, failed: [{ item, reason: describeError(err), rejected: false }], counts };
      }
      throw err;
    }
  }
  return { done, counts, landed: counts.sent };
}

async function sendOne(ctx: DrainContext, item: OutboxItem): Promise<'sent' | 'not_sent'> {
  const { deps } = ctx;
  const key = parseKey(item.key);
  if (!key) return 'not_sent';
  if (await sentMessageSid(deps.db, item.key)) return 'not_sent'; // already handed to Twilio
  const job = await loadSmsJob(deps.db, key.invitationId);
  const open = key.kind === 'invitation' ? ['sent'] : ['reminded'];
  if (!job || job.channel !== 'sms' || !open.includes(job.status)) return 'not_sent'; // answered, expired, erased
  const settings = await getSettings(deps.db, job.portalId);
  const phone = normalisePhone([job.mobilephone, job.phone], {
    contactCountry: job.country,
    defaultCountry: settings.sms?.defaultCountry,
  });
  const reason = job.deleted
    ? 'contact_deleted'
    : job.surveyOptedOut
      ? 'opted_out'
      : !phone.ok
        ? phone.reason
        : (await isSmsOptedOut(deps.db, phone.e164))
          ? 'sms_opted_out'
          : !deps.config.twilio
            ? 'sms_not_configured'
            : null;
  if (reason || !phone.ok) {
    if (key.kind === 'invitation') await recordNotTexted(deps.db, key.invitationId, reason ?? 'no_phone');
    return 'not_sent';
  }
  const code = shortCode(deps.config.surveySigningKey, key.invitationId);
  const body = composeSms({
    lang: normaliseLanguage(job.language ?? job.contactLanguage, settings.defaultLanguage),
    kind: key.kind,
    brand: settings.brand.name,
    link: shortLink(deps.config.publicBaseUrl, code),
    replyWithNumber: replyWithNumberFor(settings, job),
    stopWording: needsStopWording(phone.country),
  });
  await ctx.beforeCall();
  const sender = senderFor(deps.config.twilio!);
  try {
    const sent = await sender.send({
      to: phone.e164,
      body,
      statusCallback: `${deps.config.publicBaseUrl}/webhooks/twilio/status`,
    });
    await recordSentSms(deps.db, {
      sendKey: item.key,
      portalId: job.portalId,
      invitationId: key.invitationId,
      kind: key.kind,
      toPhone: phone.e164,
      shortCode: code,
      messageSid: sent.sid,
      status: sent.status,
      sentAt: deps.clock.now(),
    });
    return 'sent';
  } catch (err) {
    if (!(err instanceof SmsSendError) || !err.permanent) throw err;
    if (err.optedOut) await optOutPhone(deps.db, phone.e164, deps.clock.now());
    if (key.kind === 'invitation')
      await recordNotTexted(deps.db, key.invitationId, err.optedOut ? 'sms_opted_out' : 'failed', err.message);
    ctx.log.warn({ invitationId: key.invitationId, err: err.message }, 'Twilio refused a survey text');
    return 'not_sent';
  }
}
