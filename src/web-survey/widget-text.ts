import type { Settings } from '../core';
import { accessibleAccent, resolveWording, translator, type SurveyLanguage } from '../surveys';

// What the widget shows, resolved on the server so the script carries no catalogue: the survey texts come from
// the same wording rules as the survey page (rule, invitation, portal wording, catalogue); the few words only the
// widget uses are here.

const WIDGET_WORDS: Record<SurveyLanguage, { title: string; dismiss: string; close: string; failed: string }> = {
  en: {
    title: 'Feedback',
    dismiss: 'Not now',
    close: 'Close',
    failed: 'Your answer could not be sent. Please try again.',
  },
  da: { title: 'Feedback', dismiss: 'Ikke nu', close: 'Luk', failed: 'Dit svar kunne ikke sendes. Prøv igen.' },
  sv: { title: 'Feedback', dismiss: 'Inte nu', close: 'Stäng', failed: 'Ditt svar kunde inte skickas. Försök igen.' },
  de: {
    title: 'Feedback',
    dismiss: 'Nicht jetzt',
    close: 'Schließen',
    failed: 'Ihre Antwort konnte nicht gesendet werden. Bitte versuchen Sie es erneut.',
  },
};

interface WidgetTexts {
  title: string;
  question: string;
  reason: string;
  followUp: string | null;
  low: string;
  high: string;
  optional: string;
  submit: string;
  scoreMissing: string;
  thanks: string;
  thanksBody: string;
  dismiss: string;
  close: string;
  failed: string;
}

export interface WidgetSurvey {
  invitationId: string;
  lang: SurveyLanguage;
  /** The brand colour, darkened if needed so white text on it and it on white reach WCAG AA. */
  color: string;
  texts: WidgetTexts;
}

export function widgetSurvey(
  settings: Settings,
  lang: SurveyLanguage,
  invitationId: string,
  source: { ruleId: string | null; question: string | null; followUpQuestion: string | null },
): WidgetSurvey {
  const t = translator(lang);
  const w = resolveWording({ settings, lang, ruleId: source.ruleId, invitation: source });
  const words = WIDGET_WORDS[lang];
  return {
    invitationId,
    lang,
    color: accessibleAccent(settings.brand.color),
    texts: {
      title: `${words.title} · ${settings.brand.name}`,
      question: w.question,
      reason: w.reasonQuestion,
      followUp: w.followUpQuestion,
      low: `0 = ${t('survey.scaleLow')}`,
      high: `10 = ${t('survey.scaleHigh')}`,
      optional: t('survey.optional'),
      submit: t('survey.submit'),
      scoreMissing: t('error.scoreMissing'),
      thanks: t('thanks.heading'),
      thanksBody: w.thankYou,
      dismiss: words.dismiss,
      close: words.close,
      failed: words.failed,
    },
  };
}
