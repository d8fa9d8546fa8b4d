import type { SettingsSection } from '../../core';
import { buttonContrastProblem } from '../contrast';

/** Brand: the name, colour, sender and logo respondents see on survey mail and pages. */
export const brandSection: SettingsSection = {
  id: 'brand',
  title: 'Brand',
  description: 'The name, colour, sender and logo respondents see in survey emails and on the survey page.',
  order: 10,
  fields: [
    { path: ['brand', 'name'], label: 'Company name', kind: 'text', help: 'Shown in emails and on the survey page.' },
    {
      path: ['brand', 'color'],
      label: 'Brand colour',
      kind: 'color',
      help: 'Buttons use it with white text, so it must be dark enough: a contrast of at least 4.5:1.',
    },
    { path: ['brand', 'senderName'], label: 'Sender name', kind: 'text', optional: true },
    { path: ['brand', 'senderEmail'], label: 'Sender email', kind: 'email', optional: true },
    {
      path: ['brand', 'logoUrl'],
      label: 'Logo URL',
      kind: 'url',
      optional: true,
      help: 'An https:// address of your logo image.',
    },
  ],
  // Only a changed colour is checked, so a colour saved before this check existed does not block other saves.
  async validate(ctx, candidate) {
    if (candidate.brand.color.toLowerCase() === ctx.settings.brand.color.toLowerCase()) return [];
    const problem = buttonContrastProblem(candidate.brand.color);
    return problem ? [{ path: ['brand', 'color'], message: problem }] : [];
  },
};
