import type { Request, Response, Router } from 'express';
import twilio from 'twilio';
import { getSettings, surveyUrl, type AppDeps } from '../core';
import { recordSurveyAnswer } from '../responses';
import { ForbiddenError, NotFoundError, normalisePhone } from '../shared';
import { invalidBody, normaliseLanguage, sendSurveyPage, translator } from '../surveys';
import { replyKeyword, scoreFromReply, SHORT_CODE_LENGTH } from './message';
import { replyWithNumberFor } from './reply-rule';
import { senderFor } from './sender';
import {
  applyDeliveryStatus,
  invitationForShortCode,
  knownPhone,
  openSurveyTextedTo,
  optInPhone,
  optOutPhone,
} from './sms.repo';

// What Twilio calls (configure both URLs on the number or messaging service), and the short survey links:
//   POST /webhooks/twilio/status   delivery status callbacks (queued → sent → delivered | undelivered | failed)
//   POST /webhooks/twilio/inbound  replies: STOP/START keywords, and "0"–"10" as the answer where the rule allows
//   GET  /t/<code>                 the short link of a text: redirects to the signed survey link
// Both webhooks must carry a valid X-Twilio-Signature, computed over PUBLIC_BASE_URL + path and the form fields.

const SID = /^(SM|MM)[0-9a-fA-F]{32}$/;
const STATUSES = new Set([
  'accepted',
  'scheduled',
  'queued',
  'sending',
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'canceled',
  'read',
]);
const CODE = new RegExp(`^[A-Za-z0-9_-]{${SHORT_CODE_LENGTH}}$`);

export function twilioRoutes(router: Router, deps: AppDeps): void {
  router.post('/webhooks/twilio/status', async (req, res) => {
    const params = verified(deps, req);
    const sid = params.MessageSid ?? params.SmsSid ?? '';
    const status = (params.MessageStatus ?? params.SmsStatus ?? '').toLowerCase();
    if (!SID.test(sid) || !STATUSES.has(status))
      throw new NotFoundError('not a message status callback', 'bad_callback');
    const errorCode = /^\d{1,10}$/.test(params.ErrorCode ?? '') ? params.ErrorCode! : null;
    const outcome = await applyDeliveryStatus(deps.db, sid, status, errorCode);
    if (outcome === 'unknown') throw new NotFoundError('no text of ours has this MessageSid', 'unknown_message');
    res.status(204).end();
  });

  router.post('/webhooks/twilio/inbound', async (req, res) => {
    const params = verified(deps, req);
    const from = normalisePhone([params.From]);
    const reply = new twilio.twiml.MessagingResponse();
    if (from.ok && (await knownPhone(deps.db, from.e164))) {
      const thanks = await handleReply(deps, from.e164, params.Body ?? '');
      if (thanks) reply.message(thanks);
    }
    res.type('text/xml').send(reply.toString());
  });

  router.get('/t/:code', async (req, res) => {
    const code = String(req.params.code);
    const found = CODE.test(code) ? await invitationForShortCode(deps.db, code) : null;
    if (!found?.expiresAt) return sendUnknownLink(req, res);
    res.redirect(302, surveyUrl(deps.config, { ...found, expiresAt: found.expiresAt }));
  });
}

/** The form fields of a request Twilio signed; anything else is refused before it is read. */
function verified(deps: AppDeps, req: Request): Record<string, string> {
  const twilioConfig = deps.config.twilio;
  if (!twilioConfig) throw new NotFoundError('survey texts are not configured', 'sms_not_configured');
  const signature = req.get('x-twilio-signature');
  const params = formFields(req.body);
  if (!signature) throw new ForbiddenError('X-Twilio-Signature is missing', 'unsigned');
  const url = `${deps.config.publicBaseUrl}${req.originalUrl}`;
  if (!senderFor(twilioConfig).validSignature(signature, url, params))
    throw new ForbiddenError('X-Twilio-Signature does not match', 'bad_signature');
  return params;
}

function formFields(body: unknown): Record<string, string> {
  if (!body || typeof body !== 'object') return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Acts on a reply from a number we texted; returns the text to answer with, if any. */
async function handleReply(deps: AppDeps, phone: string, body: string): Promise<string | null> {
  const now = deps.clock.now();
  const keyword = replyKeyword(body);
  // Twilio answers STOP and START itself on long codes and toll-free numbers; we only record them.
  if (keyword === 'opt_out') {
    await optOutPhone(deps.db, phone, now);
    return null;
  }
  if (keyword === 'opt_in') {
    await optInPhone(deps.db, phone);
    return null;
  }
  const score = scoreFromReply(body);
  if (score === null) return null;
  const open = await openSurveyTextedTo(deps.db, phone, now);
  if (!open) return null;
  const settings = await getSettings(deps.db, open.portalId);
  if (!replyWithNumberFor(settings, open)) return null;
  const recorded = await recordSurveyAnswer(deps, {
    portalId: open.portalId,
    invitationId: open.invitationId,
    score,
    comment: null,
    followUpAnswer: null,
  });
  if (!recorded) return null;
  return translator(normaliseLanguage(open.language, settings.defaultLanguage))('sms.thanks');
}

/** A short link we never made (or whose text was erased): the survey page's "link not valid", in the browser's language. */
function sendUnknownLink(req: Request, res: Response): void {
  const lang = normaliseLanguage(req.acceptsLanguages()[0], 'en');
  const t = translator(lang);
  sendSurveyPage(res, 404, {
    lang,
    title: t('invalid.pageTitle'),
    brandName: 'NPS Loop',
    brandColor: '#1f5fbf',
    body: invalidBody(t),
  });
}
