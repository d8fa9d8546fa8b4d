import { escapeHtml as e } from '../shared';
import type { RenderedEmail, SurveyLanguage } from '../surveys';
import { enpsTranslator } from './enps.i18n';

// The eNPS email (pure). One link, carrying the one-time token; nothing in it names the wave's other people.

export interface EnpsEmailInput {
  kind: 'invite' | 'remind';
  lang: SurveyLanguage;
  company: string;
  from: { name: string; address: string };
  to: { email: string; firstName: string | null };
  question: string;
  link: string;
  closesOn: string;
  /** Makes the Message-ID: the same mail sent twice keeps it (the token part differs per mail). */
  messageKey: string;
}

export function renderEnpsEmail(input: EnpsEmailInput): RenderedEmail {
  const t = enpsTranslator(input.lang);
  const company = input.company;
  const greeting = input.to.firstName ? t('greeting', { name: input.to.firstName }) : t('greetingNoName');
  const intro = input.kind === 'remind' ? t('reminderIntro', { date: input.closesOn }) : t('intro', { company });
  const subject = t(input.kind === 'remind' ? 'reminderSubject' : 'subject', { company });
  const anonymity = t('anonymousShort');
  const domain = input.from.address.split('@')[1] ?? 'localhost';
  const text = [
    greeting,
    '',
    intro,
    '',
    input.question,
    '',
    t('link', { url: input.link }),
    '',
    t('closes', { date: input.closesOn }),
    anonymity,
    '',
  ].join('\n');
  const html = `<!doctype html>
<html lang="${input.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${e(subject)}</title></head>
<body style="margin:0;padding:24px 8px;background:#f4f5f7;color:#1d2330;font:16px/1.5 Arial,sans-serif">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px"><tr><td style="padding:24px">
<p style="margin:0 0 12px">${e(greeting)}</p>
<p style="margin:0 0 16px">${e(intro)}</p>
<h1 style="margin:0 0 16px;font-size:20px;line-height:1.3">${e(input.question)}</h1>
<p style="margin:0 0 16px"><a href="${e(input.link)}" style="display:inline-block;padding:12px 20px;background:#1f5fbf;color:#ffffff;font-weight:bold;text-decoration:none;border-radius:4px">${e(t('submit'))}</a></p>
<p style="margin:0 0 8px;font-size:14px;color:#4a5160">${e(t('closes', { date: input.closesOn }))}</p>
<p style="margin:0;font-size:14px;color:#4a5160">${e(anonymity)}</p>
</td></tr></table>
</body></html>
`;
  return {
    from: { name: oneLine(input.from.name), address: input.from.address },
    to: input.to.email,
    subject: oneLine(subject),
    html,
    text,
    messageId: `<enps.${input.messageKey}@${domain}>`,
    headers: { 'Auto-Submitted': 'auto-generated' },
  };
}

function oneLine(value: string): string {
  return value.replace(/[\r\n\t]+/g, ' ').trim();
}
