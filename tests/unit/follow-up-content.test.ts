import { describe, expect, it } from 'vitest';
import {
  buildTaskContent,
  contactName,
  contentHash,
  markerFor,
  taskProperties,
  type TaskContentInput,
} from '../../src/follow-ups/content';
import { matchCreated, type CreateDraft } from '../../src/follow-ups/create';
import { associationsFor } from '../../src/follow-ups/process';

const FOLLOW_UP_ID = '3f0c2b9e-6a4d-4c55-9a51-0d8f2f1e7b10';
const base: TaskContentInput = {
  followUpId: FOLLOW_UP_ID,
  category: 'detractor',
  score: 3,
  comment: 'Support took <b>ages</b> & nobody "called" back',
  followUpAnswer: null,
  answeredAt: new Date('2026-03-06T15:00:00Z'),
  contact: { id: '501', firstname: 'Ada', lastname: 'Lovelace', email: 'ada@example.com' },
  trigger: 'deal',
  source: { type: 'deal', id: '7001', pipeline: 'default', stage: 'closedwon' },
  rule: { category: 'detractor', priority: 'HIGH', taskType: 'CALL', dueBusinessDays: 1 },
};

describe('follow-up task content', () => {
  it('puts the score, the escaped comment and the triggering deal in the body', () => {
    const c = buildTaskContent(base);
    expect(c.body).toContain('NPS score: 3/10');
    expect(c.body).toContain('Support took &lt;b&gt;ages&lt;/b&gt; &amp; nobody &quot;called&quot; back');
    expect(c.body).not.toContain('<b>ages</b>');
    expect(c.body).toContain('deal 7001 (pipeline default, stage closedwon)');
    expect(c.body).toContain(markerFor(FOLLOW_UP_ID));
  });

  it('keeps line breaks of a comment and escapes script tags', () => {
    const c = buildTaskContent({ ...base, comment: 'line one\n<script>alert(1)</script>' });
    expect(c.body).toContain('line one<br>&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(c.body).not.toContain('<script>');
  });

  it('names a ticket as the trigger, and a workflow when there is no deal or ticket', () => {
    expect(buildTaskContent({ ...base, source: { type: 'ticket', id: '42' } }).body).toContain('ticket 42');
    expect(buildTaskContent({ ...base, trigger: 'workflow', source: null }).body).toContain('a HubSpot workflow');
  });

  it('gives a detractor a HIGH CALL due the next business day, with a subject naming the contact and score', () => {
    const c = buildTaskContent(base);
    expect(c).toMatchObject({ priority: 'HIGH', taskType: 'CALL', subject: 'Call Ada Lovelace: NPS 3 (detractor)' });
    expect(c.dueAt.toISOString()).toBe('2026-03-09T15:00:00.000Z');
  });

  it('asks a promoter for a review with the review link from settings', () => {
    const c = buildTaskContent({
      ...base,
      category: 'promoter',
      score: 10,
      comment: null,
      reviewUrl: 'https://g.page/r/review?x=1&y="2"',
      rule: { category: 'promoter', priority: 'LOW', taskType: 'TODO', dueBusinessDays: 5 },
    });
    expect(c.subject).toBe('Follow up with Ada Lovelace: ask for a review or referral (NPS 10, promoter)');
    expect(c.priority).toBe('LOW');
    expect(c.body).toContain('<a href="https://g.page/r/review?x=1&amp;y=&quot;2&quot;">');
    expect(c.body).toContain('No comment was given.');
  });

  it('says so, without closing anything, when a changed answer no longer needs a task', () => {
    const c = buildTaskContent({ ...base, category: 'promoter', score: 9, rule: null });
    expect(c.subject).toBe('No follow-up needed: Ada Lovelace changed their NPS answer to 9 (promoter)');
    expect(c.body).toContain('Close this task if nothing remains to do');
  });

  it('falls back to the email, then the contact id, for the name', () => {
    expect(contactName({ id: '9', email: 'x@y.z' })).toBe('x@y.z');
    expect(contactName({ id: '9' })).toBe('contact 9');
  });

  it('changes the content hash when the answer changes, and only then', () => {
    expect(contentHash(buildTaskContent(base))).toBe(contentHash(buildTaskContent({ ...base })));
    expect(contentHash(buildTaskContent({ ...base, comment: 'other' }))).not.toBe(contentHash(buildTaskContent(base)));
  });

  it('maps content to HubSpot task properties with the due date as hs_timestamp', () => {
    expect(taskProperties(buildTaskContent(base))).toMatchObject({
      hs_task_priority: 'HIGH',
      hs_task_type: 'CALL',
      hs_timestamp: '2026-03-09T15:00:00.000Z',
    });
  });
});

describe('task associations', () => {
  it.each([
    ['deal', '7', [204, 216]],
    ['ticket', '8', [204, 230]],
    [null, null, [204]],
  ] as const)('a %s source gives association types %j', (type, id, expected) => {
    expect(
      associationsFor({ contactId: '1', sourceObjectType: type, sourceObjectId: id }).map((a) => a.associationTypeId),
    ).toEqual(expected);
  });
});

describe('pairing created tasks with their follow-ups', () => {
  const draft = (id: string): CreateDraft => ({
    item: { portalId: 1, key: id, version: 1, attempts: 0 },
    followUpId: id,
    input: { properties: {} },
  });
  const a = draft('00000000-0000-4000-8000-00000000000a');
  const b = draft('00000000-0000-4000-8000-00000000000b');

  it('pairs by the marker in the body, whatever the order of the answer', () => {
    const result = {
      succeeded: [
        { id: 't-b', properties: { hs_task_body: `x ${markerFor(b.followUpId)} y` } },
        { id: 't-a', properties: { hs_task_body: markerFor(a.followUpId) } },
      ],
      failed: [],
    };
    expect(matchCreated([a, b], result).matched.map((m) => [m.draft.followUpId, m.taskId])).toEqual([
      [b.followUpId, 't-b'],
      [a.followUpId, 't-a'],
    ]);
  });

  it('falls back to input order when every input succeeded without bodies', () => {
    const result = {
      succeeded: [
        { id: '1', properties: {} },
        { id: '2', properties: {} },
      ],
      failed: [],
    };
    expect(matchCreated([a, b], result)).toEqual({
      matched: [
        { draft: a, taskId: '1' },
        { draft: b, taskId: '2' },
      ],
      unmatched: [],
    });
  });

  it('leaves inputs without a created task unmatched', () => {
    const result = {
      succeeded: [{ id: 't-a', properties: { hs_task_body: markerFor(a.followUpId) } }],
      failed: [{ status: 400, category: 'VALIDATION_ERROR', message: 'bad' }],
    };
    expect(matchCreated([a, b], result).unmatched).toEqual([b]);
  });
});
