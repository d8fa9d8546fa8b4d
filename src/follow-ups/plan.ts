import type { Category } from '../core';

// What one flush does for one answer, decided from what we stored and what the answer now calls for. Pure.
//
// - No task yet and the rule wants one → create it.
// - A task exists and its content changed (a changed answer) → update that same task; never add a second one.
//   If it was completed and the answer moved to another category that still needs a follow-up, it is reopened.
// - A changed answer that no longer needs a task (rule disabled for its new category) → the task is updated to
//   say so, but not closed or deleted: someone may be working on it (see content.ts).
// - A pending row (never created in HubSpot) that no longer needs a task → dropped.
// - A task deleted in HubSpot → left alone; recreating what a person deleted would be worse than nothing.

export type FollowUpStatus = 'pending' | 'open' | 'completed' | 'failed' | 'deleted';

export interface StoredFollowUp {
  hubspotTaskId: string | null;
  status: FollowUpStatus;
  category: Category;
  contentHash: string | null;
}

export interface Desired {
  /** Whether the answer's category calls for a task under the current settings. */
  wanted: boolean;
  category: Category;
  contentHash: string;
}

export type FollowUpAction =
  { kind: 'none' } | { kind: 'create' } | { kind: 'drop' } | { kind: 'update'; reopen: boolean };

export function planFollowUp(stored: StoredFollowUp | null, desired: Desired): FollowUpAction {
  if (!stored || !stored.hubspotTaskId) {
    if (desired.wanted) return { kind: 'create' };
    return stored ? { kind: 'drop' } : { kind: 'none' };
  }
  if (stored.status === 'deleted') return { kind: 'none' };
  const reopen = stored.status === 'completed' && desired.wanted && stored.category !== desired.category;
  if (reopen || stored.contentHash !== desired.contentHash) return { kind: 'update', reopen };
  return { kind: 'none' };
}
