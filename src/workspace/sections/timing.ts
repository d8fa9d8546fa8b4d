import type { SettingsSection } from '../../core';
import { CHANNEL_OPTIONS } from './channels';

/** Surveys & timing: how often a person may be asked, how long links live, reminders and answer expiry. */
export const timingSection: SettingsSection = {
  id: 'surveys',
  title: 'Surveys & timing',
  description: 'How often one person may be asked, how long survey links work, reminders, and when answers expire.',
  order: 20,
  fields: [
    {
      path: ['quietPeriodDays'],
      label: 'Quiet period (days)',
      kind: 'number',
      min: 0,
      max: 730,
      help: 'After a survey, the same person is not asked again for this many days.',
    },
    {
      path: ['linkExpiryDays'],
      label: 'Survey links expire after (days)',
      kind: 'number',
      min: 1,
      max: 365,
    },
    { path: ['remindersEnabled'], label: 'Send one reminder to people who have not answered', kind: 'checkbox' },
    { path: ['reminderAfterDays'], label: 'Remind after (days)', kind: 'number', min: 1, max: 60 },
    {
      path: ['answerExpiryMonths'],
      label: 'Answers expire after (months)',
      kind: 'number',
      min: 1,
      max: 60,
      help: 'After this, a contact’s NPS properties in HubSpot are cleared as out of date.',
    },
  ],
};

/** Insights: the dashboard's target line and how many answers make a number worth trusting. */
export const insightsSection: SettingsSection = {
  id: 'insights',
  title: 'Insights',
  description: 'The target NPS on the dashboard and the fewest answers that make a number trustworthy.',
  order: 50,
  fields: [
    { path: ['insights', 'target'], label: 'Target NPS', kind: 'number', min: -100, max: 100 },
    {
      path: ['insights', 'minAnswers'],
      label: 'Minimum answers',
      kind: 'number',
      min: 1,
      max: 1000,
      help: 'Below this, the dashboard warns that a number rests on too few answers.',
    },
  ],
};

/** Relationship surveys: every customer asked on a cadence, not only at a milestone. */
export const relationshipSection: SettingsSection = {
  id: 'relationship',
  title: 'Relationship surveys',
  description: 'Ask every contact in a lifecycle stage on a regular cadence, besides the milestone rules.',
  order: 35,
  fields: [
    { path: ['relationship', 'enabled'], label: 'Send relationship surveys', kind: 'checkbox' },
    { path: ['relationship', 'everyDays'], label: 'Every (days)', kind: 'number', min: 30, max: 730 },
    {
      path: ['relationship', 'lifecycleStage'],
      label: 'Lifecycle stage',
      kind: 'text',
      help: 'The HubSpot lifecycle stage internal name, e.g. customer.',
    },
    { path: ['relationship', 'channel'], label: 'Channel', kind: 'select', options: CHANNEL_OPTIONS },
    {
      path: ['relationship', 'webSnoozeDays'],
      label: 'Snooze after a dismissal (days), in-app only',
      kind: 'number',
      min: 1,
      max: 365,
      step: 1,
      optional: true,
    },
  ],
};
