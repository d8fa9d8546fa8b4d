import { LANGUAGES, WORDING_KEYS, type SettingsField, type SettingsSection } from '../core';
import { LANGUAGE_NAMES, WORDING_LABELS, missingTranslations } from '../surveys';

// The "Languages and wording" section of the settings workspace, and the preview page it links to.

const LONG = new Set(['emailIntro', 'thankYou']);

function fields(): SettingsField[] {
  const languageOptions = LANGUAGES.map((l) => ({ value: l, label: `${LANGUAGE_NAMES[l]} (${l})` }));
  return [
    {
      path: ['defaultLanguage'],
      label: 'Default language',
      kind: 'select',
      options: languageOptions,
      help: 'Used when a contact has no language we offer.',
    },
    {
      path: ['languages'],
      label: 'Languages offered',
      kind: 'text',
      optional: true,
      help: 'Comma-separated, from en, da, sv, de (e.g. "en, da"). Empty: the default language only.',
    },
    ...LANGUAGES.flatMap((lang) =>
      WORDING_KEYS.map((key): SettingsField => ({
        path: ['wording', lang, key],
        label: `${WORDING_LABELS[key]} (${LANGUAGE_NAMES[lang]})`,
        kind: LONG.has(key) ? 'textarea' : 'text',
        optional: true,
        help: 'Empty: the built-in text. {brand} is replaced by your brand name.',
      })),
    ),
  ];
}

export const wordingSections: SettingsSection[] = [
  {
    id: 'languages',
    title: 'Languages and wording',
    description:
      'The languages surveys are offered in and, per language, the question, the "why?" question, the email subject and introduction and the thank-you text.',
    order: 30,
    fields: fields(),
    async validate(_ctx, candidate) {
      return missingTranslations(candidate);
    },
  },
  {
    id: 'preview',
    title: 'Preview and test survey',
    description: 'See the email and survey page as they will render, and send yourself a test survey.',
    order: 31,
    href: '/dashboard/settings/preview',
  },
];
