import type { AppDeps, SettingsField, SettingsFieldIssue, SettingsSection, TriggerRule } from '../../core';
import { CHANNEL_OPTIONS } from './channels';
import { pipelineChoices, stagesFor, type ObjectKind, type PipelineChoice } from '../hubspot-catalog';

// Trigger rules: which deal or ticket stage sends a survey, after how long, by which channel. The rules are an
// array, so they get a page of their own (triggers.routes.ts); this file holds the section, its check against
// the portal's real pipelines, and the fields of one rule's form.

export const TRIGGERS_PATH = '/dashboard/settings/triggers';

export type PipelineCatalog = Record<ObjectKind, PipelineChoice[] | undefined>;

export async function loadPipelines(deps: AppDeps, portalId: number): Promise<PipelineCatalog> {
  const [deal, ticket] = await Promise.all([
    pipelineChoices(deps, portalId, 'deal'),
    pipelineChoices(deps, portalId, 'ticket'),
  ]);
  return { deal, ticket };
}

/** Why a rule's pipeline or stage is not (or no longer) in the portal; undefined when it is. */
export function staleRuleProblem(
  rule: Pick<TriggerRule, 'pipelineId' | 'stageId'>,
  pipelines: PipelineChoice[],
): SettingsFieldIssue | undefined {
  if (rule.pipelineId !== '*' && !pipelines.some((p) => p.id === rule.pipelineId))
    return {
      path: ['pipelineId'],
      message: `The pipeline ${rule.pipelineId} does not exist in HubSpot (any more): choose one of the portal’s pipelines.`,
    };
  if (!stagesFor(pipelines, rule.pipelineId).some((s) => s.id === rule.stageId)) {
    const where = rule.pipelineId === '*' ? 'any pipeline' : `pipeline ${rule.pipelineId}`;
    return {
      path: ['stageId'],
      message: `The stage ${rule.stageId} does not exist in ${where} in HubSpot (any more): choose one of its stages.`,
    };
  }
  return undefined;
}

export const triggersSection: SettingsSection = {
  id: 'triggers',
  title: 'Trigger rules',
  description:
    'Which deal or ticket stage sends a survey, after how long, by which channel, with which follow-up question.',
  order: 30,
  href: TRIGGERS_PATH,
  // New and changed rules are checked against the portal's pipelines (unchanged ones are flagged on the rules
  // page instead, so a stage deleted in HubSpot does not block every other save). When HubSpot cannot be
  // reached the check is skipped: the schema has already checked the rule's shape.
  async validate(ctx, candidate) {
    const before = new Map(ctx.settings.triggers.map((r) => [r.id, JSON.stringify(r)]));
    const pipelines = new Map<ObjectKind, Promise<PipelineChoice[] | undefined>>();
    const issues: SettingsFieldIssue[] = [];
    const ids = new Set<string>();
    for (const [i, rule] of candidate.triggers.entries()) {
      if (ids.has(rule.id)) issues.push({ path: ['triggers', i, 'id'], message: 'Another rule already has this id.' });
      ids.add(rule.id);
      if (before.get(rule.id) === JSON.stringify(rule)) continue;
      if (!pipelines.has(rule.objectType))
        pipelines.set(rule.objectType, pipelineChoices(ctx.deps, ctx.portalId, rule.objectType));
      const known = await pipelines.get(rule.objectType);
      const problem = known && staleRuleProblem(rule, known);
      if (problem) issues.push({ path: ['triggers', i, ...problem.path], message: problem.message });
    }
    return issues;
  },
};

/** The fields of the rule at `index`, the pipeline and stage lists following the chosen object and pipeline. */
export function ruleFields(
  index: number,
  chosen: { objectType: ObjectKind; pipelineId: string; stageId: string; isNew: boolean },
  catalog: PipelineCatalog,
): SettingsField[] {
  const path = (...rest: string[]) => ['triggers', index, ...rest];
  const pipelines = catalog[chosen.objectType];
  const unknown = (value: string, known: Array<{ id: string }>) =>
    value && !known.some((k) => k.id === value) ? [{ value, label: `${value} (not in HubSpot)` }] : [];
  const pipelineField: SettingsField = pipelines
    ? {
        path: path('pipelineId'),
        label: 'Pipeline',
        kind: 'select',
        options: [
          ...(chosen.objectType === 'deal' ? [{ value: '*', label: 'Any deal pipeline' }] : []),
          ...pipelines.map((p) => ({ value: p.id, label: p.label })),
          ...(chosen.pipelineId === '*' ? [] : unknown(chosen.pipelineId, pipelines)),
        ],
      }
    : {
        path: path('pipelineId'),
        label: 'Pipeline id',
        kind: 'text',
        help: 'HubSpot could not be reached: enter the id, or "*" for any.',
      };
  const stages = pipelines ? stagesFor(pipelines, chosen.pipelineId) : undefined;
  const stageField: SettingsField = stages
    ? {
        path: path('stageId'),
        label: 'Stage',
        kind: 'select',
        help: 'The survey is sent when a record reaches this stage.',
        options: [
          ...(chosen.stageId ? [] : [{ value: '', label: 'Choose a stage' }]),
          ...stages.map((s) => ({ value: s.id, label: s.label })),
          ...unknown(chosen.stageId, stages),
        ],
      }
    : { path: path('stageId'), label: 'Stage id', kind: 'text', help: 'HubSpot could not be reached: enter the id.' };
  return [
    ...(chosen.isNew
      ? [{ path: path('id'), label: 'Rule id', kind: 'text' as const, help: 'Lowercase letters, digits, "-" or "_".' }]
      : []),
    { path: path('enabled'), label: 'Rule is on', kind: 'checkbox' },
    {
      path: path('objectType'),
      label: 'Object',
      kind: 'select',
      options: [
        { value: 'deal', label: 'Deal' },
        { value: 'ticket', label: 'Ticket' },
      ],
    },
    pipelineField,
    stageField,
    {
      path: path('delayHours'),
      label: 'Delay (hours)',
      kind: 'number',
      min: 0,
      max: 24 * 90,
      help: 'Wait this long after the stage is reached.',
    },
    { path: path('channel'), label: 'Channel', kind: 'select', options: CHANNEL_OPTIONS },
    {
      path: path('webSnoozeDays'),
      label: 'Snooze after a dismissal (days), in-app only',
      kind: 'number',
      min: 1,
      max: 365,
      step: 1,
      optional: true,
      help: 'How long the in-app widget stays away after someone dismisses this rule’s survey; leave empty for the web survey setting.',
    },
    {
      path: path('wording', 'followUpQuestion'),
      label: 'Follow-up question',
      kind: 'textarea',
      optional: true,
      help: 'Asked after the score; leave empty for the standard question.',
    },
  ];
}
