import { escapeHtml as e } from '../shared';
import { formatDate, type SurveyLanguage, type Translate } from './i18n';

// Short pages around the form (pure): thank-you, closed, broken link, unsubscribe.

/**
 * The thank-you page; `body` is the worded thank-you text, `surveyPath` where "change my answer" leads, `extras`
 * the category's next step and review ask (HTML from thank-you.view.ts, already escaped).
 */
export function thanksBody(
  lang: SurveyLanguage,
  t: Translate,
  token: string,
  expiresAt: Date,
  worded: { body?: string; surveyPath?: string; extras?: string } = {},
): string {
  return `<h1>${e(t('thanks.heading'))}</h1>
<p>${e(worded.body || t('thanks.body'))}</p>
${worded.extras ?? ''}
<p>${e(t('thanks.change', { date: formatDate(lang, expiresAt) }))}</p>
<p><a href="${e(worded.surveyPath ?? `/s/${token}`)}">${e(t('thanks.changeLink'))}</a></p>`;
}

export function expiredBody(t: Translate): string {
  return `<h1>${e(t('expired.heading'))}</h1>
<p>${e(t('expired.body'))}</p>`;
}

export function invalidBody(t: Translate): string {
  return `<h1>${e(t('invalid.heading'))}</h1>
<p>${e(t('invalid.body'))}</p>`;
}

export function unsubscribeBody(t: Translate, token: string, brand: string): string {
  return `<h1>${e(t('unsubscribe.heading'))}</h1>
<p>${e(t('unsubscribe.body', { brand }))}</p>
<form method="post" action="/s/${e(token)}/unsubscribe">
<button type="submit">${e(t('unsubscribe.confirm'))}</button>
</form>`;
}

export function unsubscribedBody(t: Translate, brand: string): string {
  return `<h1>${e(t('unsubscribe.doneHeading'))}</h1>
<p>${e(t('unsubscribe.doneBody', { brand }))}</p>`;
}

export function unsubscribeFooter(t: Translate, token: string): string {
  return `<a href="/s/${e(token)}/unsubscribe">${e(t('email.unsubscribe'))}</a>`;
}
