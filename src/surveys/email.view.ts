import { escapeHtml } from '../shared';
import { accessibleAccent } from './colors';
import { formatDate, translator, type SurveyLanguage } from './i18n';

// Renders the survey email (pure: no I/O). Both parts carry the whole survey: the HTML part shows the 0–10 scale
// as eleven buttons, each linking to the survey page with that score preselected; the text part lists the same
// eleven links. Every user-provided value (brand, name, custom question) is escaped in the HTML part.

export type MailKind = 'invitation' | 'reminder';

export interface EmailAddress {
  name: string;
  address: string;
}

export interface SurveyEmailInput {
  kind: MailKind;
  lang: SurveyLanguage;
  brand: { name: string; color: string; senderName?: string; senderEmail?: string; logoUrl?: string };
  /** MAIL_FROM, e.g. "NPS Loop <nps@example.com>": the sender address when the brand sets none. */
  mailFrom: string;
  to: { email: string; firstname?: string | null };
  /** The rule's own question; the catalogue's default question when absent. */
  question?: string | null;
  /** Worded texts (resolveWording); the catalogue's when absent. Reminders keep the catalogue's subject and intro. */
  subject?: string;
  intro?: string;
  /** A line shown above everything (a test survey says so); prefixes the subject in square brackets. */
  notice?: { subjectPrefix: string; text: string };
  invitationId: string;
  /** Eleven survey page links, index = preselected score. */
  scoreLinks: string[];
  unsubscribeLink: string;
  expiresAt: Date;
}

export interface RenderedEmail {
  from: EmailAddress;
  to: string;
  subject: string;
  html: string;
  text: string;
  messageId: string;
  headers: Record<string, string>;
}

/** Mail number within an invitation: the same invitation or reminder always gets the same Message-ID. */
const MAIL_NUMBER: Record<MailKind, number> = { invitation: 1, reminder: 2 };

export function renderSurveyEmail(input: SurveyEmailInput): RenderedEmail {
  if (input.scoreLinks.length !== 11) throw new RangeError(`expected 11 score links, got ${input.scoreLinks.length}`);
  const t = translator(input.lang);
  const brand = input.brand.name;
  const from = senderOf(input);
  const question = input.question?.trim() || t('survey.question', { brand });
  const greeting = input.to.firstname?.trim()
    ? t('email.greeting', { name: input.to.firstname.trim() })
    : t('email.greetingNoName');
  const intro = input.kind === 'reminder' ? t('email.reminderIntro') : input.intro || t('email.intro', { brand });
  const expiry = t('email.expiry', { date: formatDate(input.lang, input.expiresAt) });
  const worded =
    input.kind === 'reminder' ? t('email.reminderSubject', { brand }) : input.subject || t('email.subject', { brand });
  const subject = input.notice ? `[${input.notice.subjectPrefix}] ${worded}` : worded;
  const domain = from.address.split('@')[1] ?? 'localhost';
  const parts = { greeting, intro, question, expiry, low: t('survey.scaleLow'), high: t('survey.scaleHigh') };

  return {
    from,
    to: input.to.email,
    subject: oneLine(subject),
    messageId: `<${input.invitationId}.${MAIL_NUMBER[input.kind]}@${domain}>`,
    headers: {
      // RFC 2369 + RFC 8058: mail clients show an "unsubscribe" button that POSTs to this URL without a page.
      'List-Unsubscribe': `<${input.unsubscribeLink}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'Auto-Submitted': 'auto-generated',
    },
    html: renderHtml(input, t, parts),
    text: renderText(input, t, parts),
  };
}

interface Parts {
  greeting: string;
  intro: string;
  question: string;
  expiry: string;
  low: string;
  high: string;
}

function renderText(input: SurveyEmailInput, t: ReturnType<typeof translator>, p: Parts): string {
  const links = input.scoreLinks.map((url, score) => {
    const label = score === 0 ? ` (${p.low})` : score === 10 ? ` (${p.high})` : '';
    return `${String(score).padStart(2, ' ')}${label}: ${url}`;
  });
  return [
    ...(input.notice ? [`*** ${input.notice.text} ***`, ''] : []),
    p.greeting,
    '',
    p.intro,
    '',
    p.question,
    '',
    t('email.instruction'),
    '',
    ...links,
    '',
    p.expiry,
    '',
    t('email.signoff'),
    senderOf(input).name,
    '',
    '--',
    t('email.footer', { brand: input.brand.name }),
    `${t('email.unsubscribe')}: ${input.unsubscribeLink}`,
    '',
  ].join('\n');
}

function renderHtml(input: SurveyEmailInput, t: ReturnType<typeof translator>, p: Parts): string {
  const accent = accessibleAccent(input.brand.color);
  const e = escapeHtml;
  const buttons = input.scoreLinks
    .map(
      (url, score) =>
        `<td style="padding:2px" align="center"><a href="${e(url)}" style="display:block;min-width:28px;padding:10px 0;` +
        `background:${accent};color:#ffffff;font:bold 16px Arial,sans-serif;text-decoration:none;border-radius:4px"">${score}</a></td>`,
    )
    .join('');
  const logo = input.brand.logoUrl?.startsWith('https://')
    ? `<img src="${e(input.brand.logoUrl)}" alt="${e(input.brand.name)}" style="max-height:48px;max-width:200px;border:0">`
    : `<strong style="font-size:18px;color:${accent}">${e(input.brand.name)}</strong>`;
  return `<!doctype html>
<html lang="${input.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${e(p.question)}</title></head>
<body style="margin:0;padding:0;background:#f4f5f7;color:#1d2330;font:16px/1.5 Arial,sans-serif">
<span style="display:none;max-height:0;overflow:hidden">${e(t('email.preheader'))}</span>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f5f7"><tr><td align="center" style="padding:24px 8px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border-radius:8px">
${input.notice ? `<tr><td style="padding:12px 24px;background:#fff4ce;color:#1d2330;font-weight:bold;border-radius:8px 8px 0 0">${e(input.notice.text)}</td></tr>\n` : ''}<tr><td style="padding:24px 24px 8px">${logo}</td></tr>
<tr><td style="padding:8px 24px">
<p style="margin:0 0 12px">${e(p.greeting)}</p>
<p style="margin:0 0 16px">${e(p.intro)}</p>
<h1 style="margin:0 0 16px;font-size:20px;line-height:1.3">${e(p.question)}</h1>
<p style="margin:0 0 8px;font-size:14px">${e(t('email.instruction'))}</p>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr>${buttons}</tr></table>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="font-size:13px;color:#4a5160"><tr>
<td align="left" style="padding-top:4px">0 = ${e(p.low)}</td><td align="right" style="padding-top:4px">10 = ${e(p.high)}</td></tr></table>
<p style="margin:16px 0 0;font-size:14px;color:#4a5160">${e(p.expiry)}</p>
<p style="margin:16px 0 0">${e(t('email.signoff'))}<br>${e(senderOf(input).name)}</p>
</td></tr>
<tr><td style="padding:16px 24px 24px;font-size:12px;color:#4a5160;border-top:1px solid #e3e6ea">
${e(t('email.footer', { brand: input.brand.name }))}<br>
<a href="${e(input.unsubscribeLink)}" style="color:#4a5160">${e(t('email.unsubscribe'))}</a>
</td></tr></table>
</td></tr></table>
</body></html>
`;
}

/** From: the brand's sender name (else the brand name) and sender address (else MAIL_FROM's address). */
export function senderOf(input: Pick<SurveyEmailInput, 'brand' | 'mailFrom'>): EmailAddress {
  return {
    name: oneLine(input.brand.senderName ?? input.brand.name),
    address: input.brand.senderEmail ?? parseAddress(input.mailFrom).address,
  };
}

/** Parses "Name <addr@host>" or "addr@host". */
function parseAddress(value: string): EmailAddress {
  const m = /^\s*"?([^"<]*?)"?\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(value);
  if (m) return { name: m[1]!.trim(), address: m[2]! };
  return { name: '', address: value.trim() };
}

/** Header values must not carry line breaks (a brand name with a newline must not inject a header). */
export function oneLine(value: string): string {
  return value.replace(/[\r\n\t]+/g, ' ').trim();
}
