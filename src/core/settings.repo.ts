import type { Queryable } from '../storage';

// The settings JSON stored on each portal row. Validation and defaults live in settings-service.ts.

/** The portal's stored settings JSON, unparsed; undefined when the portal is unknown. */
export async function readStoredSettings(db: Queryable, portalId: number): Promise<unknown> {
  const r = await db.query<{ settings: unknown }>('SELECT settings FROM portals WHERE portal_id = $1', [portalId]);
  return r.rows[0]?.settings;
}

/** Replaces the portal's settings; false when the portal is unknown. */
export async function writeSettings(db: Queryable, portalId: number, settingsJson: string): Promise<boolean> {
  const r = await db.query('UPDATE portals SET settings = $2, updated_at = now() WHERE portal_id = $1', [
    portalId,
    settingsJson,
  ]);
  return r.rowCount > 0;
}

/** Writes the settings only if the portal's settings were never written (still '{}'). */
export async function writeSettingsIfUnset(db: Queryable, portalId: number, settingsJson: string): Promise<void> {
  await db.query(`UPDATE portals SET settings = $2 WHERE portal_id = $1 AND settings = '{}'::jsonb`, [
    portalId,
    settingsJson,
  ]);
}
