import type { Request } from 'express';
import type { AppDeps, SettingsAuthor, SettingsFieldIssue, SettingsSection } from '../core';
import { checkSettings, commitSettings, settingsAuthorOf } from '../core';
import { fieldKey } from './form-values';

// One save from the workspace: the candidate is checked like every save (schema + every section's checks) and
// written with a new history version, or refused as a whole with every problem found.

export type SaveOutcome = { ok: true; version: number } | { ok: false; issues: SettingsFieldIssue[] };

/**
 * Checks and saves `candidate`. `formIssues` (a number that is not one) refuse the save too; the schema's and
 * sections' problems are listed with them so the user sees everything at once.
 */
export async function saveFromWorkspace(
  deps: AppDeps,
  req: Request,
  candidate: unknown,
  sections: SettingsSection[],
  formIssues: SettingsFieldIssue[] = [],
  source: SettingsAuthor['source'] = 'workspace',
): Promise<SaveOutcome> {
  const portalId = req.portalId as number;
  const checked = await checkSettings(deps, portalId, candidate, sections);
  if (checked.ok && formIssues.length === 0) {
    const { version } = await commitSettings(
      deps.db,
      portalId,
      checked.settings,
      settingsAuthorOf(req, source),
      deps.clock.now(),
    );
    return { ok: true, version };
  }
  const taken = new Set(formIssues.map((i) => fieldKey(i.path)));
  const more = checked.ok ? [] : checked.issues.filter((i) => !taken.has(fieldKey(i.path)));
  return { ok: false, issues: [...formIssues, ...more] };
}
