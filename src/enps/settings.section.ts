import type {
  SettingsField,
  SettingsFieldIssue,
  SettingsFieldKind,
  SettingsFieldOption,
  SettingsSection,
  SettingsSectionContext,
} from '../core';
import { LANGUAGES } from '../core';
import { teamsOf } from './roster';

// Settings → eNPS: the words per language, the cadence, who is asked, the threshold and the sender. Waves and the
// employee list have rows of their own, on /dashboard/enps/admin.

const LANGUAGE_NAMES: Record<(typeof LANGUAGES)[number], string> = {
  en: 'English',
  da: 'Danish',
  sv: 'Swedish',
  de: 'German',
};

const CADENCE_OPTIONS: SettingsFieldOption[] = [
  { value: 'monthly', label: 'Monthly' },
  { value: 'quarterly', label: 'Quarterly' },
  { value: 'half-yearly', label: 'Every six months' },
  { value: 'yearly', label: 'Yearly' },
  { value: 'manual', label: 'Only when an admin starts one' },
];

const wordingField = (
  lang: (typeof LANGUAGES)[number],
  key: 'question' | 'whyQuestion',
  label: string,
): SettingsField => {
  const kind: SettingsFieldKind = 'text';
  return { path: ['enps', 'wording', lang, key], label: `${label} (${LANGUAGE_NAMES[lang]})`, kind, optional: true };
};

const STATIC_FIELDS: SettingsField[] = [
  {
    path: ['enps', 'enabled'],
    label: 'Run waves on the cadence',
    kind: 'checkbox',
    help: 'The cadence continues from the first wave an admin starts.',
  },
  {
    path: ['enps', 'cadence'],
    label: 'Cadence',
    kind: 'select',
    options: CADENCE_OPTIONS,
  },
  { path: ['enps', 'openDays'], label: 'Days a wave stays open', kind: 'number', min: 2, max: 60 },
  { path: ['enps', 'reminderAfterDays'], label: 'Reminder after (days)', kind: 'number', min: 1, max: 59 },
  {
    path: ['enps', 'minGroupSize'],
    label: 'Smallest group shown',
    kind: 'number',
    min: 3,
    max: 1000,
    help: 'Results of groups with fewer answers are merged or hidden. Never below 3; 5 or more is recommended.',
  },
  {
    path: ['enps', 'breakdown'],
    label: 'Results of new waves by',
    kind: 'select',
    options: [
      { value: 'team', label: 'Team' },
      { value: 'tenure', label: 'Tenure' },
      { value: 'location', label: 'Location' },
    ],
  },
  { path: ['enps', 'includeHubSpotUsers'], label: 'Ask the HubSpot users of this account', kind: 'checkbox' },
  { path: ['enps', 'senderName'], label: 'Sender name', kind: 'text', optional: true },
  { path: ['enps', 'senderEmail'], label: 'Sender email', kind: 'email', optional: true },
  { path: ['enps', 'tvTile'], label: 'Show eNPS on the TV view', kind: 'checkbox' },
  ...LANGUAGES.flatMap((lang) => [
    { ...wordingField(lang, 'question', 'Question'), help: '{company} is replaced by the brand name.' },
    wordingField(lang, 'whyQuestion', '"Why?" question'),
  ]),
];

export const enpsSettingsSection: SettingsSection = {
  id: 'enps',
  title: 'eNPS',
  description: 'Employee NPS: anonymous by construction. Waves and the employee list are on the eNPS admin page.',
  order: 80,
  href: '/dashboard/enps/admin',
  async fields({ deps, portalId }: SettingsSectionContext) {
    let teams: SettingsField[] = [];
    try {
      teams = teamsOf(await deps.hubspot.forPortal(portalId).listOwners()).map((t) => ({
        path: ['enps', 'teams', t.id],
        label: `Ask team ${t.name}`,
        kind: 'checkbox',
      }));
    } catch {
      teams = [];
    }
    return [...STATIC_FIELDS, ...teams];
  },
  async validate(_ctx: SettingsSectionContext, candidate): Promise<SettingsFieldIssue[]> {
    const { openDays, reminderAfterDays } = candidate.enps;
    return reminderAfterDays < openDays
      ? []
      : [{ path: ['enps', 'reminderAfterDays'], message: `must be fewer than the ${openDays} days a wave stays open` }];
  },
};
