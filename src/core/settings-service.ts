import { readFileSync } from 'node:fs';
import type { Request } from 'express';
import type { Db, Queryable } from '../storage';
import { BadRequestError, describeIssues, isStorableText, refuseUnsafeText } from '../shared';
import type { AppDeps } from './deps';
import { diffSettings, type SettingsChange } from './settings-diff';
import { defaultSettings, settingsFileSchema, settingsSchema, type Settings } from './settings-schema';
import type { SettingsFieldIssue, SettingsSection } from './settings-sections';
import {
  insertSettingsVersion,
  listSettingsVersions,
  lockStoredSettings,
  readSettingsVersion,
  readStoredSettings,
  writeSettings,
  writeSettingsIfUnset,
  type SettingsSource,
} from './settings.repo';

// Every way settings change (the workspace's forms, PUT /api/settings, a restore, the settings file) goes
// through here: the candidate is checked with the schema and every section's own checks, and a save writes the
// portal's settings and a new history version in one transaction.

/** Reads a portal's settings; stored JSON is re-parsed so defaults added later apply to old rows. */
export async function getSettings(db: Queryable, portalId: number): Promise<Settings> {
  const stored = await readStoredSettings(db, portalId);
  if (!stored) return defaultSettings();
  const parsed = settingsSchema.safeParse(stored);
  return parsed.success ? parsed.data : defaultSettings();
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

/** Seeds settings for a portal whose settings were never written (first install), recorded as version 1. */
export async function seedSettings(
  db: Db,
  portalId: number,
  seed: Settings | undefined,
  now = new Date(),
): Promise<void> {
  if (!seed) return;
  await db.transaction(async (tx) => {
    if (!(await writeSettingsIfUnset(tx, portalId, JSON.stringify(seed)))) return;
    const changes = diffSettings(defaultSettings(), seed);
    const who = { savedBy: 'settings file', savedByUserId: null, source: 'file' as const };
    await insertSettingsVersion(tx, portalId, { ...who, savedAt: now, settings: seed, changes });
  });
}

export type CheckedSettings = { ok: true; settings: Settings } | { ok: false; issues: SettingsFieldIssue[] };

const UNSAFE_TEXT = 'must not contain a NUL character or an unpaired surrogate';

function unsafeText(value: unknown, path: (string | number)[], out: SettingsFieldIssue[]): SettingsFieldIssue[] {
  if (typeof value === 'string' && !isStorableText(value)) out.push({ path, message: UNSAFE_TEXT });
  else if (Array.isArray(value)) value.forEach((v, i) => unsafeText(v, [...path, i], out));
  else if (typeof value === 'object' && value !== null)
    for (const [k, v] of Object.entries(value)) {
      if (!isStorableText(k)) out.push({ path, message: `a key ${UNSAFE_TEXT}` });
      else unsafeText(v, [...path, k], out);
    }
  return out;
}

/** Storable text and the settings schema (the API's); defaults filled in. */
function schemaCheck(input: unknown): CheckedSettings {
  const unsafe = unsafeText(input, [], []);
  if (unsafe.length > 0) return { ok: false, issues: unsafe };
  const parsed = settingsSchema.safeParse(input);
  if (parsed.success) return { ok: true, settings: parsed.data };
  const issues = parsed.error.issues.map((i) => ({
    path: i.path.filter((p) => typeof p !== 'symbol') as (string | number)[],
    message: i.message,
  }));
  return { ok: false, issues };
}

/**
 * Checks candidate settings: storable text, the settings schema, then every section's own checks against the
 * portal's current settings. Nothing is saved.
 */
export async function checkSettings(
  deps: AppDeps,
  portalId: number,
  input: unknown,
  sections: SettingsSection[],
): Promise<CheckedSettings> {
  const checked = schemaCheck(input);
  if (!checked.ok) return checked;
  const ctx = { deps, portalId, settings: await getSettings(deps.db, portalId) };
  const found = await Promise.all(sections.map((s) => s.validate?.(ctx, checked.settings) ?? Promise.resolve([])));
  const issues = found.flat();
  return issues.length > 0 ? { ok: false, issues } : checked;
}

export interface SettingsAuthor {
  /** A signed-in user's label, "API" or "settings file". */
  label: string;
  userId?: number | null;
  source: SettingsSource;
}

/** Who saved, from a request: the signed-in dashboard user, else "API" (a bearer token). */
export function settingsAuthorOf(req: Request, source: SettingsSource): SettingsAuthor {
  const session = req.dashboardSession;
  return { label: session?.userLabel ?? 'API', userId: session?.hubspotUserId ?? null, source };
}

/** Writes checked settings and records them as the portal's next version; returns the version number. */
export async function commitSettings(
  db: Db,
  portalId: number,
  settings: Settings,
  who: SettingsAuthor,
  savedAt: Date,
): Promise<{ version: number; changes: SettingsChange[] }> {
  return db.transaction(async (tx) => {
    const stored = await lockStoredSettings(tx, portalId);
    if (!stored) throw new BadRequestError(`portal ${portalId} is not installed`, undefined, 'unknown_portal');
    const before = settingsSchema.safeParse(stored.settings);
    const changes = diffSettings(before.success ? before.data : defaultSettings(), settings);
    await writeSettings(tx, portalId, JSON.stringify(settings));
    const version = await insertSettingsVersion(tx, portalId, {
      savedAt,
      savedBy: who.label,
      savedByUserId: who.userId ?? null,
      source: who.source,
      settings,
      changes,
    });
    return { version, changes };
  });
}

/** A save refused by the schema or a section's checks; the API answers 400 with every issue. */
export class SettingsRejectedError extends BadRequestError {
  constructor(readonly issues: SettingsFieldIssue[]) {
    super(`invalid settings: ${describeIssues(issues)}`, issues, 'invalid_settings');
  }
}

/** Checks and saves settings (PUT /api/settings); a refusal throws SettingsRejectedError and saves nothing. */
export async function saveCheckedSettings(
  deps: AppDeps,
  portalId: number,
  input: unknown,
  who: SettingsAuthor,
  sections: SettingsSection[],
): Promise<Settings> {
  const checked = await checkSettings(deps, portalId, input, sections);
  if (!checked.ok) throw new SettingsRejectedError(checked.issues);
  await commitSettings(deps.db, portalId, checked.settings, who, deps.clock.now());
  return checked.settings;
}

/** Saves settings checked by the schema only (scripts and tests), recorded in the history as "API". */
export async function saveSettings(db: Db, portalId: number, input: unknown, now = new Date()): Promise<Settings> {
  refuseUnsafeText(input, 'settings', 'invalid_settings');
  const checked = schemaCheck(input);
  if (!checked.ok) throw new SettingsRejectedError(checked.issues);
  await commitSettings(db, portalId, checked.settings, { label: 'API', source: 'api' }, now);
  return checked.settings;
}

export interface SettingsVersion {
  version: number;
  savedAt: string;
  savedBy: string;
  source: SettingsSource;
  changes: SettingsChange[];
  settings: unknown;
}

function toVersion(row: Awaited<ReturnType<typeof readSettingsVersion>> & object): SettingsVersion {
  return {
    version: row.version,
    savedAt: row.savedAt.toISOString(),
    savedBy: row.savedBy,
    source: row.source,
    changes: row.changes as SettingsChange[],
    settings: row.settings,
  };
}

/** The portal's settings history, newest first (at most `limit` versions). */
export async function settingsHistory(db: Queryable, portalId: number, limit = 100): Promise<SettingsVersion[]> {
  return (await listSettingsVersions(db, portalId, limit)).map(toVersion);
}

export async function settingsVersion(
  db: Queryable,
  portalId: number,
  version: number,
): Promise<SettingsVersion | undefined> {
  const row = await readSettingsVersion(db, portalId, version);
  return row ? toVersion(row) : undefined;
}
