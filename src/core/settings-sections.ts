import type { AppDeps } from './deps';
import type { Settings } from './settings-schema';

// How a feature adds a section to the admin's settings workspace (/dashboard/settings). A feature lists its
// sections on its Feature (settingsSections); the workspace renders each as a form, validates a save with the
// settings schema plus every section's own checks, and records it in the settings history. Sections that manage
// rows of their own (themes, for example) link to their own page instead of listing fields.

export type SettingsFieldKind = 'text' | 'textarea' | 'number' | 'checkbox' | 'select' | 'color' | 'email' | 'url';

export interface SettingsFieldOption {
  value: string;
  label: string;
}

export interface SettingsField {
  /** Where the value lives in the settings object, e.g. ['brand', 'color']; also the field's error key. */
  path: (string | number)[];
  label: string;
  kind: SettingsFieldKind;
  help?: string;
  options?: SettingsFieldOption[];
  min?: number;
  max?: number;
  step?: number;
  /** Leaving the field empty removes the value (optional settings), rather than saving ''. */
  optional?: boolean;
}

export interface SettingsSectionContext {
  deps: AppDeps;
  portalId: number;
  settings: Settings;
}

/** A problem with one field, found after the schema passed (a stage that no longer exists, too little contrast). */
export interface SettingsFieldIssue {
  path: (string | number)[];
  message: string;
}

export interface SettingsSection {
  /** URL segment: /dashboard/settings/<id>. Lowercase letters, digits and '-'. */
  id: string;
  title: string;
  description?: string;
  /** Position in the workspace menu, lowest first. */
  order: number;
  /** Fields rendered from the settings object; a function when options come from the portal (its pipelines). */
  fields?: SettingsField[] | ((ctx: SettingsSectionContext) => Promise<SettingsField[]>);
  /** A section with its own page (rows in its own tables) links there instead of listing fields. */
  href?: string;
  /** Checks beyond the schema, run on every save (form and PUT /api/settings); none saves anything partially. */
  validate?(ctx: SettingsSectionContext, candidate: Settings): Promise<SettingsFieldIssue[]>;
}
