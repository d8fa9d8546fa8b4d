import { createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { safeEqual } from '../shared';

// Identity verification for the widget (the pattern Intercom and Delighted use): the customer's backend computes
// userHash = HMAC-SHA256(portal secret, the exact identifier string it passes: the email or the HubSpot contact id),
// hex-encoded. A browser can claim any identity; only one its backend signed is believed.

export type WidgetIdentity = { kind: 'email'; email: string } | { kind: 'contactId'; contactId: string };

const identitySchema = z
  .object({
    email: z.string().trim().min(3).max(254).includes('@').optional(),
    hubspotContactId: z.union([z.string().regex(/^\d{1,18}$/), z.number().int().positive()]).optional(),
    userHash: z.string().regex(/^[0-9a-fA-F]{64}$/, 'a hex HMAC-SHA256'),
  })
  .refine((v) => (v.email === undefined) !== (v.hubspotContactId === undefined), 'give email or hubspotContactId');

export interface ClaimedIdentity {
  identity: WidgetIdentity;
  /** The exact string the host signed. */
  signed: string;
  userHash: string;
}

/** Reads the identity a widget request claims; null when it is malformed (answered like a forged one). */
export function readIdentity(body: unknown): ClaimedIdentity | null {
  const r = identitySchema.safeParse(body);
  if (!r.success) return null;
  const { email, hubspotContactId, userHash } = r.data;
  if (email !== undefined)
    return { identity: { kind: 'email', email }, signed: email, userHash: userHash.toLowerCase() };
  const contactId = String(hubspotContactId);
  return { identity: { kind: 'contactId', contactId }, signed: contactId, userHash: userHash.toLowerCase() };
}

/** What the host's backend computes (also the README's Node example). */
export function signIdentity(secret: string, value: string): string {
  return createHmac('sha256', secret).update(value, 'utf8').digest('hex');
}

/** Constant-time check of a claimed identity against the portal's secret. */
export function verifyIdentity(secret: string, claimed: ClaimedIdentity): boolean {
  return safeEqual(signIdentity(secret, claimed.signed), claimed.userHash);
}

/** A new portal secret: 32 random bytes, recognisable by its prefix when pasted into a host's configuration. */
export function generateSecret(): string {
  return `nlw_${randomBytes(32).toString('base64url')}`;
}

/** The key rate limits count per: the portal and the claimed identity. */
export function identityKey(portalId: number, claimed: ClaimedIdentity): string {
  return `${portalId}:${claimed.identity.kind}:${claimed.signed.toLowerCase()}`;
}
