import { escapeHtml as e } from '../shared';
import type { EnpsTranslate } from './enps.i18n';

// The employee's survey form (pure HTML, the customer survey page's frame and styles): the eNPS question as eleven
// radio buttons, an optional "why", the wave's custom questions, and what anonymity means, above the button.

export const MAX_TEXT = 5000;

export interface EnpsDraft {
  score?: number;
  why: string;
  custom: [string, string];
}

type EnpsField = 'score' | 'why' | 'custom1' | 'custom2';

export interface EnpsProblem {
  field: EnpsField;
  message: string;
}

export interface EnpsFormInput {
  t: EnpsTranslate;
  token: string;
  question: string;
  whyQuestion: string;
  customQuestions: string[];
  draft: EnpsDraft;
  answered: boolean;
  threshold: number;
  problems: EnpsProblem[];
}

const ANCHOR: Record<EnpsField, string> = { score: 'score-0', why: 'why', custom1: 'custom1', custom2: 'custom2' };

export function renderEnpsForm(input: EnpsFormInput): string {
  const { t } = input;
  const problemsOf = (f: EnpsField) => input.problems.filter((p) => p.field === f).map((p) => p.message);
  const summary = input.problems.length
    ? `<div class="error-summary" role="alert" tabindex="-1" id="problems"><h2>${e(t('errorTitle'))}</h2>
<ul>${input.problems.map((p) => `<li><a href="#${ANCHOR[p.field]}">${e(p.message)}</a></li>`).join('')}</ul></div>`
    : '';
  const scoreProblems = problemsOf('score');
  const options = Array.from({ length: 11 }, (_, score) => {
    const checked = input.draft.score === score ? ' checked' : '';
    return `<span class="option"><input type="radio" name="score" id="score-${score}" value="${score}" required${checked}><label for="score-${score}">${score}</label></span>`;
  }).join('');
  const custom = input.customQuestions
    .slice(0, 2)
    .map((q, i) =>
      textField(
        t,
        `custom${i + 1}` as EnpsField,
        q,
        input.draft.custom[i] ?? '',
        problemsOf(`custom${i + 1}` as EnpsField),
      ),
    )
    .join('\n');
  return `${summary}
${input.answered ? `<p class="notice">${e(t('changed'))}</p>` : ''}
<form method="post" action="/e/${e(input.token)}">
<fieldset aria-describedby="scale-ends${scoreProblems.length ? ' score-error' : ''}"${scoreProblems.length ? ' aria-invalid="true"' : ''}>
<legend><h1>${e(input.question)}</h1></legend>
${scoreProblems.length ? `<p class="error" id="score-error">${e(scoreProblems.join(' '))}</p>` : ''}
<div class="scale-options">${options}</div>
<div class="scale-ends" id="scale-ends"><span>0 = ${e(t('scaleLow'))}</span><span>10 = ${e(t('scaleHigh'))}</span></div>
</fieldset>
${textField(t, 'why', input.whyQuestion, input.draft.why, problemsOf('why'))}
${custom}
<p class="hint" id="anonymity">${e(t('anonymity', { k: input.threshold }))}</p>
<button type="submit">${e(t('submit'))}</button>
</form>`;
}

function textField(t: EnpsTranslate, name: EnpsField, label: string, value: string, problems: string[]): string {
  const errorId = `${name}-error`;
  return `<div class="field">
<label for="${name}">${e(label)} <span class="optional">${e(t('optional'))}</span></label>
${problems.length ? `<p class="error" id="${errorId}">${e(problems.join(' '))}</p>` : ''}
<textarea id="${name}" name="${name}" rows="4" maxlength="${MAX_TEXT}"${problems.length ? ` aria-describedby="${errorId}" aria-invalid="true"` : ''}>${e(value)}</textarea>
</div>`;
}

/** A page that only says something (thanks, closed, not valid). */
export function messageBody(title: string, text: string): string {
  return `<h1>${e(title)}</h1>\n<p>${e(text)}</p>`;
}
