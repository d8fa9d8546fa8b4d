import type { SettingsField, SettingsSection } from '../core';
import { MAX_REVIEW_SITES } from './review-sites';

// The "Thank-you page" section of the settings workspace: the review sites promoters are asked to review on, the
// thank-you email and the referral question.

function siteFields(): SettingsField[] {
  return Array.from({ length: MAX_REVIEW_SITES }, (_, i): SettingsField[] => [
    {
      path: ['thankYou', 'reviewSites', i, 'name'],
      label: `Review site ${i + 1}: name`,
      kind: 'text',
      optional: true,
      help: 'Shown on the button, e.g. "G2", "Capterra", "Trustpilot" or "Google".',
    },
    {
      path: ['thankYou', 'reviewSites', i, 'url'],
      label: `Review site ${i + 1}: address`,
      kind: 'url',
      optional: true,
      help: 'Your review page on that site; https:// only.',
    },
  ]).flat();
}

export const thankYouSettingsSection: SettingsSection = {
  id: 'thank-you',
  title: 'Thank-you page',
  description:
    'After answering, every respondent reads what happens next for their score. Promoters are asked for a review on up to three sites (each link is counted) and, if you like, who else should know about you.',
  order: 40,
  fields: [
    ...siteFields(),
    {
      path: ['thankYou', 'email'],
      label: 'Send a thank-you email',
      kind: 'checkbox',
      help: 'An email after each answer, in the respondent’s language, with the same next step and review links.',
    },
    {
      path: ['thankYou', 'referralQuestion'],
      label: 'Ask promoters “Who else should know about us?”',
      kind: 'checkbox',
    },
  ],
};
