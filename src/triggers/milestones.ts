import type { AppDeps } from '../core';
import type { WebhookHandler } from '../core';
import { ensureContactsMirrored } from '../contacts';
import { LANGUAGES, getSettings } from '../core';
import { DAY_MS } from '../shared';
import { eventKind, type WebhookEvent } from '../core';
import { anyRuleForStage, matchRules, milestoneKey } from './trigger.rules';
import { scheduleInvitation, type ScheduleOutcome } from './schedule';

// Milestone triggers: a deal or ticket entering a stage named by a rule schedules one survey per associated
// contact, `delayHours` after the moment it entered the stage.
//
// When the record has moved on by the time we process the event (or events arrive out of order), the event
// still counts: it is a fact that the record entered that stage at `occurredAt`, and the milestone key
// (record, stage, contact) makes the outcome the same in every processing order. We read the record only to
// learn its pipeline; a record deleted meanwhile schedules nothing.

const OBJECTS = {
  deal: { type: 'deals', stageProperty: 'dealstage', pipelineProperty: 'pipeline' },
  ticket: { type: 'tickets', stageProperty: 'hs_pipeline_stage', pipelineProperty: 'hs_pipeline' },
} as const;

type MilestoneObject = keyof typeof OBJECTS;

interface MilestoneResult {
  ruleId?: string;
  outcomes: Array<{ contactId: string } & ScheduleOutcome>;
}

async function handleStageEntered(
  deps: AppDeps,
  objectType: MilestoneObject,
  event: WebhookEvent,
): Promise<MilestoneResult> {
  const stageId = event.propertyValue;
  if (event.objectId === undefined || !stageId) return { outcomes: [] };
  const settings = await getSettings(deps.db, event.portalId);
  if (!anyRuleForStage(settings, objectType, stageId)) return { outcomes: [] };

  const spec = OBJECTS[objectType];
  const objectId = String(event.objectId);
  const portal = deps.hubspot.forPortal(event.portalId);
  const record = await portal.getObject(spec.type, objectId, [spec.pipelineProperty, spec.stageProperty]);
  const log = deps.logger.child({ module: 'triggers', portalId: event.portalId, objectType, objectId, stageId });
  if (!record) {
    log.info('record no longer exists; no survey scheduled');
    return { outcomes: [] };
  }
  const pipelineId = record.properties[spec.pipelineProperty] ?? undefined;
  const [rule] = matchRules(settings, { objectType, pipelineId, stageId });
  if (!rule) return { outcomes: [] };

  const contactIds = await portal.getAssociatedIds(spec.type, objectId, 'contacts');
  await ensureContactsMirrored(deps, event.portalId, contactIds);
  const scheduledFor = new Date(event.occurredAt + rule.delayHours * (DAY_MS / 24));
  const outcomes: MilestoneResult['outcomes'] = [];
  for (const contactId of contactIds) {
    const outcome = await scheduleInvitation(deps, {
      portalId: event.portalId,
      contactId,
      trigger: objectType,
      milestoneKey: milestoneKey(objectType, objectId, stageId, contactId),
      scheduledFor,
      ruleId: rule.id,
      source: { objectType, objectId, pipeline: pipelineId, stage: stageId },
      channel: rule.channel,
      question: rule.wording.question,
      // Any per-language follow-up marks the invitation as asking one; the page words it for the language.
      followUpQuestion:
        rule.wording.followUpQuestion ?? LANGUAGES.map((l) => rule.wording[l]?.followUpQuestion).find(Boolean),
    });
    outcomes.push({ contactId, ...outcome });
  }
  log.info(
    { ruleId: rule.id, contacts: contactIds.length, outcomes: outcomes.map((o) => o.skipReason ?? o.status) },
    'milestone reached',
  );
  return { ruleId: rule.id, outcomes };
}

const stageChange = (objectType: MilestoneObject) => (e: WebhookEvent) =>
  eventKind(e) === `${objectType}.propertyChange` && e.propertyName === OBJECTS[objectType].stageProperty;

export const milestoneWebhookHandlers: WebhookHandler[] = (Object.keys(OBJECTS) as MilestoneObject[]).map(
  (objectType) => ({
    name: `triggers.${objectType}-stage`,
    matches: stageChange(objectType),
    async handle(event, deps) {
      await handleStageEntered(deps, objectType, event);
    },
  }),
);
