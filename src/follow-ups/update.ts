import type { AppDeps } from '../core';
import type { BatchResult, HubSpotPortal } from '../hubspot';
import type { Category } from '../core';
import { classifyBatchResult, describeError, isRejection, type OutboxItem } from '../outbox';
import { taskProperties, type TaskContent } from './content';
import { TASK_BATCH_SIZE } from './create';
import { markTaskDeleted, storeTaskUpdated } from './follow-ups.repo';

// A changed answer updates the task it already has (subject, body, priority, type, due date), in batches of 100.
// The owner is left as it is: someone may have reassigned the task in HubSpot since.

export interface UpdateDraft {
  item: OutboxItem;
  followUpId: string;
  taskId: string;
  category: Category;
  content: TaskContent;
  hash: string;
  /** The task was completed and the answer moved to a category that needs a follow-up again. */
  reopen: boolean;
}

export interface UpdateOutcome {
  updated: number;
  done: OutboxItem[];
  failed: Array<{ item: OutboxItem; reason: string; rejected: boolean }>;
  calls: number;
}

export async function updateTasks(
  deps: Pick<AppDeps, 'db' | 'logger'>,
  portal: HubSpotPortal,
  portalId: number,
  drafts: UpdateDraft[],
): Promise<UpdateOutcome> {
  const outcome: UpdateOutcome = { updated: 0, done: [], failed: [], calls: 0 };
  for (let i = 0; i < drafts.length; i += TASK_BATCH_SIZE) {
    const chunk = drafts.slice(i, i + TASK_BATCH_SIZE);
    const inputs = chunk.map((d) => ({
      id: d.taskId,
      properties: { ...taskProperties(d.content), ...(d.reopen ? { hs_task_status: 'NOT_STARTED' } : {}) },
    }));
    let result: BatchResult;
    outcome.calls++;
    try {
      result = await portal.batchUpdate('tasks', inputs);
    } catch (err) {
      const reason = describeError(err);
      const rejected = isRejection(err);
      // Refused: only this batch fails. Unreachable: the rest waits for the retry too.
      for (const d of rejected ? chunk : drafts.slice(i)) outcome.failed.push({ item: d.item, reason, rejected });
      if (!rejected) break;
      continue;
    }
    const verdict = classifyBatchResult(
      chunk.map((d) => ({ id: d.taskId, item: d })),
      result,
    );
    for (const d of verdict.landed) {
      await storeTaskUpdated(deps.db, d.followUpId, {
        category: d.category,
        content: d.content,
        hash: d.hash,
        reopened: d.reopen,
      });
      outcome.updated++;
      outcome.done.push(d.item);
    }
    for (const g of verdict.gone) {
      // Someone deleted the task in HubSpot: respected, not recreated (see plan.ts).
      deps.logger.info({ portalId, taskId: g.id }, 'follow-up task was deleted in HubSpot; it is not recreated');
      await markTaskDeleted(deps.db, portalId, g.id);
      outcome.done.push(g.item.item);
    }
    for (const f of verdict.failed) outcome.failed.push({ item: f.item.item, reason: f.reason, rejected: f.rejected });
  }
  return outcome;
}
