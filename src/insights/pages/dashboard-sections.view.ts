import { escapeHtml as e } from '../../shared';
import type { TvLink } from '../../auth';
import type { Trend } from '../trend';
import type { Distribution } from '../distribution';
import type { SegmentSplit } from '../segments';
import type { Heroes } from '../heroes';
import type { CommentRow } from '../comments';
import { SKIP_REASON_LABELS, channelLabel, dimensionLabel, segmentValueLabel } from '../labels';
import { CATEGORIES, SEGMENT_DIMENSIONS, type AnswerFilters } from '../filters';
import { fmtChange, fmtCount, fmtDay, fmtHours, fmtMargin, fmtNps, fmtPercent, fmtTime } from './format';

// The dashboard's sections as HTML. Every value that came from a person or from HubSpot goes through escapeHtml.

const CATEGORY_LABEL = { promoter: 'Promoter', passive: 'Passive', detractor: 'Detractor' } as const;

function fewBadge(tooFew: boolean, n: number): string {
  return tooFew && n > 0 ? ' <span class="badge few" title="Too few answers to trust">few answers</span>' : '';
}

export function trendSection(t: Trend): string {
  const rows = t.points
    .map(
      (
        p,
      ) => `<tr><th scope="row">${e(fmtDay(p.from))} – ${e(fmtDay(p.to))}</th><td>${fmtNps(p.nps)}</td><td>${e(fmtMargin(p.marginOfError))}</td>
<td>${fmtCount(p.n)}${fewBadge(p.tooFew, p.n)}</td><td>${fmtPercent(p.shares.promoters)}</td><td>${fmtPercent(p.shares.passives)}</td><td>${fmtPercent(p.shares.detractors)}</td></tr>`,
    )
    .join('\n');
  return `<section class="card wide" aria-labelledby="h-trend">
<h2 id="h-trend">Trend by ${e(t.granularity)}</h2>
<div class="chart"><canvas id="trend-chart" role="img" aria-label="NPS by ${e(t.granularity)} with 95% error bars and the target line; the same numbers are in the table below"></canvas></div>
<div class="chart short"><canvas id="shares-chart" role="img" aria-label="Shares of promoters, passives and detractors by ${e(t.granularity)}"></canvas></div>
<details><summary>Trend as a table</summary>
<div class="table-wrap" tabindex="0"><table><thead><tr><th scope="col">Period</th><th scope="col">NPS</th><th scope="col">Margin</th><th scope="col">Answers</th>
<th scope="col">Promoters</th><th scope="col">Passives</th><th scope="col">Detractors</th></tr></thead>
<tbody>${rows}</tbody></table></div></details>
</section>`;
}

function rateTable(
  caption: string,
  rows: Distribution['responseRate']['byTrigger'],
  label: (key: string) => string,
): string {
  if (rows.length === 0) return `<p>${e(caption)}: no surveys sent in this period.</p>`;
  return `<div class="table-wrap" tabindex="0"><table><caption>${e(caption)}</caption>
<thead><tr><th scope="col">Sent by</th><th scope="col">Sent</th><th scope="col">Answered</th><th scope="col">Response rate</th></tr></thead>
<tbody>${rows.map((r) => `<tr><th scope="row">${e(label(r.key))}</th><td>${fmtCount(r.sent)}</td><td>${fmtCount(r.answered)}</td><td>${fmtPercent(r.rate)}</td></tr>`).join('')}</tbody></table></div>`;
}

export function distributionSection(d: Distribution): string {
  const histogramRows = d.histogram
    .map((h) => `<tr><th scope="row">${h.score}</th><td>${fmtCount(h.count)}</td></tr>`)
    .join('');
  const skips = d.skips.byReason.length
    ? `<ul class="plain">${d.skips.byReason.map((s) => `<li>${e(SKIP_REASON_LABELS[s.reason] ?? s.reason)}: ${fmtCount(s.count)}</li>`).join('')}</ul>`
    : '<p>No surveys were skipped.</p>';
  return `<section class="card" aria-labelledby="h-scores">
<h2 id="h-scores">Scores</h2>
<div class="chart short"><canvas id="histogram-chart" role="img" aria-label="Number of answers for each score from 0 to 10; the same numbers are in the table below"></canvas></div>
<details><summary>Scores as a table</summary><div class="table-wrap" tabindex="0"><table><thead><tr><th scope="col">Score</th><th scope="col">Answers</th></tr></thead>
<tbody>${histogramRows}</tbody></table></div></details>
</section>
<section class="card" aria-labelledby="h-delivery">
<h2 id="h-delivery">Response rate</h2>
<p class="big-number">${fmtPercent(d.responseRate.overall.rate)} <span class="sub">${fmtCount(d.responseRate.overall.answered)} of ${fmtCount(d.responseRate.overall.sent)} surveys sent in the period were answered</span></p>
${rateTable('By trigger', d.responseRate.byTrigger, (k) => segmentValueLabel('trigger', k))}
${rateTable('By channel', d.responseRate.byChannel, channelLabel)}
<h3>Reminders</h3>
<p>${fmtCount(d.reminders.reminded)} reminded; ${fmtCount(d.reminders.answeredAfterReminder)} answered after the reminder
(${fmtPercent(d.reminders.liftPoints)} points of response rate, ${fmtPercent(d.reminders.shareOfAnswers)} of answers).</p>
<h3>Skipped surveys (${fmtCount(d.skips.total)})</h3>
${skips}
</section>`;
}

function segmentLink(filters: URLSearchParams, name: string, value: string): string {
  const q = new URLSearchParams(filters);
  q.set('segment', `${name}:${value}`);
  return `/dashboard?${q.toString()}#comments`;
}

export function segmentsSection(split: SegmentSplit, filters: URLSearchParams): string {
  const rows = split.values
    .map((v) => {
      const marker =
        v.vsRest.direction === 'above'
          ? `<span class="marker up">▲ ${fmtChange(v.vsRest.difference)} above the rest</span>`
          : v.vsRest.direction === 'below'
            ? `<span class="marker down">▼ ${fmtChange(v.vsRest.difference)} below the rest</span>`
            : `<span class="marker flat">within the noise</span>`;
      return `<tr><th scope="row">${e(v.label)}${fewBadge(v.tooFew, v.n)}</th><td class="nowrap">${fmtNps(v.nps)} <span class="moe">${e(fmtMargin(v.marginOfError))}</span></td>
<td>${fmtCount(v.n)}</td><td>${marker}</td><td><a href="${e(segmentLink(filters, split.name, v.value))}">Comments<span class="visually-hidden"> from ${e(v.label)}</span></a></td></tr>`;
    })
    .join('\n');
  const more =
    split.valuesTotal > split.values.length
      ? `<p class="hint">The ${split.values.length} largest of ${fmtCount(split.valuesTotal)} shown.</p>`
      : '';
  return `<section class="card wide" aria-labelledby="h-segments">
<h2 id="h-segments">Segments by ${e(split.label.toLowerCase())}</h2>
<p class="hint">Each segment against everyone else in the period. A difference is marked only when it is larger than the noise (95%).</p>
${
  split.values.length === 0
    ? '<p>No answers in this period.</p>'
    : `<div class="table-wrap" tabindex="0"><table><thead><tr><th scope="col">${e(split.label)}</th><th scope="col">NPS</th><th scope="col">Answers</th><th scope="col">Against the rest</th><th scope="col"><span class="visually-hidden">Comments</span></th></tr></thead>
<tbody>${rows}</tbody></table></div>`
}
${more}
</section>`;
}

export function heroesSection(h: Heroes): string {
  const sla = (s: Heroes['heroes'][number]['sla']['detractor']) =>
    s.decided === 0 ? '–' : `${fmtPercent(s.share)} <span class="sub">of ${fmtCount(s.decided)}</span>`;
  const rows = h.heroes
    .map(
      (
        x,
      ) => `<tr><th scope="row">${e(x.label)}${fewBadge(x.tooFew, x.n)}</th><td class="nowrap">${fmtNps(x.nps)} <span class="moe">${e(fmtMargin(x.marginOfError))}</span></td>
<td>${fmtCount(x.n)}</td><td>${fmtCount(x.promoters)}</td><td>${fmtCount(x.followUps.closed)} / ${fmtCount(x.followUps.opened)}</td>
<td>${e(fmtHours(x.medianCloseHours))}</td><td>${sla(x.sla.detractor)}</td><td>${sla(x.sla.passive)}</td><td>${sla(x.sla.promoter)}</td></tr>`,
    )
    .join('\n');
  const days = h.heroes[0]?.sla;
  const within = (label: string, n?: number) =>
    `${label} in SLA${n === undefined ? '' : ` <span class="sub">(${n} business day${n === 1 ? '' : 's'})</span>`}`;
  return `<section class="card wide" aria-labelledby="h-heroes">
<h2 id="h-heroes">NPS heroes</h2>
<p class="hint">Owners with at least ${h.minAnswers} answers come first, ranked by NPS; owners with fewer follow, flagged. Close-the-loop time runs from the answer to the follow-up task's completion (median, estimated from hourly and daily buckets).</p>
${
  h.heroes.length === 0
    ? '<p>No owners with answers in this period.</p>'
    : `<div class="table-wrap" tabindex="0"><table><thead><tr><th scope="col">Owner</th><th scope="col">NPS</th><th scope="col">Answers</th><th scope="col">Promoters</th>
<th scope="col">Follow-ups closed</th><th scope="col">Median close time</th>
<th scope="col">${within('Detractors', days?.detractor.dueBusinessDays)}</th><th scope="col">${within('Passives', days?.passive.dueBusinessDays)}</th><th scope="col">${within('Promoters', days?.promoter.dueBusinessDays)}</th></tr></thead>
<tbody>${rows}</tbody></table></div>`
}
</section>`;
}

export function commentsSection(comments: CommentRow[], f: AnswerFilters, hidden: URLSearchParams): string {
  const keep = [...hidden].map(([k, v]) => `<input type="hidden" name="${e(k)}" value="${e(v)}">`).join('');
  const items = comments
    .map((c) => {
      const who = [c.contact.name, c.contact.email].filter(Boolean).join(' · ') || `Contact ${c.contact.id}`;
      const about = c.source
        ? ` · ${e(c.source.type === 'deal' ? 'Deal' : c.source.type === 'ticket' ? 'Ticket' : c.source.type)} ${e(c.source.id)}`
        : '';
      return `<li class="comment ${e(c.category)}"><p class="score" aria-label="Score ${c.score}">${c.score}</p>
<div>${c.comment ? `<blockquote>${e(c.comment)}</blockquote>` : ''}${followUpText(c.followUp)}
<p class="meta">${e(who)}${c.company ? ` · ${e(c.company.name ?? `Company ${c.company.id}`)}` : ''}${about} · ${e(fmtTime(c.answeredAt))} · <a href="/dashboard/answers/${e(c.responseId)}/exclude">Exclude<span class="visually-hidden"> this answer</span></a></p></div></li>`;
    })
    .join('\n');
  const segmentText = f.segment
    ? `${dimensionLabel(f.segment.name)}: ${segmentValueLabel(f.segment.name, f.segment.value)}`
    : '';
  return `<section class="card wide" id="comments" aria-labelledby="h-comments">
<h2 id="h-comments">Comments</h2>
<form method="get" action="/dashboard#comments" class="filters inline">
${keep}
<label>Category <select name="category"><option value="">All</option>${CATEGORIES.map((c) => `<option value="${c}"${f.category === c ? ' selected' : ''}>${CATEGORY_LABEL[c]}s</option>`).join('')}</select></label>
<label>Search comments and follow-up answers <input type="search" name="q" value="${e(f.q ?? '')}" maxlength="200"></label>
${f.segment ? `<input type="hidden" name="segment" value="${e(`${f.segment.name}:${f.segment.value}`)}">` : ''}
<button type="submit">Filter</button>
</form>
${f.segment ? `<p class="hint">Segment: ${e(segmentText)} · <a href="/dashboard?${e(withoutSegment(hidden, f))}#comments">show all segments</a></p>` : ''}
${comments.length === 0 ? '<p>No comments match.</p>' : `<ul class="comments">${items}</ul>`}
<p class="hint">An excluded answer (a test, spam) leaves every figure: <a href="/dashboard/answers/excluded">Excluded answers</a>.</p>
</section>`;
}

function followUpText(f: CommentRow['followUp']): string {
  if (!f) return '';
  const question = f.question
    ? `<span class="question">${e(f.question)}</span> `
    : '<span class="question">Follow-up:</span> ';
  return `<p class="follow-up">${question}${e(f.answer)}</p>`;
}

function withoutSegment(hidden: URLSearchParams, f: AnswerFilters): string {
  const q = new URLSearchParams(hidden);
  if (f.category) q.set('category', f.category);
  if (f.q) q.set('q', f.q);
  return q.toString();
}

export function tvLinksSection(links: TvLink[], csrf: string): string {
  const rows = links
    .map(
      (
        l,
      ) => `<tr><th scope="row">${e(l.label)}</th><td>${e(fmtTime(l.createdAt))}<span class="sub"> by ${e(l.createdBy)}</span></td>
<td>${l.lastUsedAt ? e(fmtTime(l.lastUsedAt)) : 'never'}</td>
<td>${l.revokedAt ? `revoked ${e(fmtTime(l.revokedAt))}` : `<form method="post" action="/dashboard/tv-links/${e(l.id)}/revoke"><input type="hidden" name="_csrf" value="${e(csrf)}"><button type="submit" class="danger">Revoke<span class="visually-hidden"> ${e(l.label)}</span></button></form>`}</td></tr>`,
    )
    .join('\n');
  return `<section class="card wide" id="tv-links" aria-labelledby="h-tv">
<h2 id="h-tv">TV links</h2>
<p class="hint">A TV link shows the read-only TV view of this portal without a sign-in. Revoke it and the screen stops at its next refresh.</p>
<form method="post" action="/dashboard/tv-links" class="filters inline">
<input type="hidden" name="_csrf" value="${e(csrf)}">
<label>Name <input type="text" name="label" maxlength="100" placeholder="Office screen"></label>
<button type="submit">Create TV link</button>
</form>
${links.length ? `<div class="table-wrap" tabindex="0"><table><thead><tr><th scope="col">Name</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Status</th></tr></thead><tbody>${rows}</tbody></table></div>` : ''}
</section>`;
}

export const SPLIT_OPTIONS = SEGMENT_DIMENSIONS.map((d) => ({ value: d, label: dimensionLabel(d) }));
