import type { Settings, TriggerRule } from '../core';

// Milestone rules: which settings rule (if any) fires when a deal or ticket enters a stage. Pure.

export interface StageEntry {
  objectType: 'deal' | 'ticket';
  /** The record's pipeline; undefined when unknown (only "any pipeline" rules can match then). */
  pipelineId?: string;
  stageId: string;
}

/**
 * Enabled rules for this object type and stage whose pipeline is the record's pipeline or "*".
 * Rules naming the pipeline come before "any pipeline" rules, each group in settings order, so callers that
 * act on one rule take the most specific one.
 */
export function matchRules(settings: Pick<Settings, 'triggers'>, entry: StageEntry): TriggerRule[] {
  const matching = settings.triggers.filter(
    (r) =>
      r.enabled &&
      r.objectType === entry.objectType &&
      r.stageId === entry.stageId &&
      (r.pipelineId === '*' || (entry.pipelineId !== undefined && r.pipelineId === entry.pipelineId)),
  );
  return [...matching.filter((r) => r.pipelineId !== '*'), ...matching.filter((r) => r.pipelineId === '*')];
}

/** True when some enabled rule could fire for this stage in some pipeline: lets handlers skip HubSpot calls. */
export function anyRuleForStage(
  settings: Pick<Settings, 'triggers'>,
  objectType: 'deal' | 'ticket',
  stageId: string,
): boolean {
  return settings.triggers.some((r) => r.enabled && r.objectType === objectType && r.stageId === stageId);
}

/** One invitation per contact per milestone: the key that makes retries and duplicate deliveries harmless. */
export function milestoneKey(
  objectType: 'deal' | 'ticket',
  objectId: string | number,
  stageId: string,
  contactId: string | number,
): string {
  return `${objectType}:${objectId}:${stageId}:contact:${contactId}`;
}
