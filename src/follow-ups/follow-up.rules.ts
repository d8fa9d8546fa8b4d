import type { Category } from '../core';
import type { Settings } from '../core';
import { addBusinessDays } from './business-days';

// Follow-up rules (issue 5, item 6). Pure: which task an answer calls for, when it is due and who gets it.
// Defaults live in the settings schema: detractor HIGH CALL in 1 business day, passive MEDIUM TODO in 3,
// promoter LOW TODO (ask for a review or referral) in 5.

export type TaskPriority = 'HIGH' | 'MEDIUM' | 'LOW';
export type TaskType = 'CALL' | 'TODO' | 'EMAIL';

export interface TaskRule {
  category: Category;
  priority: TaskPriority;
  taskType: TaskType;
  dueBusinessDays: number;
}

/** The task rule for an answer's category, or null when the portal turned follow-ups off for that category. */
export function taskRuleFor(followUps: Settings['followUps'], category: Category): TaskRule | null {
  const rule = followUps[category];
  if (!rule.enabled) return null;
  return { category, priority: rule.priority, taskType: rule.taskType, dueBusinessDays: rule.dueBusinessDays };
}

/** Due date of a follow-up: the rule's number of business days after the answer. */
export function dueDateFor(rule: TaskRule, answeredAt: Date): Date {
  return addBusinessDays(answeredAt, rule.dueBusinessDays);
}

export type SourceObjectType = 'deal' | 'ticket';

/** Deals and tickets are named several ways across HubSpot (singular, plural, object type id). */
export function sourceObjectTypeOf(raw: string | null | undefined): SourceObjectType | null {
  const value = (raw ?? '').toLowerCase();
  if (value === 'deal' || value === 'deals' || value === '0-3') return 'deal';
  if (value === 'ticket' || value === 'tickets' || value === '0-5') return 'ticket';
  return null;
}

type OwnerSource = 'contact' | 'deal' | 'ticket' | 'default' | 'none';

export interface OwnerCandidates {
  contactOwnerId?: string | null;
  sourceObjectType?: SourceObjectType | null;
  /** hubspot_owner_id of the triggering deal or ticket. */
  sourceOwnerId?: string | null;
  /** settings.followUps.defaultOwnerId */
  defaultOwnerId?: string | null;
}

export interface ResolvedOwner {
  ownerId: string | null;
  source: OwnerSource;
}

const OWNER_ID = /^\d+$/;

/** The contact's owner, else the deal's or ticket's owner, else the default owner, else unassigned. */
export function resolveOwner(c: OwnerCandidates): ResolvedOwner {
  const valid = (id: string | null | undefined): id is string => typeof id === 'string' && OWNER_ID.test(id.trim());
  if (valid(c.contactOwnerId)) return { ownerId: c.contactOwnerId.trim(), source: 'contact' };
  if (c.sourceObjectType && valid(c.sourceOwnerId))
    return { ownerId: c.sourceOwnerId.trim(), source: c.sourceObjectType };
  if (valid(c.defaultOwnerId)) return { ownerId: c.defaultOwnerId.trim(), source: 'default' };
  return { ownerId: null, source: 'none' };
}

/** An owner must be looked up on the deal or ticket only when the contact has none of its own. */
export function needsSourceOwner(c: Pick<OwnerCandidates, 'contactOwnerId' | 'sourceObjectType'>): boolean {
  return Boolean(c.sourceObjectType) && resolveOwner({ contactOwnerId: c.contactOwnerId }).source === 'none';
}
