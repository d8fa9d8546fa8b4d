import en from './i18n/en.json' with { type: 'json' };
import da from './i18n/da.json' with { type: 'json' };
import sv from './i18n/sv.json' with { type: 'json' };
import de from './i18n/de.json' with { type: 'json' };

// Every word a respondent reads lives in ./i18n/<language>.json; English is the reference catalogue and the
// fallback for any language (or key) we do not have. Placeholders are written {name}.

export const SURVEY_LANGUAGES = ['en', 'da', 'sv', 'de'] as const;
export type SurveyLanguage = (typeof SURVEY_LANGUAGES)[number];
export type MessageKey = keyof typeof en;

export const CATALOGUES: Record<SurveyLanguage, Partial<Record<MessageKey, string>>> = { en, da, sv, de };

/** The language we have for a tag such as 'da-dk', 'sv_SE' or 'DE', or undefined. */
function knownLanguage(tag: string | null | undefined): SurveyLanguage | undefined {
  const primary = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return (SURVEY_LANGUAGES as readonly string[]).includes(primary) ? (primary as SurveyLanguage) : undefined;
}

/**
 * Maps whatever HubSpot or a browser gives us ('da-dk', 'sv_SE', 'DE', 'nb', '') to a language we have. Norwegian
 * is not Danish and falls back like any other unknown language: to `fallback`, then English.
 */
export function normaliseLanguage(value: string | null | undefined, fallback?: string | null): SurveyLanguage {
  return knownLanguage(value) ?? knownLanguage(fallback) ?? 'en';
}

/** The preferred language of an Accept-Language header that we have, for pages where no invitation can be trusted. */
export function languageFromAcceptHeader(header: string | undefined): SurveyLanguage {
  const ranked = (header ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag ?? '', q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const lang = knownLanguage(tag);
    if (lang) return lang;
  }
  return 'en';
}

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/**
 * A translator for one language; {placeholders} are filled from vars (left as written when missing), numbers
 * written the way that language writes them ("5,000", "5.000", "5 000"). Built once per language: an
 * Intl.NumberFormat costs more to construct than a whole survey page takes to render.
 */
export function translator(lang: SurveyLanguage): Translate {
  return (TRANSLATORS[lang] ??= buildTranslator(lang));
}

const TRANSLATORS: Partial<Record<SurveyLanguage, Translate>> = {};
const DATE_FORMATS: Partial<Record<SurveyLanguage, Intl.DateTimeFormat>> = {};

function buildTranslator(lang: SurveyLanguage): Translate {
  const catalogue = CATALOGUES[lang];
  const numbers = new Intl.NumberFormat(locale(lang));
  return (key, vars = {}) => {
    const template = catalogue[key] ?? en[key];
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = vars[name];
      if (value === undefined) return whole;
      return typeof value === 'number' ? numbers.format(value) : value;
    });
  };
}

function locale(lang: SurveyLanguage): string {
  return lang === 'en' ? 'en-GB' : lang;
}

/** A date as respondents in that language write it, e.g. "31 March 2026" / "31. marts 2026" (UTC). */
export function formatDate(lang: SurveyLanguage, date: Date): string {
  const format = (DATE_FORMATS[lang] ??= new Intl.DateTimeFormat(locale(lang), { dateStyle: 'long', timeZone: 'UTC' }));
  return format.format(date);
}
