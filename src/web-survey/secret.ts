import type { AppDeps } from '../core';
import { generateSecret } from './identity';
import { getSecretRow, saveSecret } from './web-survey.repo';

/**
 * The portal's identity secret, generated if there is none yet. For the demo, which plays the customer's backend
 * too; a real host gets the secret from the admin page once.
 */
export async function ensureWidgetSecret(
  deps: Pick<AppDeps, 'db' | 'cipher' | 'clock'>,
  portalId: number,
): Promise<string> {
  const row = await getSecretRow(deps.db, portalId);
  if (row) return deps.cipher.decrypt(row.secretEnc);
  const secret = generateSecret();
  await saveSecret(deps.db, portalId, deps.cipher.encrypt(secret), deps.clock.now());
  return secret;
}
