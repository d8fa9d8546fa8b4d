import { escapeHtml as e } from '../../shared';
import type { SegmentDimension } from '../filters';
import type { Period } from '../math';
import type { Movers } from '../movers';
import { insights, type InsightsContext } from '../service';
import { fmtChange, fmtCount, fmtDay } from './format';

// The dashboard's movers panel: who changed their score since their previous answer, and the net movement per
// segment of the dashboard's current split. Every name and value is escaped.

const SHOWN = 25;

/** Reads and renders the panel (the dashboard page calls this with its context, period and split). */
export async function moversPanel(ctx: InsightsContext, period: Period, split: SegmentDimension): Promise<string> {
  return moversSection(await insights.movers(ctx, period, split, SHOWN));
}

function arrow(change: number): string {
  const word = change > 0 ? 'up' : change < 0 ? 'down' : 'flat';
  const mark = change > 0 ? '▲' : change < 0 ? '▼' : '▶';
  return `<span class="${word}"><span aria-hidden="true">${mark}</span> ${fmtChange(change)}</span>`;
}

function moversSection(m: Movers): string {
  const t = m.totals;
  const people = m.movers
    .map((p) => {
      const who = p.name ?? p.email ?? `Contact ${p.contactId}`;
      const direction = p.direction === 'up' ? 'Up' : 'Down';
      return `<tr><th scope="row">${e(who)}${p.atRisk ? ' <span class="badge at-risk">at risk</span>' : ''}</th>
<td class="nowrap">${arrow(p.change)}<span class="visually-hidden"> (${direction})</span></td><td class="nowrap">${p.previousScore} → ${p.score}</td><td>${e(p.segment.label)}</td><td>${e(fmtDay(p.answeredAt.slice(0, 10)))}</td></tr>`;
    })
    .join('\n');
  const segments = m.segments
    .map(
      (s) =>
        `<tr><th scope="row">${e(s.label)}</th><td>${fmtCount(s.improved)}</td><td>${fmtCount(s.declined)}</td><td>${fmtCount(s.unchanged)}</td><td>${arrow(s.net)}</td><td>${fmtCount(s.atRisk)}</td></tr>`,
    )
    .join('\n');
  const dim = e(m.dimension.label);
  return `<section class="card wide movers" id="movers" aria-labelledby="h-movers">
<h2 id="h-movers">Movers</h2>
<p class="hint">Each person’s latest answer in the period against the answer they gave before it. At risk: fell to detractor, or dropped 3 points or more.</p>
${
  t.compared === 0
    ? '<p>Nobody who answered in this period had answered before.</p>'
    : `<p>${fmtCount(t.improved)} up · ${fmtCount(t.declined)} down · ${fmtCount(t.unchanged)} unchanged · net ${arrow(t.net)} people · ${fmtCount(t.atRisk)} at risk</p>
${
  m.movers.length === 0
    ? '<p>Nobody changed their score.</p>'
    : `<div class="table-wrap" tabindex="0"><table><caption>Who moved${m.moversTotal > m.movers.length ? ` (${m.movers.length} of ${fmtCount(m.moversTotal)})` : ''}</caption>
<thead><tr><th scope="col">Person</th><th scope="col">Change</th><th scope="col">Score</th><th scope="col">${dim}</th><th scope="col">Answered</th></tr></thead>
<tbody>${people}</tbody></table></div>`
}
${
  m.segments.length === 0
    ? ''
    : `<div class="table-wrap" tabindex="0"><table><caption>Net movement by ${dim.toLowerCase()}</caption>
<thead><tr><th scope="col">${dim}</th><th scope="col">Up</th><th scope="col">Down</th><th scope="col">Unchanged</th><th scope="col">Net (people)</th><th scope="col">At risk</th></tr></thead>
<tbody>${segments}</tbody></table></div>`
}`
}
</section>`;
}
