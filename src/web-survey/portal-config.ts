import type { AppDeps, Settings } from '../core';
import { defaultSettings, settingsSchema } from '../core';
import { readPortalWidgetRow } from './web-survey.repo';

// What every widget request needs about its portal: the settings and the identity secret. Read in one query per
// request (so a change applies to the next request), but parsed and decrypted only when the stored settings or
// the sealed secret changed: the "is this contact due?" path is hot.

interface PortalWidgetConfig {
  settings: Settings;
  /** The decrypted secret; null until an admin generates one. */
  secret: string | null;
}

interface Cached {
  version: string;
  settings: Settings;
  secretEnc: string | null;
  secret: string | null;
}

export type PortalConfigReader = (portalId: number) => Promise<PortalWidgetConfig | null>;

export function createPortalConfigReader(deps: Pick<AppDeps, 'db' | 'cipher'>): PortalConfigReader {
  const cache = new Map<number, Cached>();
  return async (portalId) => {
    const known = cache.get(portalId);
    const row = await readPortalWidgetRow(deps.db, portalId, known?.version ?? null);
    if (!row) {
      cache.delete(portalId);
      return null;
    }
    let settings = known?.settings;
    if (row.settings !== null || !settings) {
      // As getSettings does: stored JSON re-parsed so later defaults apply; unreadable settings are the defaults.
      const parsed = settingsSchema.safeParse(row.settings ?? {});
      settings = parsed.success ? parsed.data : defaultSettings();
    }
    const secret =
      known && known.secretEnc === row.secretEnc
        ? known.secret
        : row.secretEnc === null
          ? null
          : deps.cipher.decrypt(row.secretEnc);
    cache.set(portalId, { version: row.version, settings, secretEnc: row.secretEnc, secret });
    return { settings, secret };
  };
}
