import { readFileSync } from 'node:fs';
import type { Queryable } from '../storage';
import { BadRequestError, describeIssues, refuseUnsafeText } from '../shared';
import { defaultSettings, settingsFileSchema, settingsSchema, type Settings } from './settings-schema';
import { readStoredSettings, writeSettings, writeSettingsIfUnset } from './settings.repo';

/** Reads a portal's settings; stored JSON is re-parsed so defaults added later apply to old rows. */
export async function getSettings(db: Queryable, portalId: number): Promise<Settings> {
  const stored = await readStoredSettings(db, portalId);
  if (!stored) return defaultSettings();
  const parsed = settingsSchema.safeParse(stored);
  return parsed.success ? parsed.data : defaultSettings();
}

/** Replaces a portal's settings after validation; returns the stored (defaulted) value. */
export async function saveSettings(db: Queryable, portalId: number, input: unknown): Promise<Settings> {
  refuseUnsafeText(input, 'settings', 'invalid_settings');
  const parsed = settingsSchema.safeParse(input);
  if (!parsed.success)
    throw new BadRequestError(
      `invalid settings: ${describeIssues(parsed.error.issues)}`,
      undefined,
      'invalid_settings',
    );
  if (!(await writeSettings(db, portalId, JSON.stringify(parsed.data))))
    throw new BadRequestError(`portal ${portalId} is not installed`, undefined, 'unknown_portal');
  return parsed.data;
}

/** Loads NPS_SETTINGS_FILE; a bad file stops start-up with a message that names the problem. */
export function loadSettingsFile(path: string): (portalId: number) => Settings | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`NPS_SETTINGS_FILE ${path} could not be read as JSON: ${(err as Error).message}`);
  }
  const parsed = settingsFileSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`NPS_SETTINGS_FILE ${path} is invalid: ${describeIssues(parsed.error.issues)}`);
  const value = parsed.data;
  if ('portals' in value && value.portals) {
    const portals = value.portals as Record<string, Settings>;
    return (portalId) => portals[String(portalId)] ?? portals['*'];
  }
  return () => value as Settings;
}

/** Seeds settings for a portal whose settings were never written (first install). */
export async function seedSettings(db: Queryable, portalId: number, seed: Settings | undefined): Promise<void> {
  if (!seed) return;
  await writeSettingsIfUnset(db, portalId, JSON.stringify(seed));
}
