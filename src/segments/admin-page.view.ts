import type { PropertyDefinition } from '../hubspot';
import { escapeHtml as e } from '../shared';
import type { CustomDimension } from './status';
import { MAX_CUSTOM_DIMENSIONS } from '../core';

// The admin page of custom segment dimensions: the configured ones with their backfill progress, and (for
// admins) a form to add one, the property chosen from the portal's list.

export interface SegmentsPageView {
  dimensions: CustomDimension[];
  properties: Map<'contact' | 'company', PropertyDefinition[]> | null;
  isAdmin: boolean;
  csrf: string;
  error?: string;
  notice?: string;
}

const STATE_TEXT = { pending: 'Waiting', backfilling: 'Reading values', ready: 'Ready', refused: 'Refused' } as const;

function dimensionRow(d: CustomDimension, view: SegmentsPageView): string {
  const progress = d.total > 0 ? `${d.done} of ${d.total} contacts` : d.state === 'ready' ? `${d.done} contacts` : '—';
  const remove = view.isAdmin
    ? `<td><form method="post" action="/dashboard/settings/segments/remove"><input type="hidden" name="_csrf" value="${e(view.csrf)}"><input type="hidden" name="name" value="${e(d.name)}"><button type="submit" class="link">Remove<span class="visually-hidden"> ${e(d.label)}</span></button></form></td>`
    : '';
  return `<tr data-dimension="${e(d.name)}"><th scope="row">${e(d.label)}</th><td><code>${e(d.name)}</code></td><td>${e(d.kind ?? '')}${d.bands ? ` (bands ${e(d.bands.join(', '))})` : ''}</td>
<td class="state-${e(d.state)}">${e(STATE_TEXT[d.state])}${d.message ? `<br><span class="warning">${e(d.message)}</span>` : ''}</td><td>${e(progress)}</td>${remove}</tr>`;
}

function propertyOptions(properties: Map<'contact' | 'company', PropertyDefinition[]>): string {
  const group = (object: 'contact' | 'company', title: string) =>
    `<optgroup label="${title}">${(properties.get(object) ?? [])
      .slice()
      .sort((a, b) => a.label.localeCompare(b.label))
      .map((p) => `<option value="${e(`${object}.${p.name}`)}">${e(p.label)} (${e(p.name)}, ${e(p.type)})</option>`)
      .join('')}</optgroup>`;
  return group('contact', 'Contact') + group('company', 'Primary company');
}

function addForm(view: SegmentsPageView): string {
  if (!view.isAdmin) return '<p class="hint">Only portal admins can change segment dimensions.</p>';
  if (view.dimensions.length >= MAX_CUSTOM_DIMENSIONS)
    return `<p class="hint">At most ${MAX_CUSTOM_DIMENSIONS} custom dimensions; remove one to add another.</p>`;
  if (!view.properties)
    return '<p class="warning">The portal’s properties could not be read from HubSpot; try again later.</p>';
  return `<form method="post" action="/dashboard/settings/segments" class="card" aria-labelledby="h-add">
<h2 id="h-add">Add a dimension</h2>
<input type="hidden" name="_csrf" value="${e(view.csrf)}">
<p><label for="property">Property</label><br><select id="property" name="property" required>${propertyOptions(view.properties)}</select></p>
<p><label for="label">Name on the dashboard (optional)</label><br><input id="label" name="label" maxlength="100"></p>
<p><label for="bands">Bands, for number properties</label><br><input id="bands" name="bands" maxlength="200" aria-describedby="bands-help"><br>
<span id="bands-help" class="hint">Ascending boundaries separated by commas: 10, 50 gives “Under 10”, “10 to under 50” and “50 or more”. Date properties are banded like tenure: under 3 months, 3–12 months, 1–2 years, 2 years or more.</span></p>
<p><button type="submit">Add dimension</button></p>
</form>`;
}

export function segmentsPageBody(view: SegmentsPageView): string {
  const rows = view.dimensions.map((d) => dimensionRow(d, view)).join('\n');
  return `<header class="top"><p class="brand">NPS Loop · Settings</p><nav aria-label="Settings"><a href="/dashboard">Dashboard</a><a href="/dashboard/settings/segments">Refresh progress</a></nav></header>
<main class="page">
<h1>Segments by CRM property</h1>
<p class="hint">Split the dashboard’s segments by up to ${MAX_CUSTOM_DIMENSIONS} contact or primary-company properties. Answers are grouped by each contact’s current value (refreshed whenever the contact is re-read from HubSpot); dates are banded by the time between the date and the answer.</p>
${view.error ? `<p class="warning" role="alert" id="form-error">${e(view.error)}</p>` : ''}
${view.notice ? `<p class="notice" role="status">${e(view.notice)}</p>` : ''}
<section class="card wide" aria-labelledby="h-dims">
<h2 id="h-dims">Custom dimensions</h2>
${
  view.dimensions.length === 0
    ? '<p>None yet.</p>'
    : `<div class="table-wrap" tabindex="0"><table><thead><tr><th scope="col">Name</th><th scope="col">Filter name</th><th scope="col">Kind</th><th scope="col">State</th><th scope="col">Progress</th>${view.isAdmin ? '<th scope="col"><span class="visually-hidden">Remove</span></th>' : ''}</tr></thead>
<tbody>${rows}</tbody></table></div>`
}
</section>
${addForm(view)}
</main>`;
}
