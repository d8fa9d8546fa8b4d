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

/** Writes the settings only if the portal's settings were never written (still '{}'); true when written. */
export async function writeSettingsIfUnset(db: Queryable, portalId: number, settingsJson: string): Promise<boolean> {
  const r = await db.query(`UPDATE portals SET settings = $2 WHERE portal_id = $1 AND settings = '{}'::jsonb`, [
    portalId,
    settingsJson,
  ]);
  return r.rowCount > 0;
}

/** The stored settings, the portal row locked until the transaction ends (saves of one portal take turns). */
export async function lockStoredSettings(db: Queryable, portalId: number): Promise<{ settings: unknown } | undefined> {
  const r = await db.query<{ settings: unknown }>('SELECT settings FROM portals WHERE portal_id = $1 FOR UPDATE', [
    portalId,
  ]);
  return r.rows[0];
}

export type SettingsSource = 'workspace' | 'api' | 'restore' | 'file';

export interface SettingsVersionRow {
  version: number;
  savedAt: Date;
  savedBy: string;
  savedByUserId: number | null;
  source: SettingsSource;
  settings: unknown;
  changes: unknown;
}

/** Adds the next version to the portal's settings history; call with the portal row locked. Returns its number. */
export async function insertSettingsVersion(
  db: Queryable,
  portalId: number,
  v: Omit<SettingsVersionRow, 'version'>,
): Promise<number> {
  const r = await db.query<{ version: number }>(
    `INSERT INTO settings_history (portal_id, version, saved_at, saved_by, saved_by_user_id, source, settings, changes)
     SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4, $5, $6, $7 FROM settings_history WHERE portal_id = $1
     RETURNING version`,
    [portalId, v.savedAt, v.savedBy, v.savedByUserId, v.source, JSON.stringify(v.settings), JSON.stringify(v.changes)],
  );
  return r.rows[0]!.version;
}

const VERSION_COLUMNS = `version, saved_at AS "savedAt", saved_by AS "savedBy", saved_by_user_id::float8 AS "savedByUserId",
  source, settings, changes`;

/** The portal's newest settings versions first. */
export async function listSettingsVersions(
  db: Queryable,
  portalId: number,
  limit: number,
): Promise<SettingsVersionRow[]> {
  const r = await db.query<SettingsVersionRow>(
    `SELECT ${VERSION_COLUMNS} FROM settings_history WHERE portal_id = $1 ORDER BY version DESC LIMIT $2`,
    [portalId, limit],
  );
  return r.rows;
}

export async function readSettingsVersion(
  db: Queryable,
  portalId: number,
  version: number,
): Promise<SettingsVersionRow | undefined> {
  const r = await db.query<SettingsVersionRow>(
    `SELECT ${VERSION_COLUMNS} FROM settings_history WHERE portal_id = $1 AND version = $2`,
    [portalId, version],
  );
  return r.rows[0];
}
