import { createHmac } from 'node:crypto';
import { translator, type SurveyLanguage } from '../surveys';

// The text of a survey SMS, in the contact's language (catalogue keys sms.* in src/surveys/i18n). Pure.
// One segment is the goal (160 GSM-7 characters, or 70 in UCS-2): the brand is cut to SMS_BRAND_MAX characters
// and the link is short, `${PUBLIC_BASE_URL}/t/<12 characters>`, redirecting to the signed survey link.
// tests/unit/sms-message.test.ts checks every catalogue against the worst case.

export const SMS_BRAND_MAX = 20;
export const SHORT_CODE_LENGTH = 12;
const SHORT_CONTEXT = 'nps-loop:sms-short-link';

export interface SmsText {
  lang: SurveyLanguage;
  kind: 'invitation' | 'reminder';
  brand: string;
  link: string;
  /** The rule takes a reply that is just a number as the answer. */
  replyWithNumber: boolean;
  /** The recipient's country expects "reply STOP" wording (US, CA). */
  stopWording: boolean;
}

export function composeSms(t: SmsText): string {
  const say = translator(t.lang);
  const brand = Array.from(t.brand.trim()).slice(0, SMS_BRAND_MAX).join('').trim();
  const parts = [say(t.kind === 'invitation' ? 'sms.invitation' : 'sms.reminder', { brand, link: t.link })];
  if (t.replyWithNumber) parts.push(say('sms.replyNumber'));
  if (t.stopWording) parts.push(say('sms.stop'));
  return parts.join(' ');
}

/**
 * The short code of an invitation's link: a truncated HMAC of its id (72 bits), so it cannot be guessed or
 * walked, and the same for every text of one invitation.
 */
export function shortCode(signingKey: string, invitationId: string): string {
  return createHmac('sha256', signingKey)
    .update(SHORT_CONTEXT)
    .update(invitationId.toLowerCase())
    .digest('base64url')
    .slice(0, SHORT_CODE_LENGTH);
}

export function shortLink(publicBaseUrl: string, code: string): string {
  return `${publicBaseUrl}/t/${code}`;
}

/** "7", " 10 ", "10." → the score; anything else → null. */
export function scoreFromReply(body: string): number | null {
  const m = /^\s*(\d{1,2})\s*[.!]?\s*$/.exec(body);
  if (!m) return null;
  const n = Number(m[1]);
  return n >= 0 && n <= 10 ? n : null;
}

const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE', 'STOPP']);
const OPT_IN = new Set(['START', 'UNSTOP', 'YES', 'OPTIN']);

/** Twilio's default opt-out and opt-in keywords (one word, any case, surrounding punctuation ignored). */
export function replyKeyword(body: string): 'opt_out' | 'opt_in' | null {
  const word = body
    .trim()
    .toUpperCase()
    .replace(/[^A-Z]/g, '');
  if (OPT_OUT.has(word)) return 'opt_out';
  if (OPT_IN.has(word)) return 'opt_in';
  return null;
}
