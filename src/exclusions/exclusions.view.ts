import { escapeHtml as e } from '../shared';
import type { AnswerSummary, ExcludedAnswer, ExclusionEvent } from './exclusions.repo';

// The pages of excluding an answer (pure): the confirmation form with its reason, and the list of excluded
// answers with the audit trail. Every text from a respondent or a user is escaped.

function who(a: AnswerSummary): string {
  return [a.contactName, a.contactEmail].filter(Boolean).join(' · ') || `Contact ${a.contactId}`;
}

function day(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function excludeFormBody(a: AnswerSummary, csrf: string, problem?: string): string {
  return `<main class="page narrow">
<p><a href="/dashboard#comments">← Dashboard</a></p>
<h1>Exclude this answer?</h1>
<section class="card" aria-label="The answer">
<p class="score-line"><strong>Score ${a.score}</strong> · ${e(who(a))} · ${e(day(a.answeredAt))}</p>
${a.comment ? `<blockquote>${e(a.comment)}</blockquote>` : '<p>No comment.</p>'}
</section>
<p>An excluded answer leaves the dashboard, the CSV export, the CRM card, the contact’s NPS properties (their current score falls back to their previous answer) and the company NPS. You can include it again at any time under <a href="/dashboard/answers/excluded">Excluded answers</a>.</p>
<form method="post" action="/dashboard/answers/${e(a.responseId)}/exclude" class="stack">
<input type="hidden" name="_csrf" value="${e(csrf)}">
<label for="reason">Reason (kept in the audit trail)</label>
${problem ? `<p class="error" id="reason-error" role="alert">${e(problem)}</p>` : ''}
<textarea id="reason" name="reason" rows="3" maxlength="500" required${problem ? ' aria-describedby="reason-error"' : ''} placeholder="A test answer, a mistaken phone log, spam…"></textarea>
<button type="submit">Exclude the answer</button>
</form>
</main>`;
}

export function excludedListBody(excluded: ExcludedAnswer[], events: ExclusionEvent[], csrf: string): string {
  const rows = excluded
    .map(
      (x) => `<li class="excluded-answer" id="answer-${e(x.responseId)}">
<p><strong>Score ${x.score}</strong> · ${e(who(x))} · answered ${e(day(x.answeredAt))}</p>
${x.comment ? `<blockquote>${e(x.comment)}</blockquote>` : ''}
<p class="meta">Excluded by ${e(x.excludedBy)} on ${e(day(x.excludedAt))}: ${e(x.reason)}</p>
<form method="post" action="/dashboard/answers/${e(x.responseId)}/include">
<input type="hidden" name="_csrf" value="${e(csrf)}">
<button type="submit">Include again<span class="visually-hidden"> (score ${x.score}, ${e(who(x))})</span></button>
</form>
</li>`,
    )
    .join('\n');
  const trail = events
    .map(
      (ev) =>
        `<tr><td>${e(day(ev.at))}</td><td>${ev.action === 'excluded' ? 'Excluded' : 'Included again'}</td><td>${e(ev.actor)}</td><td><code>${e(ev.responseId)}</code></td><td>${e(ev.reason || '–')}</td></tr>`,
    )
    .join('\n');
  return `<main class="page narrow">
<p><a href="/dashboard">← Dashboard</a></p>
<h1>Excluded answers</h1>
${excluded.length ? `<ul class="comments">${rows}</ul>` : '<p>No answers are excluded.</p>'}
<h2>Audit trail</h2>
${
  trail
    ? `<div class="table-wrap" tabindex="0"><table><thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">Who</th><th scope="col">Answer</th><th scope="col">Why</th></tr></thead>
<tbody>${trail}</tbody></table></div>`
    : '<p>Nothing has been excluded yet.</p>'
}
</main>`;
}
