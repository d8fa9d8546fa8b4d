import type { AppDeps } from '../core';
import type { AssociationSpec, HubSpotPortal } from '../hubspot';
import type { Settings } from '../core';
import type { OutboxItem } from '../outbox';
import { buildTaskContent, contentHash, markerFor, taskProperties, type TaskContentInput } from './content';
import { createTasks, TASK_TO_CONTACT, TASK_TO_DEAL, TASK_TO_TICKET, type CreateDraft } from './create';
import { planFollowUp } from './plan';
import {
  dropPendingFollowUp,
  ensurePendingFollowUp,
  loadFollowUpSources,
  markCreateAttempted,
  storeTaskCreated,
  type FollowUpSource,
} from './follow-ups.repo';
import {
  needsSourceOwner,
  resolveOwner,
  sourceObjectTypeOf,
  taskRuleFor,
  type SourceObjectType,
  type TaskRule,
} from './follow-up.rules';
import { updateTasks, type UpdateDraft } from './update';

// One batch of one portal's follow-up items (response ids): decide per answer, then create and update tasks in
// HubSpot in batches. The caller (the outbox drain) holds the portal's lease; `beforeWrite` renews it and throws
// if another drain took over, so no create or update is sent for answers that are someone else's now.

export interface ProcessOutcome {
  done: OutboxItem[];
  failed: Array<{ item: OutboxItem; reason: string; rejected: boolean }>;
  created: number;
  updated: number;
  dropped: number;
  unchanged: number;
  calls: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function processFollowUpItems(
  deps: AppDeps,
  portalId: number,
  settings: Settings,
  items: OutboxItem[],
  beforeWrite: () => Promise<void>,
): Promise<ProcessOutcome> {
  const out: ProcessOutcome = {
    done: items.filter((i) => !UUID.test(i.key)),
    failed: [],
    created: 0,
    updated: 0,
    dropped: 0,
    unchanged: 0,
    calls: 0,
  };
  const itemByResponse = new Map(items.filter((i) => UUID.test(i.key)).map((i) => [i.key.toLowerCase(), i]));
  const sources = await loadFollowUpSources(deps.db, portalId, [...itemByResponse.keys()]);
  const found = new Set(sources.map((s) => s.responseId));
  for (const [id, item] of itemByResponse) if (!found.has(id)) out.done.push(item); // the answer no longer exists
  const portal = deps.hubspot.forPortal(portalId);
  await recoverUnconfirmedCreates(deps, portal, sources);

  const creates: Array<{
    source: FollowUpSource;
    item: OutboxItem;
    followUpId: string;
    content: ReturnType<typeof buildTaskContent>;
    hash: string;
  }> = [];
  const updates: UpdateDraft[] = [];
  for (const source of sources) {
    const item = itemByResponse.get(source.responseId)!;
    const rule = taskRuleFor(settings.followUps, source.category);
    if (!source.followUp && rule) {
      // The row first (status pending): it is what makes the task's marker, and the answer's task, unique.
      const id = await ensurePendingFollowUp(deps.db, portalId, source);
      source.followUp = {
        id,
        hubspotTaskId: null,
        status: 'pending',
        category: source.category,
        contentHash: null,
        createAttemptedAt: null,
      };
    }
    if (!source.followUp) {
      out.unchanged++;
      out.done.push(item);
      continue;
    }
    const followUpId = source.followUp.id;
    const content = buildTaskContent(contentInput(source, followUpId, settings, rule));
    const hash = contentHash(content);
    const action = planFollowUp(source.followUp, {
      wanted: rule !== null,
      category: source.category,
      contentHash: hash,
    });
    if (action.kind === 'create') creates.push({ source, item, followUpId, content, hash });
    else if (action.kind === 'update') {
      updates.push({
        item,
        followUpId,
        taskId: source.followUp.hubspotTaskId!,
        category: source.category,
        content,
        hash,
        reopen: action.reopen,
      });
    } else if (action.kind === 'drop') {
      await dropPendingFollowUp(deps.db, followUpId);
      out.dropped++;
      out.done.push(item);
    } else {
      out.unchanged++;
      out.done.push(item);
    }
  }

  if (creates.length > 0) {
    const owners = await sourceOwners(
      portal,
      creates.map((c) => c.source),
    );
    const drafts: CreateDraft[] = [];
    const attempts = creates.map((c) => {
      const type = sourceObjectTypeOf(c.source.sourceObjectType);
      const owner = resolveOwner({
        contactOwnerId: c.source.contactOwnerId,
        sourceObjectType: type,
        sourceOwnerId: type && c.source.sourceObjectId ? owners.get(`${type}:${c.source.sourceObjectId}`) : null,
        defaultOwnerId: settings.followUps.defaultOwnerId,
      });
      const properties: Record<string, string> = { ...taskProperties(c.content), hs_task_status: 'NOT_STARTED' };
      if (owner.ownerId) properties.hubspot_owner_id = owner.ownerId;
      drafts.push({
        item: c.item,
        followUpId: c.followUpId,
        input: { properties, associations: associationsFor(c.source) },
      });
      return {
        followUpId: c.followUpId,
        category: c.source.category,
        ownerId: owner.ownerId,
        content: c.content,
        hash: c.hash,
      };
    });
    await markCreateAttempted(deps.db, attempts, deps.clock.now());
    await beforeWrite();
    const created = await createTasks(deps, portal, drafts);
    out.calls += created.calls;
    out.created += created.created.length;
    out.done.push(...created.created.map((c) => c.item));
    out.failed.push(...created.failed);
  }
  if (updates.length > 0) {
    await beforeWrite();
    const updated = await updateTasks(deps, portal, portalId, updates);
    out.calls += updated.calls;
    out.updated += updated.updated;
    out.done.push(...updated.done);
    out.failed.push(...updated.failed);
  }
  return out;
}

function contentInput(
  s: FollowUpSource,
  followUpId: string,
  settings: Settings,
  rule: TaskRule | null,
): TaskContentInput {
  const type = sourceObjectTypeOf(s.sourceObjectType);
  return {
    followUpId,
    category: s.category,
    score: s.score,
    comment: s.comment,
    followUpAnswer: s.followUpAnswer,
    answeredAt: s.answeredAt,
    contact: { id: s.contactId, firstname: s.firstname, lastname: s.lastname, email: s.email },
    trigger: s.trigger,
    source:
      type && s.sourceObjectId
        ? { type, id: s.sourceObjectId, pipeline: s.sourcePipeline, stage: s.sourceStage }
        : null,
    reviewUrl: settings.followUps.reviewUrl,
    rule,
  };
}

/** The contact (204) and, when the survey came from one, the deal (216) or ticket (230). */
export function associationsFor(
  s: Pick<FollowUpSource, 'contactId' | 'sourceObjectType' | 'sourceObjectId'>,
): AssociationSpec[] {
  const list: AssociationSpec[] = [{ toObjectType: 'contacts', toId: s.contactId, associationTypeId: TASK_TO_CONTACT }];
  const type = sourceObjectTypeOf(s.sourceObjectType);
  if (type === 'deal' && s.sourceObjectId)
    list.push({ toObjectType: 'deals', toId: s.sourceObjectId, associationTypeId: TASK_TO_DEAL });
  if (type === 'ticket' && s.sourceObjectId)
    list.push({ toObjectType: 'tickets', toId: s.sourceObjectId, associationTypeId: TASK_TO_TICKET });
  return list;
}

/** Owners of the triggering deals and tickets, read in batches, only for answers whose contact has no owner. */
async function sourceOwners(portal: HubSpotPortal, sources: FollowUpSource[]): Promise<Map<string, string | null>> {
  const wanted = new Map<SourceObjectType, Set<string>>();
  for (const s of sources) {
    const type = sourceObjectTypeOf(s.sourceObjectType);
    if (type && s.sourceObjectId && needsSourceOwner({ contactOwnerId: s.contactOwnerId, sourceObjectType: type })) {
      wanted.set(type, (wanted.get(type) ?? new Set()).add(s.sourceObjectId));
    }
  }
  const owners = new Map<string, string | null>();
  for (const [type, ids] of wanted) {
    const objects = await portal.batchRead(type === 'deal' ? 'deals' : 'tickets', [...ids], ['hubspot_owner_id']);
    for (const o of objects) owners.set(`${type}:${o.id}`, o.properties.hubspot_owner_id ?? null);
  }
  return owners;
}

/**
 * Follow-ups whose create was sent but never confirmed (the process died, or the call timed out): the task may
 * exist. Look for its marker among the contact's tasks before anything creates it again.
 */
async function recoverUnconfirmedCreates(
  deps: AppDeps,
  portal: HubSpotPortal,
  sources: FollowUpSource[],
): Promise<void> {
  const unconfirmed = sources.filter((s) => s.followUp && !s.followUp.hubspotTaskId && s.followUp.createAttemptedAt);
  if (unconfirmed.length === 0) return;
  // In batches (a failed create of 100 tasks leaves 100 answers to check): the contacts' tasks, then their bodies.
  const taskIdsOf = await portal.batchGetAssociatedIds(
    'contacts',
    unconfirmed.map((s) => s.contactId),
    'tasks',
  );
  const taskIds = [...new Set([...taskIdsOf.values()].flat())];
  const tasks = taskIds.length > 0 ? await portal.batchRead('tasks', taskIds, ['hs_task_body']) : [];
  const bodyOf = new Map(tasks.map((t) => [t.id, t.properties.hs_task_body ?? '']));
  for (const s of unconfirmed) {
    const f = s.followUp!;
    const marker = markerFor(f.id);
    const taskId = (taskIdsOf.get(s.contactId) ?? []).find((id) => bodyOf.get(id)?.includes(marker));
    if (!taskId) continue;
    await storeTaskCreated(deps.db, f.id, taskId);
    s.followUp = { ...f, hubspotTaskId: taskId, status: 'open', createAttemptedAt: null };
  }
}
