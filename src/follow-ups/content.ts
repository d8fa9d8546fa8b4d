import { createHash } from 'node:crypto';
import type { Category } from '../core';
import { escapeHtml } from '../shared';
import { dueDateFor, type SourceObjectType, type TaskPriority, type TaskRule, type TaskType } from './follow-up.rules';

// What a follow-up task says. Pure. HubSpot renders hs_task_body as HTML, so everything a respondent or a CRM
// user typed is escaped; the subject is plain text.

export interface TaskContentInput {
  followUpId: string;
  category: Category;
  score: number;
  comment: string | null;
  followUpAnswer: string | null;
  answeredAt: Date;
  contact: { id: string; firstname?: string | null; lastname?: string | null; email?: string | null };
  trigger: string;
  source: { type: SourceObjectType; id: string; pipeline?: string | null; stage?: string | null } | null;
  reviewUrl?: string;
  /** null: the (changed) answer no longer calls for a task under the portal's settings. */
  rule: TaskRule | null;
}

export interface TaskContent {
  subject: string;
  body: string;
  priority: TaskPriority;
  taskType: TaskType;
  dueAt: Date;
}

const MARKER_PREFIX = 'nps-loop-follow-up:';

/**
 * A token unique to one follow-up, written into its task's body. If we crash after HubSpot created a task but
 * before we stored its id, the next run finds the task by this token among the contact's tasks (associations
 * are written with the task, so they are there at once, unlike the search index that lags) instead of creating
 * a second one.
 */
export function markerFor(followUpId: string): string {
  return `${MARKER_PREFIX}${followUpId}`;
}

const SUBJECT_MAX = 250;
const VERB: Record<TaskType, string> = { CALL: 'Call', EMAIL: 'Email', TODO: 'Follow up with' };
const GUIDANCE: Record<Category, string> = {
  detractor: 'Reach out soon: find out what went wrong and agree on what happens next.',
  passive: 'Ask what would make them recommend us; passives are the easiest to win over.',
  promoter: 'Thank them, and ask for a review or a referral while they are happy.',
};

export function contactName(c: TaskContentInput['contact']): string {
  const name = [c.firstname, c.lastname]
    .map((p) => (p ?? '').trim())
    .filter(Boolean)
    .join(' ');
  return name || (c.email ?? '').trim() || `contact ${c.id}`;
}

export function buildTaskContent(input: TaskContentInput): TaskContent {
  const name = contactName(input.contact);
  const { rule } = input;
  const subject = rule
    ? input.category === 'promoter'
      ? `${VERB[rule.taskType]} ${name}: ask for a review or referral (NPS ${input.score}, promoter)`
      : `${VERB[rule.taskType]} ${name}: NPS ${input.score} (${input.category})`
    : `No follow-up needed: ${name} changed their NPS answer to ${input.score} (${input.category})`;
  return {
    subject: truncate(subject, SUBJECT_MAX),
    body: buildBody(input, name),
    priority: rule?.priority ?? 'LOW',
    taskType: rule?.taskType ?? 'TODO',
    dueAt: rule ? dueDateFor(rule, input.answeredAt) : input.answeredAt,
  };
}

function buildBody(input: TaskContentInput, name: string): string {
  const parts: string[] = [];
  parts.push(
    `<p><strong>NPS score: ${input.score}/10</strong> (${input.category}) from ${escapeHtml(name)}, answered ${input.answeredAt.toISOString().slice(0, 10)}.</p>`,
  );
  parts.push(
    input.comment?.trim()
      ? `<p><strong>Comment:</strong><br>${paragraph(input.comment)}</p>`
      : '<p>No comment was given.</p>',
  );
  if (input.followUpAnswer?.trim())
    parts.push(`<p><strong>Answer to the follow-up question:</strong><br>${paragraph(input.followUpAnswer)}</p>`);
  parts.push(`<p><strong>Triggered by:</strong> ${escapeHtml(triggerText(input))}</p>`);
  if (input.rule) {
    parts.push(`<p>${escapeHtml(GUIDANCE[input.category])}</p>`);
    if (input.category === 'promoter' && input.reviewUrl) {
      const url = escapeHtml(input.reviewUrl);
      parts.push(`<p>Review link to share: <a href="${url}">${url}</a></p>`);
    }
  } else {
    // Decided: NPS Loop never closes or deletes a task on its own. Someone may already be working on it, so
    // the task is rewritten to say the answer changed and a person closes it.
    parts.push(
      `<p>The answer changed, and under your follow-up settings a ${input.category} answer needs no task. Close this task if nothing remains to do.</p>`,
    );
  }
  parts.push(`<p style="color:#7c98b6;font-size:11px">NPS Loop reference: ${markerFor(input.followUpId)}</p>`);
  return parts.join('\n');
}

function triggerText(input: TaskContentInput): string {
  const s = input.source;
  if (s) {
    const where = [s.pipeline ? `pipeline ${s.pipeline}` : '', s.stage ? `stage ${s.stage}` : '']
      .filter(Boolean)
      .join(', ');
    return `${s.type} ${s.id}${where ? ` (${where})` : ''}`;
  }
  const byTrigger: Record<string, string> = {
    workflow: 'a HubSpot workflow',
    relationship: 'the periodic relationship survey',
    manual: 'an answer entered by hand',
    import: 'an imported answer',
  };
  return byTrigger[input.trigger] ?? input.trigger;
}

/** Escaped text with its line breaks kept. */
function paragraph(text: string): string {
  return escapeHtml(text.trim()).replace(/\r?\n/g, '<br>');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Fingerprint of what the task says: a changed answer changes it, a re-run with the same answer does not. */
export function contentHash(c: TaskContent): string {
  return createHash('sha256')
    .update(JSON.stringify([c.subject, c.body, c.priority, c.taskType, c.dueAt.toISOString()]))
    .digest('hex');
}

/** The HubSpot task properties for this content; the owner is set on creation only. */
export function taskProperties(c: TaskContent): Record<string, string> {
  return {
    hs_task_subject: c.subject,
    hs_task_body: c.body,
    hs_task_priority: c.priority,
    hs_task_type: c.taskType,
    hs_timestamp: c.dueAt.toISOString(),
  };
}
