import { describe, expect, it } from 'vitest';
import { alertEmail, slackMessage, teamsMessage, type AlertAnswer } from '../../src/alerts/alert-message';

const answer = (over: Partial<AlertAnswer> = {}): AlertAnswer => ({
  responseId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  portalId: 1001,
  score: 3,
  category: 'detractor',
  comment: 'Support <never> called back & we lost a week',
  followUpAnswer: 'Call me back',
  answeredAt: new Date('2026-03-06T14:05:00Z'),
  contact: { id: '501', name: 'Ada Lovelace', email: 'ada@example.com' },
  source: { type: 'deal', id: '7001' },
  taskId: '9000',
  ...over,
});

describe('alert email', () => {
  it('carries the score, comment, follow-up answer, deal and links to the contact and the task', () => {
    const mail = alertEmail([answer()], null);
    expect(mail.subject).toBe('NPS detractor: Ada Lovelace scored 3');
    expect(mail.text).toContain('Score: 3 (detractor)');
    expect(mail.text).toContain('Comment: Support <never> called back & we lost a week');
    expect(mail.text).toContain('Follow-up answer: Call me back');
    expect(mail.text).toContain('Survey sent after: Deal 7001 <https://app.hubspot.com/contacts/1001/record/0-3/7001>');
    expect(mail.text).toContain('https://app.hubspot.com/contacts/1001/record/0-1/501');
    expect(mail.text).toContain('https://app.hubspot.com/tasks/1001/view/all/task/9000');
    expect(mail.html).toContain('Support &lt;never&gt; called back &amp; we lost a week');
    expect(mail.html).not.toContain('<never>');
  });

  it('names a ticket, and points to the contact while the task does not exist yet', () => {
    const mail = alertEmail([answer({ source: { type: 'ticket', id: '42' }, taskId: null, comment: null })], null);
    expect(mail.text).toContain('Survey sent after: Ticket 42 <https://app.hubspot.com/contacts/1001/record/0-5/42>');
    expect(mail.text).toContain('Follow-up task: Not created yet');
    expect(mail.text).not.toContain('Comment:');
  });

  it('lists a day of answers in a digest', () => {
    const mail = alertEmail(
      [answer(), answer({ score: 1, contact: { id: '502', name: null, email: 'b@example.com' } })],
      '2026-03-06',
    );
    expect(mail.subject).toBe('NPS alerts for 2026-03-06: 2 answers');
    expect(mail.text).toContain('Contact: b@example.com');
  });
});

describe('Slack message', () => {
  it('has a header and a mrkdwn section with escaped text and links', () => {
    const msg = slackMessage([answer()], null) as { text: string; blocks: any[] };
    expect(msg.text).toBe('NPS detractor: Ada Lovelace scored 3');
    expect(msg.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: msg.text } });
    const section = msg.blocks[1].text.text as string;
    expect(msg.blocks[1].text.type).toBe('mrkdwn');
    expect(section).toContain('*Comment:* Support &lt;never&gt; called back &amp; we lost a week');
    expect(section).toContain('*Contact:* <https://app.hubspot.com/contacts/1001/record/0-1/501|Ada Lovelace>');
    expect(section).toContain('*Follow-up answer:* Call me back');
  });

  it('cuts a digest at 20 answers and counts the rest', () => {
    const many = Array.from({ length: 23 }, (_, i) =>
      answer({ contact: { id: String(600 + i), name: null, email: null } }),
    );
    const msg = slackMessage(many, '2026-03-06') as { blocks: any[] };
    expect(msg.blocks.filter((b) => b.type === 'section')).toHaveLength(20);
    expect(msg.blocks.at(-1)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'and 3 more' }] });
  });

  it('keeps a very long comment within Slack’s section limit', () => {
    const msg = slackMessage([answer({ comment: 'x'.repeat(5000) })], null) as { blocks: any[] };
    expect((msg.blocks[1].text.text as string).length).toBeLessThanOrEqual(3000);
  });
});

describe('Teams message', () => {
  const card = (msg: any) => msg.attachments[0].content;
  const texts = (c: any) =>
    c.body.flatMap((b: any) => (b.type === 'Container' ? b.items : [b])).filter((b: any) => b.type === 'RichTextBlock');
  const plain = (block: any) => block.inlines.map((i: any) => i.text).join('');

  it('is an Adaptive Card in a message envelope, with plain-text runs and buttons to the records', () => {
    const msg = teamsMessage([answer()], null) as any;
    expect(msg.type).toBe('message');
    expect(msg.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    const c = card(msg);
    expect(c.type).toBe('AdaptiveCard');
    expect(c.version).toBe('1.4');
    const lines = texts(c).map(plain);
    expect(lines[0]).toBe('NPS detractor: Ada Lovelace scored 3');
    expect(lines).toContain('Ada Lovelace: 3 (detractor)');
    expect(lines).toContain('Comment: Support <never> called back & we lost a week');
    expect(lines).toContain('Follow-up answer: Call me back');
    const container = c.body[1];
    expect(container.items.at(-1).actions).toEqual([
      {
        type: 'Action.OpenUrl',
        title: 'Contact: Ada Lovelace',
        url: 'https://app.hubspot.com/contacts/1001/record/0-1/501',
      },
      {
        type: 'Action.OpenUrl',
        title: 'Survey sent after: Deal 7001',
        url: 'https://app.hubspot.com/contacts/1001/record/0-3/7001',
      },
      {
        type: 'Action.OpenUrl',
        title: 'Follow-up task: Open the task in HubSpot',
        url: 'https://app.hubspot.com/tasks/1001/view/all/task/9000',
      },
    ]);
  });

  it('never lets a comment become markdown: user text only ever sits in TextRuns', () => {
    const c = card(teamsMessage([answer({ comment: '[click](https://evil.example) **now**' })], null));
    const comment = texts(c).find((b: any) => plain(b).startsWith('Comment: '));
    expect(comment.inlines.every((i: any) => i.type === 'TextRun')).toBe(true);
    expect(plain(comment)).toBe('Comment: [click](https://evil.example) **now**');
    expect(JSON.stringify(c)).not.toContain('"type":"TextBlock"');
  });

  it('lists a digest as one container per answer', () => {
    const c = card(teamsMessage([answer(), answer({ score: 8, category: 'passive' })], '2026-03-06'));
    expect(c.body.filter((b: any) => b.type === 'Container')).toHaveLength(2);
    expect(plain(c.body[0])).toBe('NPS alerts for 2026-03-06: 2 answers');
  });
});
