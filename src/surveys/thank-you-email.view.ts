import type { Category } from '../core';
import { escapeHtml as e } from '../shared';
import { accessibleAccent } from './colors';
import { oneLine, senderOf, type RenderedEmail } from './email.view';
import { translator, type SurveyLanguage } from './i18n';
import { nextStepText } from './thank-you.view';

// The optional thank-you email (pure): sent once after a first answer, in the respondent's language, with what
// happens next for their category and, for promoters, the same tracked review links as the thank-you page.

export interface ThankYouEmailInput {
  lang: SurveyLanguage;
  brand: { name: string; color: string; senderName?: string; senderEmail?: string };
  mailFrom: string;
  to: { email: string; firstname?: string | null };
  invitationId: string;
  score: number;
  category: Category;
  /** Absolute tracked links (/r/:token/:site); promoters only. */
  reviewLinks: Array<{ name: string; url: string }>;
  unsubscribeLink: string;
}

export function renderThankYouEmail(input: ThankYouEmailInput): RenderedEmail {
  const t = translator(input.lang);
  const brand = input.brand.name;
  const from = senderOf(input);
  const greeting = input.to.firstname?.trim()
    ? t('email.greeting', { name: input.to.firstname.trim() })
    : t('email.greetingNoName');
  const intro = t('thanks.email.intro', { score: input.score });
  const next = nextStepText(t, input.category, brand);
  const links = input.category === 'promoter' ? input.reviewLinks : [];
  const domain = from.address.split('@')[1] ?? 'localhost';
  const accent = accessibleAccent(input.brand.color);
  const text = [
    greeting,
    '',
    intro,
    '',
    next,
    ...(links.length
      ? [
          '',
          t('thanks.review.heading'),
          t('thanks.review.body', { brand }),
          ...links.map((l) => `${t('thanks.review.button', { site: l.name })}: ${l.url}`),
        ]
      : []),
    '',
    t('email.signoff'),
    from.name,
    '',
    '--',
    `${t('email.unsubscribe')}: ${input.unsubscribeLink}`,
    '',
  ].join('\n');
  const buttons = links
    .map(
      (l) =>
        `<p style="margin:0 0 8px"><a href="${e(l.url)}" style="display:inline-block;padding:10px 18px;background:${accent};color:#ffffff;font-weight:bold;text-decoration:none;border-radius:4px">${e(t('thanks.review.button', { site: l.name }))}</a></p>`,
    )
    .join('\n');
  const html = `<!doctype html>
<html lang="${input.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${e(t('thanks.heading'))}</title></head>
<body style="margin:0;padding:24px 8px;background:#f4f5f7;color:#1d2330;font:16px/1.5 Arial,sans-serif">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:8px"><tr><td style="padding:24px">
<p style="margin:0 0 12px">${e(greeting)}</p>
<p style="margin:0 0 12px">${e(intro)}</p>
<p style="margin:0 0 16px">${e(next)}</p>
${links.length ? `<h1 style="margin:0 0 8px;font-size:18px">${e(t('thanks.review.heading'))}</h1>\n<p style="margin:0 0 12px">${e(t('thanks.review.body', { brand }))}</p>\n${buttons}` : ''}
<p style="margin:16px 0 0">${e(t('email.signoff'))}<br>${e(from.name)}</p>
<p style="margin:16px 0 0;font-size:12px"><a href="${e(input.unsubscribeLink)}" style="color:#4a5160">${e(t('email.unsubscribe'))}</a></p>
</td></tr></table>
</body></html>
`;
  return {
    from,
    to: input.to.email,
    subject: oneLine(t('thanks.email.subject', { brand })),
    messageId: `<${input.invitationId}.thanks@${domain}>`,
    headers: {
      'List-Unsubscribe': `<${input.unsubscribeLink}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'Auto-Submitted': 'auto-generated',
    },
    html,
    text,
  };
}
