import { createHash, createHmac, hkdfSync } from 'node:crypto';
import type { Config } from '../config';
import { safeEqual } from '../shared';

// Signing for dashboard cookies and CSRF tokens: HMAC-SHA256 with a key derived (HKDF) from
// ENCRYPTION_KEY for this purpose only, so it never equals the at-rest encryption key itself.

const derived = new Map<string, Buffer>();

function signingKey(config: Pick<Config, 'encryptionKey'>): Buffer {
  let key = derived.get(config.encryptionKey);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', config.encryptionKey, 'nps-loop', 'dashboard sessions v1', 32));
    derived.set(config.encryptionKey, key);
  }
  return key;
}

/** base64url HMAC of `purpose.data`: the purpose keeps a token minted for one use from passing as another. */
export function sign(config: Pick<Config, 'encryptionKey'>, purpose: string, data: string): string {
  return createHmac('sha256', signingKey(config)).update(`${purpose}.${data}`).digest('base64url');
}

export function verifySignature(
  config: Pick<Config, 'encryptionKey'>,
  purpose: string,
  data: string,
  signature: string,
): boolean {
  return safeEqual(sign(config, purpose, data), signature);
}

/** sha256 of a secret (session id, TV key, sign-in link), as stored in the database. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Cookies get `Secure` (and the `__Host-` prefix) when the app is served over https. */
export function isSecureOrigin(config: Pick<Config, 'publicBaseUrl'>): boolean {
  return config.publicBaseUrl.startsWith('https:');
}
