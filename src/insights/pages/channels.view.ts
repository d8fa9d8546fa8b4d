import { escapeHtml as e } from '../../shared';
import type { ChannelInsights } from '../channels';
import type { Period } from '../math';
import { insights, type InsightsContext } from '../service';
import { fmtCount, fmtNps, fmtPercent } from './format';

// The dashboard's channels panel: per channel, the response rate of the surveys sent in the period and the
// answers given in it, as a plain table (readable without JavaScript). Labels and keys are escaped.

/** Reads and renders the panel (the dashboard page calls this with its context and period). */
export async function channelsPanel(ctx: InsightsContext, period: Period): Promise<string> {
  return channelsSection(await insights.channels(ctx, period));
}

function channelsSection(c: ChannelInsights): string {
  const body =
    c.channels.length === 0
      ? '<p>No surveys were sent and no answers came in during this period.</p>'
      : `<div class="table-wrap" tabindex="0"><table id="channels-table"><caption>Response rate and answers per channel</caption>
<thead><tr><th scope="col">Channel</th><th scope="col">Surveys sent</th><th scope="col">Of those, answered</th><th scope="col">Response rate</th>
<th scope="col">Answers in the period</th><th scope="col">NPS</th></tr></thead>
<tbody>${c.channels
          .map(
            (r) =>
              `<tr data-channel="${e(r.channel)}"><th scope="row">${e(r.label)}</th><td>${fmtCount(r.sent)}</td><td>${fmtCount(r.answered)}</td>` +
              `<td>${fmtPercent(r.responseRate)}</td><td>${fmtCount(r.answers)}</td><td>${fmtNps(r.nps)}</td></tr>`,
          )
          .join('\n')}</tbody></table></div>`;
  return `<section class="card wide" aria-labelledby="h-channels" id="channels">
<h2 id="h-channels">Channels</h2>
${body}
<p class="sub">Response rate: of the surveys a channel sent in the period, the share answered so far (skipped surveys are not sent).
Answers: every answer given in the period through the channel, with or without a survey invitation.</p>
</section>`;
}
