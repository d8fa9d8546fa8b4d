import type { Request } from 'express';
import type { TriggerRule } from '../core';
import { jsonForHtml } from '../core';
import { escapeHtml as e } from '../shared';
import { csrfOf, isAdmin } from './layout.view';
import { stagesFor } from './hubspot-catalog';
import { TRIGGERS_PATH, staleRuleProblem, type PipelineCatalog } from './sections/triggers';
import { channelText } from './sections/channels';

// The trigger rules page: one card per rule (readable on a phone), with its pipeline and stage by name, a
// warning when HubSpot no longer has them, and (for admins) edit, on/off and remove.

function names(rule: TriggerRule, catalog: PipelineCatalog): { pipeline: string; stage: string } {
  const pipelines = catalog[rule.objectType];
  if (!pipelines) return { pipeline: rule.pipelineId, stage: rule.stageId };
  const pipeline =
    rule.pipelineId === '*'
      ? `Any ${rule.objectType} pipeline`
      : (pipelines.find((p) => p.id === rule.pipelineId)?.label ?? rule.pipelineId);
  const stage = stagesFor(pipelines, rule.pipelineId).find((s) => s.id === rule.stageId)?.label ?? rule.stageId;
  return { pipeline, stage };
}

function ruleCard(req: Request, rule: TriggerRule, catalog: PipelineCatalog): string {
  const { pipeline, stage } = names(rule, catalog);
  const pipelines = catalog[rule.objectType];
  const stale = pipelines ? staleRuleProblem(rule, pipelines) : undefined;
  const id = encodeURIComponent(rule.id);
  const post = (action: string, label: string, cls = '') =>
    `<form method="post" action="${TRIGGERS_PATH}/${action}/${e(id)}"><input type="hidden" name="_csrf" value="${e(csrfOf(req))}"><button type="submit"${cls ? ` class="${cls}"` : ''}>${label}<span class="visually-hidden"> ${e(rule.id)}</span></button></form>`;
  return `<li class="rule${rule.enabled ? '' : ' off'}" id="rule-${e(rule.id)}">
<h2>${e(rule.id)} <span class="badge">${rule.enabled ? 'On' : 'Off'}</span></h2>
<dl>
<dt>Object</dt><dd>${rule.objectType === 'deal' ? 'Deal' : 'Ticket'}</dd>
<dt>Pipeline</dt><dd>${e(pipeline)}</dd>
<dt>Stage</dt><dd>${e(stage)}</dd>
<dt>Delay</dt><dd>${rule.delayHours} hours</dd>
<dt>Channel</dt><dd>${e(channelText(rule.channel))}</dd>
${rule.webSnoozeDays ? `<dt>Snooze after a dismissal (in-app)</dt><dd>${rule.webSnoozeDays} days</dd>` : ''}
${rule.wording.followUpQuestion ? `<dt>Follow-up question</dt><dd>${e(rule.wording.followUpQuestion)}</dd>` : ''}
</dl>
${stale ? `<p class="field-error" role="note">${e(stale.message)} Edit the rule to fix it.</p>` : ''}
${
  isAdmin(req)
    ? `<div class="row-actions"><a href="${TRIGGERS_PATH}/edit/${e(id)}" class="button">Edit<span class="visually-hidden"> ${e(rule.id)}</span></a>
${post('toggle', rule.enabled ? 'Turn off' : 'Turn on', 'secondary')}
${post('remove', 'Remove', 'danger')}</div>`
    : ''
}
</li>`;
}

export function rulesList(req: Request, rules: TriggerRule[], catalog: PipelineCatalog): string {
  const unreachable =
    !catalog.deal || !catalog.ticket
      ? '<p class="warning" role="note">HubSpot could not be reached: pipelines and stages show as ids and are not checked.</p>'
      : '';
  return `${unreachable}
${rules.length ? `<ul class="rules" id="rules">${rules.map((r) => ruleCard(req, r, catalog)).join('\n')}</ul>` : '<p id="rules">No trigger rules: no survey is sent when deals or tickets move. Add one below.</p>'}
${isAdmin(req) ? `<p><a href="${TRIGGERS_PATH}/add" class="button" id="add-rule">Add a rule</a></p>` : ''}`;
}

/** The pipelines as JSON for workspace.js, which refreshes the stage list when the pipeline changes. */
export function pipelineData(catalog: PipelineCatalog): string {
  return `<script type="application/json" id="pipeline-data">${jsonForHtml(catalog)}</script>`;
}

export const REFRESH_BUTTON = `<p class="refresh"><button type="submit" name="_action" value="refresh" class="secondary" id="refresh-choices">Show the pipelines and stages of my choice</button>
<span class="hint">Without JavaScript: after changing the object or pipeline, this updates the lists below them.</span></p>`;
