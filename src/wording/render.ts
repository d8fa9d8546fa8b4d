import type { Config } from '../config';
import type { Settings } from '../core';
import { DAY_MS } from '../shared';
import {
  renderSurveyEmail,
  renderSurveyForm,
  resolveWording,
  translator,
  type ResolvedWording,
  type SurveyLanguage,
} from '../surveys';
import type { Draft } from './draft';

// The preview and the test survey render with the functions real surveys use (renderSurveyEmail,
// renderSurveyForm, resolveWording); only the links and the test notice differ.

export const TEST_NOTICE =
  'TEST survey: your answer is kept apart and counts nowhere (no insights, no HubSpot, no tasks).';

/** The texts the draft words, as a respondent in that language would read them. */
export function draftWording(settings: Settings, draft: Draft): ResolvedWording {
  return resolveWording({ settings, lang: draft.lang, ruleId: draft.ruleId, draft: draft.wording });
}

export interface EmailLinks {
  invitationId: string;
  scoreLink: (score: number) => string;
  unsubscribeLink: string;
  expiresAt: Date;
}

export function draftEmail(
  config: Pick<Config, 'mailFrom'>,
  settings: Settings,
  lang: SurveyLanguage,
  wording: ResolvedWording,
  to: { email: string; firstname?: string | null },
  links: EmailLinks,
  test: boolean,
) {
  return renderSurveyEmail({
    kind: 'invitation',
    lang,
    brand: settings.brand,
    mailFrom: config.mailFrom,
    to,
    question: wording.question,
    subject: wording.emailSubject,
    intro: wording.emailIntro,
    invitationId: links.invitationId,
    scoreLinks: Array.from({ length: 11 }, (_, score) => links.scoreLink(score)),
    unsubscribeLink: links.unsubscribeLink,
    expiresAt: links.expiresAt,
    notice: test ? { subjectPrefix: 'TEST', text: TEST_NOTICE } : undefined,
  });
}

export function draftForm(
  lang: SurveyLanguage,
  wording: ResolvedWording,
  brandName: string,
  form: { token: string; action: string; score?: number; expiresAt: Date; answered?: boolean },
  problems: Parameters<typeof renderSurveyForm>[0]['problems'] = [],
  typed: { comment: string; followUp: string } = { comment: '', followUp: '' },
): string {
  return renderSurveyForm({
    lang,
    t: translator(lang),
    token: form.token,
    action: form.action,
    brandName,
    question: wording.question,
    reasonQuestion: wording.reasonQuestion,
    followUpQuestion: wording.followUpQuestion,
    draft: { score: form.score, ...typed },
    answered: form.answered ?? false,
    expiresAt: form.expiresAt,
    problems,
  });
}

export function expiryFrom(now: Date, settings: Settings): Date {
  return new Date(now.getTime() + settings.linkExpiryDays * DAY_MS);
}
