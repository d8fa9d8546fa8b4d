import type { AppDeps } from '../core';
import type { WebhookHandler } from '../core';
import { eventKind } from '../core';
import { markTaskDeleted } from './follow-ups.repo';
import { applyTaskStatus, COMPLETED, markTasksChecked, openTasksToCheck } from './task-status.repo';

// Closing the loop: a follow-up is completed when its HubSpot task is. Webhooks (task hs_task_status changes,
// task deletions) are the fast path; a periodic check of open tasks catches what webhooks missed.

export const taskStatusHandler: WebhookHandler = {
  name: 'follow-ups.task-status',
  matches: (e) =>
    eventKind(e) === 'task.propertyChange' && e.propertyName === 'hs_task_status' && e.objectId !== undefined,
  async handle(e, deps) {
    await applyTaskStatus(deps.db, e.portalId, String(e.objectId), e.propertyValue ?? '', new Date(e.occurredAt));
  },
};

export const taskDeletionHandler: WebhookHandler = {
  name: 'follow-ups.task-deletion',
  matches: (e) => eventKind(e) === 'task.deletion' && e.objectId !== undefined,
  async handle(e, deps) {
    await markTaskDeleted(deps.db, e.portalId, String(e.objectId));
  },
};

export interface CheckTotals {
  checked: number;
  completed: number;
  deleted: number;
}

/**
 * Reads the status of open tasks from HubSpot, least recently checked first, at most `perPortal` per portal and
 * run (batch reads of 100), so a portal with many open tasks is covered over several runs at a steady cost.
 */
export async function checkOpenTasks(
  deps: AppDeps,
  opts: { perPortal?: number; recheckAfterMs?: number } = {},
): Promise<CheckTotals> {
  const perPortal = opts.perPortal ?? 500;
  const now = deps.clock.now();
  const recheckBefore = new Date(now.getTime() - (opts.recheckAfterMs ?? 10 * 60_000));
  const byPortal = new Map<number, string[]>();
  for (const t of await openTasksToCheck(deps.db, recheckBefore, perPortal))
    byPortal.set(t.portalId, [...(byPortal.get(t.portalId) ?? []), t.taskId]);
  const totals: CheckTotals = { checked: 0, completed: 0, deleted: 0 };
  for (const [portalId, taskIds] of byPortal) {
    let tasks;
    try {
      tasks = await deps.hubspot
        .forPortal(portalId)
        .batchRead('tasks', taskIds, ['hs_task_status', 'hs_task_completion_date']);
    } catch (err) {
      deps.logger.warn(
        { err, portalId, module: 'follow-ups' },
        'could not check follow-up task status; next run tries again',
      );
      continue;
    }
    const seen = new Set<string>();
    for (const t of tasks) {
      seen.add(t.id);
      const status = t.properties.hs_task_status ?? '';
      if (status.toUpperCase() !== COMPLETED) continue;
      const at = completionTime(t.properties.hs_task_completion_date, now);
      if (await applyTaskStatus(deps.db, portalId, t.id, status, at)) totals.completed++;
    }
    for (const id of taskIds) if (!seen.has(id)) totals.deleted += await markTaskDeleted(deps.db, portalId, id);
    await markTasksChecked(deps.db, portalId, taskIds, now);
    totals.checked += taskIds.length;
  }
  return totals;
}

/** hs_task_completion_date arrives as epoch ms or ISO text; without it, now is the best we know. */
function completionTime(value: string | null | undefined, now: Date): Date {
  if (!value) return now;
  const asNumber = Number(value);
  const d = Number.isFinite(asNumber) && /^\d+$/.test(value) ? new Date(asNumber) : new Date(value);
  return Number.isNaN(d.getTime()) || d.getTime() > now.getTime() ? now : d;
}
