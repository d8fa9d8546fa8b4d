import { escapeHtml as e } from '../../shared';
import type { BenchmarkComparison } from '../benchmark';
import { fmtMargin, fmtNps } from './format';

// The dashboard card that sets the portal's NPS beside a published industry benchmark. It says plainly that the
// benchmark is someone else's survey (other customers, other questions, other years), names it and links it.

const BENCHMARK_SETTINGS = '/dashboard/settings/benchmark';

export function benchmarkSection(
  c: BenchmarkComparison,
  portal: { nps: number | null; marginOfError: number | null },
  isAdmin: boolean,
): string {
  const open = `<section class="card" aria-labelledby="h-benchmark" id="benchmark">
<h2 id="h-benchmark">Industry benchmark</h2>`;
  const b = c.benchmark;
  if (!b) {
    const pick = isAdmin
      ? `<a href="${BENCHMARK_SETTINGS}">Pick your industry</a> to compare your NPS with a published benchmark.`
      : 'An admin can pick your industry in the settings to compare your NPS with a published benchmark.';
    return `${open}\n<p class="hint" id="benchmark-hint">No industry chosen. ${pick}</p>\n</section>`;
  }
  const statistic = b.statistic === 'mean' ? 'industry average' : 'industry score';
  const cited = b.source.citedBy ? ` (as cited by ${e(b.source.citedBy)})` : '';
  return `${open}
<p>Your NPS <strong>${fmtNps(portal.nps)}</strong> <span class="moe">${e(fmtMargin(portal.marginOfError))}</span>
· ${e(b.label)} benchmark <strong>${fmtNps(b.nps)}</strong></p>
<p id="benchmark-verdict">${verdict(c)}</p>
<p class="hint">The benchmark is an outside figure, not measured by NPS Loop: the ${statistic} published by
<a href="${e(b.source.url)}" rel="noopener noreferrer">${e(b.source.publisher)}, “${e(b.source.title)}”</a>${cited}, ${b.year}.
Sample: ${e(b.sample.description)} (${e(b.sample.market)}). Its customers and survey moments differ from yours, so read it as context, not as a target.</p>
${isAdmin ? `<p class="hint"><a href="${BENCHMARK_SETTINGS}">Change industry</a></p>` : ''}
</section>`;
}

function verdict(c: BenchmarkComparison): string {
  if (c.difference === null) return 'No answers in this period to compare.';
  const points = Math.abs(Math.round(c.difference));
  if (c.verdict === null)
    return `Too few answers to know whether the difference (${fmtNps(c.difference)}) is more than noise.`;
  if (c.verdict === 'within-noise')
    return `The difference (${points} point${points === 1 ? '' : 's'}) is within your margin of error: no clear difference from the benchmark.`;
  return `${points} point${points === 1 ? '' : 's'} ${c.verdict} the benchmark, more than your margin of error (${e(fmtMargin(c.marginOfError))}).`;
}
