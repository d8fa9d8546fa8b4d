import type { NpsSummary } from '../core';
import { escapeHtml as e } from '../shared';
import type { EnpsResults, TeamComparison, WaveResult } from './results';

// The eNPS page's sections (pure HTML). Numbers only for released groups; everything a chart would say is a table.

const fmt = (x: number | null) => (x === null ? '–' : `${x > 0 ? '+' : ''}${x.toFixed(0)}`);
const margin = (s: NpsSummary) => (s.marginOfError === null ? '' : `± ${s.marginOfError.toFixed(0)}`);
const percent = (part: number, whole: number) => (whole ? `${Math.round((part / whole) * 100)}%` : '–');
const BREAKDOWN_LABEL = { team: 'Team', tenure: 'Tenure', location: 'Location' } as const;

export function headlineSection(latest: WaveResult | undefined): string {
  if (!latest)
    return `<section class="card" aria-labelledby="h-enps"><h2 id="h-enps">eNPS</h2><p>No wave has closed yet: results appear when the first wave closes.</p></section>`;
  const w = latest.wave;
  const rate =
    w.answered === null ? '' : ` · ${w.answered} of ${w.invited} answered (${percent(w.answered, w.invited)})`;
  if (!latest.total)
    return `<section class="card" aria-labelledby="h-enps"><h2 id="h-enps">eNPS, wave of ${e(w.opensOn)}</h2>
<p class="warning" role="note">Fewer than ${latest.threshold} people answered, so nothing of this wave is shown${e(rate)}.</p></section>`;
  const s = latest.total;
  return `<section class="card" aria-labelledby="h-enps">
<h2 id="h-enps">eNPS, wave of ${e(w.opensOn)} to ${e(w.closesOn)}</h2>
<p class="nps-big"><span class="value" id="enps-value">${fmt(s.nps)}</span> <span class="moe" id="enps-moe">${e(margin(s))}</span></p>
<p id="enps-n">${s.n} answers${e(rate)} · ${percent(s.promoters, s.n)} promoters · ${percent(s.detractors, s.n)} detractors</p>
${s.tooFew ? `<p class="warning" role="note">Only ${s.n} answers: the margin is wide.</p>` : ''}
</section>`;
}

export function trendSection(closed: WaveResult[]): string {
  const rows = [...closed]
    .reverse()
    .map(
      (r) =>
        `<tr><th scope="row">${e(r.wave.opensOn)}</th><td>${r.total ? fmt(r.total.nps) : 'hidden'}</td><td>${r.total ? e(margin(r.total)) : ''}</td><td>${r.total ? r.total.n : `fewer than ${r.threshold}`}</td></tr>`,
    )
    .join('');
  return `<section class="card" aria-labelledby="h-enps-trend"><h2 id="h-enps-trend">Trend per wave</h2>
<div class="table-wrap" tabindex="0"><table><caption>eNPS of each closed wave</caption>
<thead><tr><th scope="col">Wave opened</th><th scope="col">eNPS</th><th scope="col">Margin</th><th scope="col">Answers</th></tr></thead>
<tbody>${rows || '<tr><td colspan="4">No closed waves yet.</td></tr>'}</tbody></table></div></section>`;
}

export function distributionSection(latest: WaveResult | undefined): string {
  if (!latest?.histogram) return '';
  const rows = latest.histogram.map((c, score) => `<tr><th scope="row">${score}</th><td>${c}</td></tr>`).join('');
  return `<section class="card" aria-labelledby="h-enps-dist"><h2 id="h-enps-dist">Scores</h2>
<div class="table-wrap" tabindex="0"><table><caption>Answers per score, latest wave</caption>
<thead><tr><th scope="col">Score</th><th scope="col">Answers</th></tr></thead><tbody>${rows}</tbody></table></div></section>`;
}

export function groupsSection(latest: WaveResult | undefined): string {
  if (!latest?.total) return '';
  const label = BREAKDOWN_LABEL[latest.wave.breakdown];
  const row = (name: string, s: NpsSummary) =>
    `<tr><th scope="row">${e(name)}</th><td>${fmt(s.nps)}</td><td>${e(margin(s))}</td><td>${s.n}</td></tr>`;
  if (latest.groups.length === 0)
    return `<section class="card" aria-labelledby="h-enps-groups"><h2 id="h-enps-groups">By ${e(label.toLowerCase())}</h2>
<p>No ${e(label.toLowerCase())} has enough answers (${latest.threshold}) to be shown on its own, with enough left over for everyone else.</p></section>`;
  const rows = latest.groups.map((g) => row(g.key, g.summary)).join('');
  const other = latest.other ? row('Other (smaller groups together)', latest.other) : '';
  return `<section class="card wide" aria-labelledby="h-enps-groups"><h2 id="h-enps-groups">By ${e(label.toLowerCase())}</h2>
<p class="hint">Only groups with at least ${latest.threshold} answers are shown; smaller ones are counted together as "Other", and a group joins them when "Other" would otherwise be too small.</p>
<div class="table-wrap" tabindex="0"><table><caption>eNPS by ${e(label.toLowerCase())}, latest wave</caption>
<thead><tr><th scope="col">${e(label)}</th><th scope="col">eNPS</th><th scope="col">Margin</th><th scope="col">Answers</th></tr></thead>
<tbody>${rows}${other}</tbody></table></div></section>`;
}

export function comparisonSection(rows: TeamComparison[]): string {
  if (rows.length === 0) return '';
  const body = rows
    .map(
      (r) =>
        `<tr><th scope="row">${e(r.team)}</th><td>${fmt(r.enps.nps)} ${e(margin(r.enps))}</td><td>${fmt(r.customer.nps)} ${e(margin(r.customer))}</td><td>${r.customer.n}</td></tr>`,
    )
    .join('');
  return `<section class="card wide" aria-labelledby="h-enps-customers"><h2 id="h-enps-customers">Happy team, happy customers</h2>
<div class="table-wrap" tabindex="0"><table><caption>eNPS next to the NPS of the team's customers (90 days before the wave closed)</caption>
<thead><tr><th scope="col">Team</th><th scope="col">eNPS</th><th scope="col">Customer NPS</th><th scope="col">Customer answers</th></tr></thead>
<tbody>${body}</tbody></table></div></section>`;
}

export function commentsSection(latest: WaveResult | undefined): string {
  if (!latest?.total) return '';
  const list = (items: string[]) =>
    items.length
      ? `<ul class="comments">${items.map((c) => `<li class="comment"><blockquote>${e(c)}</blockquote></li>`).join('')}</ul>`
      : '<p>None.</p>';
  const custom = latest.wave.questions.map((q, i) => `<h3>${e(q)}</h3>${list(latest.custom[i] ?? [])}`).join('');
  return `<section class="card wide" aria-labelledby="h-enps-comments"><h2 id="h-enps-comments">In their words</h2>
<p class="hint">Without names, in random order. Words can still give their writer away: read them as the team's, not a person's.</p>
${list(latest.comments)}${custom}</section>`;
}

export function openWavesSection(results: EnpsResults): string {
  const open = results.open
    .map(
      (o) =>
        `<li>Open from ${e(o.wave.opensOn)} until ${e(o.wave.closesOn)}: ${o.answered} of ${o.wave.invited} answered (${percent(o.answered, o.wave.invited)}). Results appear when it closes.</li>`,
    )
    .join('');
  const scheduled = results.scheduled
    .map((w) => `<li>Scheduled to open on ${e(w.opensOn)}, closing ${e(w.closesOn)}.</li>`)
    .join('');
  if (!open && !scheduled) return '';
  return `<section class="card" aria-labelledby="h-enps-open"><h2 id="h-enps-open">Waves in progress</h2><ul class="plain">${open}${scheduled}</ul></section>`;
}
