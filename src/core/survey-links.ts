import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config';
import type { Queryable } from '../storage';
import { openHubSpotInvitation } from './survey-links.repo';

// Survey links: `${PUBLIC_BASE_URL}/s/<token>`. The token is a compact binary payload plus a truncated
// HMAC-SHA256, base64url-encoded (60 characters). It names the portal, the invitation and the expiry, and
// nothing else: no email address, no contact id, so a leaked link reveals nobody.
//
//   version (1 byte) · portalId (8 bytes, big-endian) · invitation uuid (16 bytes) · expiresAt (4 bytes, epoch s)
//   · MAC (16 bytes) over "nps-loop:survey-link" + the 29 payload bytes

const VERSION = 1;
const PAYLOAD_BYTES = 29;
const MAC_BYTES = 16;
const TOKEN_BYTES = PAYLOAD_BYTES + MAC_BYTES;
const MAC_CONTEXT = Buffer.from('nps-loop:survey-link', 'utf8');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** Largest expiry the 4-byte field holds (year 2106). */
const MAX_EXPIRY_S = 0xffffffff;

export interface SurveyLinkPayload {
  portalId: number;
  invitationId: string;
  /** Whole seconds: the token carries no milliseconds. */
  expiresAt: Date;
}

export type TokenCheck =
  | { ok: true; payload: SurveyLinkPayload }
  /** The MAC checked out but the link is past its expiry; the payload is trustworthy (language of the page, unsubscribe). */
  | { ok: false; reason: 'expired'; payload: SurveyLinkPayload }
  | { ok: false; reason: 'invalid' | 'tampered' };

/** Signs a survey link token. Throws on values that cannot be represented (a bug in the caller, not user input). */
export function createSurveyToken(key: string, payload: SurveyLinkPayload): string {
  const { portalId, invitationId, expiresAt } = payload;
  if (!Number.isSafeInteger(portalId) || portalId <= 0)
    throw new RangeError(`portalId must be a positive integer, got ${portalId}`);
  if (!UUID.test(invitationId)) throw new RangeError(`invitationId must be a uuid, got ${invitationId}`);
  const expirySeconds = Math.floor(expiresAt.getTime() / 1000);
  if (!Number.isFinite(expirySeconds) || expirySeconds < 0 || expirySeconds > MAX_EXPIRY_S)
    throw new RangeError('expiresAt is out of range');
  const body = Buffer.alloc(PAYLOAD_BYTES);
  body.writeUInt8(VERSION, 0);
  body.writeBigUInt64BE(BigInt(portalId), 1);
  Buffer.from(invitationId.replace(/-/g, ''), 'hex').copy(body, 9);
  body.writeUInt32BE(expirySeconds, 25);
  return Buffer.concat([body, mac(key, body)]).toString('base64url');
}

/** Checks a token's shape, signature and expiry, in that order (a forged token never learns whether it expired). */
export function verifySurveyToken(key: string, token: string, now: Date): TokenCheck {
  if (typeof token !== 'string' || token.length > 128 || !BASE64URL.test(token))
    return { ok: false, reason: 'invalid' };
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length !== TOKEN_BYTES || bytes.toString('base64url') !== token) return { ok: false, reason: 'invalid' };
  if (bytes.readUInt8(0) !== VERSION) return { ok: false, reason: 'invalid' };
  const body = bytes.subarray(0, PAYLOAD_BYTES);
  if (!timingSafeEqual(mac(key, body), bytes.subarray(PAYLOAD_BYTES))) return { ok: false, reason: 'tampered' };
  const hex = body.subarray(9, 25).toString('hex');
  const payload: SurveyLinkPayload = {
    portalId: Number(body.readBigUInt64BE(1)),
    invitationId: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
    expiresAt: new Date(body.readUInt32BE(25) * 1000),
  };
  if (payload.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired', payload };
  return { ok: true, payload };
}

/** The survey page URL for an invitation; with a score, the page opens with that score preselected. */
export function surveyUrl(
  config: Pick<Config, 'publicBaseUrl' | 'surveySigningKey'>,
  payload: SurveyLinkPayload,
  score?: number,
): string {
  const url = `${config.publicBaseUrl}/s/${createSurveyToken(config.surveySigningKey, payload)}`;
  return score === undefined ? url : `${url}?score=${score}`;
}

/** The unsubscribe page for the contact an invitation was sent to (also the List-Unsubscribe target). */
export function unsubscribeUrl(
  config: Pick<Config, 'publicBaseUrl' | 'surveySigningKey'>,
  payload: SurveyLinkPayload,
): string {
  return `${config.publicBaseUrl}/s/${createSurveyToken(config.surveySigningKey, payload)}/unsubscribe`;
}

/**
 * The link HubSpot should send (nps_survey_link): the contact's latest open invitation on the 'hubspot' channel,
 * or null when there is none (never sent, answered, expired or skipped). Pass `now` to also ignore links whose
 * expiry has passed before the expiry job has run.
 */
export async function openSurveyLinkFor(
  db: Queryable,
  config: Pick<Config, 'publicBaseUrl' | 'surveySigningKey'>,
  portalId: number,
  contactId: number,
  now?: Date,
): Promise<string | null> {
  const open = await openHubSpotInvitation(db, portalId, contactId, now);
  if (!open) return null;
  return surveyUrl(config, { portalId, invitationId: open.id, expiresAt: open.expiresAt });
}

function mac(key: string, body: Buffer): Buffer {
  return createHmac('sha256', key).update(MAC_CONTEXT).update(body).digest().subarray(0, MAC_BYTES);
}
