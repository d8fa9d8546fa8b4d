import { escapeHtml as e } from '../shared';
import type { AnswerDraft, AnswerField, AnswerProblem } from './answer';
import { MAX_TEXT } from './answer';
import { formatDate, type SurveyLanguage, type Translate } from './i18n';

// The survey form as HTML (pure). Radio inputs styled as buttons, grouped in a fieldset whose legend is the
// question; every field has a label, problems are listed at the top and next to their field.

export interface SurveyFormInput {
  lang: SurveyLanguage;
  t: Translate;
  token: string;
  brandName: string;
  question: string | null;
  followUpQuestion: string | null;
  /** The "why?" question above the comment box; the catalogue's when absent. */
  reasonQuestion?: string;
  /** Where the form posts; /s/<token> when absent (a test survey has its own address). */
  action?: string;
  /** What to show checked and typed. */
  draft: AnswerDraft;
  /** The respondent already answered: say so, and offer to update. */
  answered: boolean;
  expiresAt: Date;
  problems: AnswerProblem[];
}

const FIELD_ANCHOR: Record<AnswerField, string> = { score: 'score-0', comment: 'comment', followUp: 'followUp' };

export function renderSurveyForm(input: SurveyFormInput): string {
  const { t } = input;
  const problemsOf = (field: AnswerField) =>
    input.problems.filter((p) => p.field === field).map((p) => t(p.key, p.vars));
  const question = input.question?.trim() || t('survey.question', { brand: input.brandName });
  const summary = input.problems.length
    ? `<div class="error-summary" role="alert" tabindex="-1" autofocus id="problems">
<h2>${e(t('error.summary'))}</h2>
<ul>${input.problems.map((p) => `<li><a href="#${FIELD_ANCHOR[p.field]}">${e(t(p.key, p.vars))}</a></li>`).join('')}</ul>
</div>`
    : '';
  const notice = input.answered
    ? `<p class="notice">${e(t('survey.answered', { date: formatDate(input.lang, input.expiresAt) }))}</p>`
    : '';
  const scoreProblems = problemsOf('score');
  const options = Array.from({ length: 11 }, (_, score) => {
    const checked = input.draft.score === score ? ' checked' : '';
    return `<span class="option"><input type="radio" name="score" id="score-${score}" value="${score}" required${checked}><label for="score-${score}">${score}</label></span>`;
  }).join('');
  const describedBy = ['scale-ends', ...(scoreProblems.length ? ['score-error'] : [])].join(' ');
  return `${summary}
${notice}
<form method="post" action="${e(input.action ?? `/s/${input.token}`)}">
<fieldset aria-describedby="${describedBy}"${scoreProblems.length ? ' aria-invalid="true"' : ''}>
<legend><h1>${e(question)}</h1></legend>
${scoreProblems.length ? `<p class="error" id="score-error">${e(scoreProblems.join(' '))}</p>` : ''}
<div class="scale-options">${options}</div>
<div class="scale-ends" id="scale-ends"><span>0 = ${e(t('survey.scaleLow'))}</span><span>10 = ${e(t('survey.scaleHigh'))}</span></div>
</fieldset>
${textField(input, 'comment', input.reasonQuestion || t('survey.reason'), input.draft.comment, problemsOf('comment'))}
${input.followUpQuestion ? textField(input, 'followUp', input.followUpQuestion, input.draft.followUp, problemsOf('followUp')) : ''}
<button type="submit">${e(t(input.answered ? 'survey.update' : 'survey.submit'))}</button>
</form>`;
}

function textField(
  input: SurveyFormInput,
  name: 'comment' | 'followUp',
  label: string,
  value: string,
  problems: string[],
): string {
  const { t } = input;
  const errorId = `${name}-error`;
  const hintId = `${name}-hint`;
  return `<div class="field">
<label for="${name}">${e(label)} <span class="optional">(${e(t('survey.optional'))})</span></label>
<p class="hint" id="${hintId}">${e(t('survey.limit', { max: MAX_TEXT }))}</p>
${problems.length ? `<p class="error" id="${errorId}">${e(problems.join(' '))}</p>` : ''}
<textarea id="${name}" name="${name}" rows="5" maxlength="${MAX_TEXT}" aria-describedby="${hintId}${problems.length ? ` ${errorId}` : ''}"${problems.length ? ' aria-invalid="true"' : ''}>${e(value)}</textarea>
</div>`;
}
