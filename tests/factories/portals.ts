import {
  ensureStaticPortal,
  getPortal,
  markUninstalled,
  saveOAuthTokens,
  type Portal as StoredPortal,
} from '../../src/core/portals.repo';
import { addPortalAdmin } from '../../src/core/portal-admins.repo';
import type { Queryable } from '../../src/storage/db';

// Portals are created the way the product creates them: single-portal mode (ensureStaticPortal) or an OAuth
// install (saveOAuthTokens), then uninstalled through markUninstalled when a test asks for that state.

export type Portal = Pick<StoredPortal, 'portalId' | 'authMode' | 'status' | 'scopes'>;

export interface PortalOverrides {
  portalId?: number;
  authMode?: 'static' | 'oauth';
  status?: 'active' | 'uninstalled';
}

let nextPortalId = 8_000_001;

export async function aPortal(db: Queryable, overrides: PortalOverrides = {}): Promise<Portal> {
  const portalId = overrides.portalId ?? nextPortalId++;
  if ((overrides.authMode ?? 'static') === 'static') await ensureStaticPortal(db, portalId);
  else {
    await saveOAuthTokens(db, portalId, {
      accessTokenEnc: 'test-access',
      refreshTokenEnc: 'test-refresh',
      expiresAt: new Date(Date.now() + 3_600_000),
    });
  }
  if (overrides.status === 'uninstalled') await markUninstalled(db, portalId);
  const { authMode, status, scopes } = (await getPortal(db, portalId))!;
  return { portalId, authMode, status, scopes };
}

/** Puts a HubSpot user on the portal's NPS Loop admin list, the way Settings → Admins does. */
export async function aPortalAdmin(
  db: Queryable,
  portalId: number,
  who: { hubspotUserId?: number; email?: string },
): Promise<void> {
  await addPortalAdmin(db, portalId, who, 'test', new Date());
}
