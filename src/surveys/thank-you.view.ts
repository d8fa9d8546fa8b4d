import type { Category } from '../core';
import { escapeHtml as e } from '../shared';
import type { Translate } from './i18n';

// What the thank-you page adds for the answer's category (pure): what happens next, and for promoters the review
// ask (tracked links) and the optional referral question.

export interface ThankYouExtras {
  t: Translate;
  brand: string;
  category: Category | null;
  /** Tracked review links, in the configured order (promoters only). */
  reviewLinks: Array<{ name: string; href: string }>;
  /** The referral question, when on and the answer is a promoter's: where it posts and what was given. */
  referral?: { action: string; value: string; saved: boolean; problem?: string };
}

/** The "what happens next" sentence for a category, in the page's language. */
export function nextStepText(t: Translate, category: Category, brand: string): string {
  return t(`thanks.next.${category}`, { brand });
}

export function thankYouExtras(x: ThankYouExtras): string {
  if (!x.category) return '';
  const parts = [
    `<p class="next-step" data-category="${e(x.category)}">${e(nextStepText(x.t, x.category, x.brand))}</p>`,
  ];
  if (x.category === 'promoter' && x.reviewLinks.length > 0)
    parts.push(`<section class="review-ask" aria-labelledby="review-ask-heading">
<h2 id="review-ask-heading">${e(x.t('thanks.review.heading'))}</h2>
<p>${e(x.t('thanks.review.body', { brand: x.brand }))}</p>
<ul class="review-links">${x.reviewLinks
      .map(
        (l) => `<li><a class="button" href="${e(l.href)}">${e(x.t('thanks.review.button', { site: l.name }))}</a></li>`,
      )
      .join('')}</ul>
</section>`);
  if (x.category === 'promoter' && x.referral) parts.push(referralForm(x.t, x.brand, x.referral));
  return parts.join('\n');
}

function referralForm(t: Translate, brand: string, r: NonNullable<ThankYouExtras['referral']>): string {
  const problem = r.problem ? `<p class="error" id="referral-error" role="alert">${e(r.problem)}</p>` : '';
  return `<form method="post" action="${e(r.action)}" class="referral">
<label for="referral">${e(t('thanks.referral.question'))}</label>
<p class="hint" id="referral-hint">${e(t('thanks.referral.help', { brand }))}</p>
${problem}<textarea id="referral" name="referral" rows="3" maxlength="1000" aria-describedby="referral-hint${r.problem ? ' referral-error' : ''}">${e(r.value)}</textarea>
<button type="submit">${e(t('thanks.referral.submit'))}</button>
${r.saved ? `<p class="notice" role="status">${e(t('thanks.referral.saved'))}</p>` : ''}
</form>`;
}
