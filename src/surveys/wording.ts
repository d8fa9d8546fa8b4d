import { WORDING_KEYS, type LanguageWording, type Settings, type SettingsFieldIssue, type WordingKey } from '../core';
import { translator, type SurveyLanguage } from './i18n';

// The one place that decides what a respondent reads for the customisable texts (pure). For each text, the first
// that is set wins: the trigger rule's wording for the language, the invitation's own text (a workflow action's
// input, or the rule's language-neutral wording copied when it was scheduled), the rule's language-neutral
// wording, the portal's wording for the language (or the unsaved draft), the built-in catalogue. Custom texts may
// use {brand}, like the catalogue.

export interface ResolvedWording {
  question: string;
  /** The "why?" question above the comment box. */
  reasonQuestion: string;
  /** An extra question (rules and workflow actions only); no box when null. */
  followUpQuestion: string | null;
  emailSubject: string;
  emailIntro: string;
  thankYou: string;
}

export interface WordingSource {
  settings: Pick<Settings, 'brand' | 'wording' | 'triggers'>;
  lang: SurveyLanguage;
  /** The rule that scheduled the invitation, if any (its per-language wording applies). */
  ruleId?: string | null;
  /** Texts stored on the invitation itself. */
  invitation?: { question?: string | null; followUpQuestion?: string | null };
  /** Unsaved wording for the language (the live preview, a test survey); wins over the saved portal wording. */
  draft?: LanguageWording;
}

export function resolveWording(src: WordingSource): ResolvedWording {
  const t = translator(src.lang);
  const brand = src.settings.brand.name;
  const rule = src.ruleId ? src.settings.triggers.find((r) => r.id === src.ruleId) : undefined;
  const own = rule?.wording[src.lang] ?? {};
  const portal = src.draft ?? src.settings.wording[src.lang] ?? {};
  const fill = (value: string | null | undefined) => value?.trim().replace(/\{brand\}/g, brand) || undefined;
  return {
    question:
      fill(own.question) ??
      fill(src.invitation?.question) ??
      fill(rule?.wording.question) ??
      fill(portal.question) ??
      t('survey.question', { brand }),
    reasonQuestion: fill(portal.reasonQuestion) ?? t('survey.reason'),
    followUpQuestion:
      fill(own.followUpQuestion) ??
      fill(src.invitation?.followUpQuestion) ??
      fill(rule?.wording.followUpQuestion) ??
      null,
    emailSubject: fill(portal.emailSubject) ?? t('email.subject', { brand }),
    emailIntro: fill(portal.emailIntro) ?? t('email.intro', { brand }),
    thankYou: fill(portal.thankYou) ?? t('thanks.body'),
  };
}

/** The languages surveys are offered in: the list in settings (the default language first), else the default. */
export function offeredLanguages(settings: Pick<Settings, 'languages' | 'defaultLanguage'>): SurveyLanguage[] {
  const list = settings.languages ?? [];
  return [settings.defaultLanguage, ...list.filter((l) => l !== settings.defaultLanguage)];
}

export const LANGUAGE_NAMES: Record<SurveyLanguage, string> = {
  en: 'English',
  da: 'Danish',
  sv: 'Swedish',
  de: 'German',
};

export const WORDING_LABELS: Record<WordingKey, string> = {
  question: 'Survey question',
  reasonQuestion: 'Follow-up (“why?”) question',
  emailSubject: 'Email subject',
  emailIntro: 'Email introduction',
  thankYou: 'Thank-you text',
};

/**
 * A text customised in one offered language but left empty in another would greet those respondents with the
 * built-in wording instead: name each such gap (language and field), in the portal wording and in every rule.
 */
export function missingTranslations(
  settings: Pick<Settings, 'languages' | 'defaultLanguage' | 'wording' | 'triggers'>,
): SettingsFieldIssue[] {
  const langs = offeredLanguages(settings);
  const issues: SettingsFieldIssue[] = [];
  for (const key of WORDING_KEYS)
    issues.push(...gaps(langs, (l) => settings.wording[l]?.[key], ['wording'], key, WORDING_LABELS[key], ''));
  settings.triggers.forEach((rule, i) => {
    for (const key of ['question', 'followUpQuestion'] as const) {
      const label = key === 'question' ? 'Survey question' : 'Follow-up question';
      issues.push(
        ...gaps(langs, (l) => rule.wording[l]?.[key], ['triggers', i, 'wording'], key, label, ` of rule ${rule.id}`),
      );
    }
  });
  return issues;
}

function gaps(
  langs: SurveyLanguage[],
  valueIn: (lang: SurveyLanguage) => string | undefined,
  base: (string | number)[],
  key: string,
  label: string,
  where: string,
): SettingsFieldIssue[] {
  const set = langs.filter((l) => valueIn(l)?.trim());
  if (!set.length) return [];
  const names = set.map((l) => LANGUAGE_NAMES[l]).join(', ');
  return langs
    .filter((l) => !set.includes(l))
    .map((l) => ({
      path: [...base, l, key],
      message: `${label}${where} is missing its ${LANGUAGE_NAMES[l]} (${l}) translation: it is customised in ${names}`,
    }));
}
