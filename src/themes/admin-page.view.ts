import { escapeHtml as e } from '../shared';
import type { Candidate } from './extraction';
import { THEME_LANGUAGES, type ThemeLanguage } from './language';
import type { ThemeDefinition } from './tagging';

// The themes admin page (/dashboard/themes): the portal's themes, and candidates found in a period's comments.
// Admins get the forms (each carries the dashboard CSRF token); viewers see the same lists read-only.

const LANGUAGE_LABEL: Record<ThemeLanguage, string> = {
  en: 'English',
  da: 'Danish',
  sv: 'Swedish',
  de: 'German',
};

export interface CandidateView extends Candidate {
  /** Name of the theme whose keywords already match the phrase. */
  coveredBy: string | null;
}

export interface ThemesPageView {
  themes: ThemeDefinition[];
  candidates: CandidateView[];
  query: { from: string; to: string; category: string };
  canManage: boolean;
  csrf: string;
  error?: string;
  notice?: string;
}

const csrfField = (csrf: string) => `<input type="hidden" name="_csrf" value="${e(csrf)}">`;

function keywordFields(prefix: string, theme: ThemeDefinition | null): string {
  return THEME_LANGUAGES.map(
    (l) =>
      `<label>${LANGUAGE_LABEL[l]} keywords${theme ? `<span class="visually-hidden"> of ${e(theme.name)}</span>` : ''}
<textarea name="keywords_${l}" id="${prefix}-${l}" rows="2">${e((theme?.keywords[l] ?? []).join(', '))}</textarea></label>`,
  ).join('\n');
}

function themeRow(t: ThemeDefinition, v: ThemesPageView): string {
  const keywords = THEME_LANGUAGES.map(
    (l) => `<li><span class="sub">${LANGUAGE_LABEL[l]}:</span> ${e((t.keywords[l] ?? []).join(', ') || '–')}</li>`,
  ).join('');
  if (!v.canManage) return `<li><h3>${e(t.name)}</h3><ul class="plain">${keywords}</ul></li>`;
  return `<li><details><summary>${e(t.name)}</summary>
<ul class="plain">${keywords}</ul>
<form method="post" action="/dashboard/themes/${e(t.id)}" class="filters">
${csrfField(v.csrf)}
<label>Name<span class="visually-hidden"> of ${e(t.name)}</span> <input name="name" value="${e(t.name)}" required maxlength="80"></label>
${keywordFields(`kw-${t.id}`, t)}
<button type="submit">Save ${e(t.name)}</button>
</form>
<form method="post" action="/dashboard/themes/${e(t.id)}/delete">${csrfField(v.csrf)}<button type="submit" class="danger">Delete ${e(t.name)}</button></form>
</details></li>`;
}

function candidateRow(c: CandidateView, v: ThemesPageView): string {
  const accept = !v.canManage
    ? ''
    : c.coveredBy
      ? '<td>–</td>'
      : `<td><form method="post" action="/dashboard/themes/accept">${csrfField(v.csrf)}
<input type="hidden" name="phrase" value="${e(c.phrase)}"><input type="hidden" name="language" value="${e(c.language)}">
<button type="submit">Accept<span class="visually-hidden"> ${e(c.phrase)}</span></button></form></td>`;
  return `<tr><th scope="row">${e(c.phrase)}</th><td>${LANGUAGE_LABEL[c.language]}</td><td>${c.score.toFixed(1)}</td>
<td>${c.countIn} of ${c.totalIn}</td><td>${c.countOut} of ${c.totalOut}</td><td>${c.coveredBy ? e(c.coveredBy) : '–'}</td>${accept}</tr>`;
}

export function themesPageBody(v: ThemesPageView): string {
  const option = (value: string, label: string) =>
    `<option value="${e(value)}"${value === v.query.category ? ' selected' : ''}>${e(label)}</option>`;
  const defineForm = v.canManage
    ? `<section class="card wide" aria-labelledby="h-define"><h2 id="h-define">Define a theme</h2>
<p class="hint">Keywords are matched on word stems ("price" also finds "prices"); separate them with commas. A phrase matches the same words in a row.</p>
<form method="post" action="/dashboard/themes" class="filters">${csrfField(v.csrf)}
<label>Name <input name="name" required maxlength="80"></label>
${keywordFields('new', null)}
<button type="submit">Add theme</button></form></section>`
    : '';
  const mergeForm =
    v.canManage && v.themes.length > 1
      ? `<section class="card wide" aria-labelledby="h-merge"><h2 id="h-merge">Merge themes</h2>
<form method="post" action="/dashboard/themes/merge">${csrfField(v.csrf)}
<label>Keep <select name="into">${v.themes.map((t) => `<option value="${e(t.id)}">${e(t.name)}</option>`).join('')}</select></label>
<fieldset><legend>Fold into it (their keywords join it; they are deleted)</legend>
${v.themes.map((t) => `<label><input type="checkbox" name="from" value="${e(t.id)}"> ${e(t.name)}</label>`).join('\n')}</fieldset>
<button type="submit">Merge</button></form></section>`
      : '';
  return `<header class="top"><p class="brand">NPS Loop · Comment themes</p>
<nav aria-label="Themes"><a href="/dashboard">Dashboard</a><a href="/dashboard/settings">Settings</a></nav></header>
<main class="page">
<h1>Comment themes</h1>
${v.error ? `<p class="warning" role="alert" id="themes-error">${e(v.error)}</p>` : ''}
${v.notice ? `<p role="status">${e(v.notice)}</p>` : ''}
${v.canManage ? '' : '<p class="hint">Only an NPS Loop admin can change themes.</p>'}
<div class="grid">
<section class="card wide" aria-labelledby="h-list"><h2 id="h-list">Themes</h2>
${v.themes.length ? `<ul class="plain" id="theme-list">${v.themes.map((t) => themeRow(t, v)).join('\n')}</ul>` : '<p>No themes yet.</p>'}
</section>
${defineForm}
${mergeForm}
<section class="card wide" aria-labelledby="h-candidates"><h2 id="h-candidates">Suggested themes</h2>
<p class="hint">Phrases (word stems, stop words left out) that the period's comments use more than the other comments.
The score is a log-odds z-score with an informative prior: above 2 is more than chance explains. "In" counts the period's comments that use the phrase, "out" the other comments.</p>
<form method="get" action="/dashboard/themes" class="filters">
<label>From <input type="date" name="from" value="${e(v.query.from)}" required></label>
<label>To <input type="date" name="to" value="${e(v.query.to)}" required></label>
<label>Comments of <select name="category">${option('', 'Everyone')}${option('detractor', 'Detractors')}${option('passive', 'Passives')}${option('promoter', 'Promoters')}</select></label>
<button type="submit">Find</button></form>
${
  v.candidates.length
    ? `<div class="table-wrap" tabindex="0"><table id="candidates"><caption>Suggested themes, best first</caption>
<thead><tr><th scope="col">Phrase</th><th scope="col">Language</th><th scope="col">Score</th><th scope="col">In</th><th scope="col">Out</th><th scope="col">Already in theme</th>${v.canManage ? '<th scope="col">Action</th>' : ''}</tr></thead>
<tbody>${v.candidates.map((c) => candidateRow(c, v)).join('\n')}</tbody></table></div>`
    : '<p>No phrase stands out in this period (a phrase needs at least two comments).</p>'
}
${
  v.candidates[0]?.totalOut === 0
    ? '<p class="hint">There are no other comments to compare with, so every score is 0 and phrases are ranked by how many comments use them.</p>'
    : ''
}
</section>
</div>
</main>`;
}
