import type { Category } from '../core';
import { escapeHtml } from '../shared';

// What an alert says, for each destination: an email to the owner, a Slack message (blocks) and a Microsoft
// Teams Adaptive Card. One answer or a day's digest of several. Pure.

export interface AlertAnswer {
  responseId: string;
  portalId: number;
  score: number;
  category: Category;
  comment: string | null;
  followUpAnswer: string | null;
  answeredAt: Date;
  contact: { id: string; name: string | null; email: string | null };
  /** The deal or ticket whose stage change triggered the survey. */
  source: { type: 'deal' | 'ticket'; id: string } | null;
  /** The follow-up task in HubSpot, once it exists. */
  taskId: string | null;
}

export interface AlertText {
  subject: string;
  text: string;
  html: string;
}

const HUBSPOT_APP = 'https://app.hubspot.com';
const TYPE_IDS = { contact: '0-1', deal: '0-3', ticket: '0-5' } as const;
/** Comments are cut in chat messages (Slack refuses a section over 3000 characters). */
const CHAT_TEXT_MAX = 1000;
/** Answers listed in one digest message; the rest are counted. */
const DIGEST_MAX_ANSWERS = 20;

function recordLink(portalId: number, type: keyof typeof TYPE_IDS, id: string): string {
  return `${HUBSPOT_APP}/contacts/${portalId}/record/${TYPE_IDS[type]}/${id}`;
}

function taskLink(portalId: number, taskId: string): string {
  return `${HUBSPOT_APP}/tasks/${portalId}/view/all/task/${taskId}`;
}

/** Who answered, on one line (it is part of the email subject). */
const who = (a: AlertAnswer) =>
  (a.contact.name || a.contact.email || `contact ${a.contact.id}`).replace(/[\r\n\t]+/g, ' ');
const sourceText = (a: AlertAnswer) =>
  a.source ? `${a.source.type === 'deal' ? 'Deal' : 'Ticket'} ${a.source.id}` : null;
const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

interface Line {
  label: string;
  value: string;
  href?: string;
}

function linesOf(a: AlertAnswer): Line[] {
  const lines: Line[] = [
    { label: 'Score', value: `${a.score} (${a.category})` },
    { label: 'Contact', value: who(a), href: recordLink(a.portalId, 'contact', a.contact.id) },
  ];
  if (a.comment) lines.push({ label: 'Comment', value: a.comment });
  if (a.followUpAnswer) lines.push({ label: 'Follow-up answer', value: a.followUpAnswer });
  if (a.source)
    lines.push({
      label: 'Survey sent after',
      value: sourceText(a)!,
      href: recordLink(a.portalId, a.source.type, a.source.id),
    });
  lines.push(
    a.taskId
      ? { label: 'Follow-up task', value: 'Open the task in HubSpot', href: taskLink(a.portalId, a.taskId) }
      : {
          label: 'Follow-up task',
          value: 'Not created yet: see the contact’s tasks',
          href: recordLink(a.portalId, 'contact', a.contact.id),
        },
  );
  lines.push({ label: 'Answered', value: a.answeredAt.toISOString().replace('T', ' ').slice(0, 16) + ' UTC' });
  return lines;
}

function titleOf(answers: AlertAnswer[], day: string | null): string {
  if (day) return `NPS alerts for ${day}: ${answers.length} answer${answers.length === 1 ? '' : 's'}`;
  const a = answers[0]!;
  return `NPS ${a.category === 'detractor' ? 'detractor' : 'answer'}: ${who(a)} scored ${a.score}`;
}

/** The owner's email: one answer (day null) or a day's digest. */
export function alertEmail(answers: AlertAnswer[], day: string | null): AlertText {
  const subject = titleOf(answers, day);
  const text = [
    subject,
    '',
    ...answers.flatMap((a) => [...linesOf(a).map((l) => `${l.label}: ${l.value}${l.href ? ` <${l.href}>` : ''}`), '']),
  ].join('\n');
  const html = `<!doctype html><html><body>
<h1>${escapeHtml(subject)}</h1>
${answers
  .map(
    (a) =>
      `<table>${linesOf(a)
        .map(
          (l) =>
            `<tr><th align="left">${escapeHtml(l.label)}</th><td>${
              l.href ? `<a href="${escapeHtml(l.href)}">${escapeHtml(l.value)}</a>` : escapeHtml(l.value)
            }</td></tr>`,
        )
        .join('')}</table><hr>`,
  )
  .join('\n')}
</body></html>`;
  return { subject: cut(subject, 200), text, html };
}

/** Slack mrkdwn treats &, < and > as markup. */
const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function slackLine(l: Line): string {
  const value = slackEscape(cut(l.value, CHAT_TEXT_MAX));
  return l.href ? `*${l.label}:* <${l.href}|${value}>` : `*${l.label}:* ${value}`;
}

/** A Slack incoming-webhook message with blocks (and `text`, the notification fallback). */
export function slackMessage(answers: AlertAnswer[], day: string | null): Record<string, unknown> {
  const title = titleOf(answers, day);
  const shown = answers.slice(0, DIGEST_MAX_ANSWERS);
  const blocks: Array<Record<string, unknown>> = [
    { type: 'header', text: { type: 'plain_text', text: cut(title, 150) } },
  ];
  for (const a of shown) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: cut(linesOf(a).map(slackLine).join('\n'), 3000) } });
    blocks.push({ type: 'divider' });
  }
  if (answers.length > shown.length)
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `and ${answers.length - shown.length} more` }] });
  return { text: title, blocks };
}

/** Plain text in an Adaptive Card: a TextRun is never read as markdown, so a comment cannot make links. */
const run = (text: string, style: Record<string, unknown> = {}) => ({ type: 'TextRun', text, ...style });
const richText = (...inlines: Array<Record<string, unknown>>) => ({ type: 'RichTextBlock', inlines });

function teamsAnswer(a: AlertAnswer): Record<string, unknown> {
  const lines = linesOf(a);
  return {
    type: 'Container',
    separator: true,
    items: [
      richText(
        run(`${who(a)}: ${a.score} (${a.category})`, {
          weight: 'Bolder',
          color: a.category === 'detractor' ? 'Attention' : 'Warning',
        }),
      ),
      ...lines
        .filter((l) => !l.href)
        .map((l) => richText(run(`${l.label}: `, { weight: 'Bolder' }), run(cut(l.value, CHAT_TEXT_MAX)))),
      {
        type: 'ActionSet',
        actions: lines
          .filter((l) => l.href)
          .map((l) => ({ type: 'Action.OpenUrl', title: cut(`${l.label}: ${l.value}`, 80), url: l.href })),
      },
    ],
  };
}

/** A Microsoft Teams webhook message (Workflows and incoming webhooks): an Adaptive Card in a message envelope. */
export function teamsMessage(answers: AlertAnswer[], day: string | null): Record<string, unknown> {
  const shown = answers.slice(0, DIGEST_MAX_ANSWERS);
  const body: Array<Record<string, unknown>> = [
    richText(run(titleOf(answers, day), { weight: 'Bolder', size: 'Medium' })),
    ...shown.map(teamsAnswer),
  ];
  if (answers.length > shown.length) body.push(richText(run(`and ${answers.length - shown.length} more`)));
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          msteams: { width: 'Full' },
          body,
        },
      },
    ],
  };
}
