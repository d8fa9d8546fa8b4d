import type { AppDeps } from '../core';
import type { BatchResult, CreateInput, HubSpotPortal } from '../hubspot';
import { describeError, isRejection, isRejectionStatus, type OutboxItem } from '../outbox';
import { markerFor } from './content';
import { storeCreateRejected, storeTaskCreated } from './follow-ups.repo';

// Creating follow-up tasks in HubSpot in batches, exactly once each. The caller has already recorded each
// follow-up as "create attempted" (markCreateAttempted), so whatever happens to a call, the next run either knows
// the task id or looks the task up by its marker (see content.ts) before creating again. The HubSpot client narrows a
// batch HubSpot refuses down to the inputs at fault, so one bad input cannot block the rest.

export const TASK_BATCH_SIZE = 100;

/** HubSpot-defined association type ids (HUBSPOT.md §5): task→contact 204, task→deal 216, task→ticket 230. */
export const TASK_TO_CONTACT = 204;
export const TASK_TO_DEAL = 216;
export const TASK_TO_TICKET = 230;

export interface CreateDraft {
  item: OutboxItem;
  followUpId: string;
  input: CreateInput;
}

export interface CreateOutcome {
  created: Array<{ item: OutboxItem; followUpId: string; taskId: string }>;
  /** rejected: HubSpot refused the input (4xx) and nothing was created; else HubSpot could not be reached. */
  failed: Array<{ item: OutboxItem; reason: string; rejected: boolean }>;
  calls: number;
}

export async function createTasks(
  deps: Pick<AppDeps, 'db'>,
  portal: HubSpotPortal,
  drafts: CreateDraft[],
): Promise<CreateOutcome> {
  const outcome: CreateOutcome = { created: [], failed: [], calls: 0 };
  for (let i = 0; i < drafts.length; i += TASK_BATCH_SIZE) {
    const reachable = await sendCreates(deps, portal, drafts.slice(i, i + TASK_BATCH_SIZE), outcome);
    if (!reachable) {
      // HubSpot is down or rate limiting: the rest waits for the retry instead of hammering it now.
      for (const d of drafts.slice(i + TASK_BATCH_SIZE))
        outcome.failed.push({ item: d.item, reason: 'not sent: HubSpot unavailable', rejected: false });
      break;
    }
  }
  return outcome;
}

/** Returns false when HubSpot could not be reached. */
async function sendCreates(
  deps: Pick<AppDeps, 'db'>,
  portal: HubSpotPortal,
  drafts: CreateDraft[],
  outcome: CreateOutcome,
): Promise<boolean> {
  let result: BatchResult;
  outcome.calls++;
  try {
    result = await portal.batchCreate(
      'tasks',
      drafts.map((d) => d.input),
    );
  } catch (err) {
    const reason = describeError(err);
    // Refused (e.g. a scope the install lacks): nothing was created. Otherwise the outcome is unknown, and
    // create_attempted_at stays set so the next run looks before creating.
    if (isRejection(err)) for (const d of drafts) await reject(deps, d, reason, outcome);
    else for (const d of drafts) outcome.failed.push({ item: d.item, reason, rejected: false });
    return isRejection(err);
  }
  const { matched, unmatched } = matchCreated(drafts, result);
  for (const m of matched) {
    await storeTaskCreated(deps.db, m.draft.followUpId, m.taskId, ownerOf(m.draft));
    outcome.created.push({ item: m.draft.item, followUpId: m.draft.followUpId, taskId: m.taskId });
  }
  const retryWithoutOwner: CreateDraft[] = [];
  for (const d of unmatched) {
    const f = failureOf(drafts.indexOf(d), result);
    if (!f) {
      outcome.failed.push({ item: d.item, reason: 'HubSpot answered without this task', rejected: false });
      continue;
    }
    const reason = `${f.status} ${f.category}: ${f.message}`;
    if (!isRejectionStatus(f.status)) outcome.failed.push({ item: d.item, reason, rejected: false });
    // An owner HubSpot refuses (deactivated user, removed seat) must not keep a customer's follow-up from existing.
    else if (ownerOf(d) && /owner/i.test(reason)) retryWithoutOwner.push(withoutOwner(d));
    else await reject(deps, d, reason, outcome);
  }
  return retryWithoutOwner.length === 0 || sendCreates(deps, portal, retryWithoutOwner, outcome);
}

async function reject(
  deps: Pick<AppDeps, 'db'>,
  d: CreateDraft,
  reason: string,
  outcome: CreateOutcome,
): Promise<void> {
  await storeCreateRejected(deps.db, d.followUpId, reason);
  outcome.failed.push({ item: d.item, reason, rejected: true });
}

function failureOf(index: number, result: BatchResult): BatchResult['failed'][number] | undefined {
  return result.failed.find((f) => f.index === index) ?? result.failed.find((f) => f.index === undefined);
}

function ownerOf(d: CreateDraft): string | null {
  const owner = d.input.properties.hubspot_owner_id;
  return owner === undefined || owner === null ? null : String(owner);
}

function withoutOwner(d: CreateDraft): CreateDraft {
  const { hubspot_owner_id: _dropped, ...properties } = d.input.properties;
  return { ...d, input: { ...d.input, properties } };
}

/**
 * Pairs created tasks with their drafts by the marker in the body (robust against partial results), falling back
 * to order when every input succeeded and the answer carries no bodies (the HubSpot client keeps results in input order).
 */
export function matchCreated(
  drafts: CreateDraft[],
  result: BatchResult,
): { matched: Array<{ draft: CreateDraft; taskId: string }>; unmatched: CreateDraft[] } {
  const byMarker = new Map(drafts.map((d) => [markerFor(d.followUpId), d]));
  const matched: Array<{ draft: CreateDraft; taskId: string }> = [];
  const seen = new Set<CreateDraft>();
  for (const obj of result.succeeded) {
    const marker = /nps-loop-follow-up:[0-9a-f-]{36}/i.exec(obj.properties.hs_task_body ?? '')?.[0];
    const draft = marker ? byMarker.get(marker) : undefined;
    if (draft && !seen.has(draft)) {
      seen.add(draft);
      matched.push({ draft, taskId: obj.id });
    }
  }
  if (matched.length === 0 && result.failed.length === 0 && result.succeeded.length === drafts.length) {
    return { matched: drafts.map((draft, i) => ({ draft, taskId: result.succeeded[i]!.id })), unmatched: [] };
  }
  return { matched, unmatched: drafts.filter((d) => !seen.has(d)) };
}
