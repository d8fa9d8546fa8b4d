import type { AppDeps } from '../core';
import { getSettings } from '../core';
import { escapeHtml as e } from '../shared';
import { enpsResults } from './results';

// The optional eNPS tile of the TV view (Settings → eNPS → "Show on the TV view"): the latest closed wave's eNPS,
// only when that wave's results are shown at all. Empty HTML otherwise.

export async function enpsTvTile(deps: AppDeps, portalId: number): Promise<string> {
  const settings = await getSettings(deps.db, portalId);
  if (!settings.enps.tvTile) return '';
  const latest = (await enpsResults(deps, portalId)).closed[0];
  const s = latest?.total;
  if (!latest || !s || s.nps === null) return '';
  const value = `${s.nps > 0 ? '+' : ''}${s.nps.toFixed(0)}`;
  return `<section class="tv-counts tv-enps" aria-labelledby="tv-enps-title">
<h2 id="tv-enps-title">Happy team · eNPS</h2>
<p><span class="tv-count" id="tv-enps">${e(value)}</span> <span class="tv-label">${s.marginOfError === null ? '' : `± ${s.marginOfError.toFixed(0)} · `}${s.n} answers, wave of ${e(latest.wave.opensOn)}</span></p>
</section>`;
}
