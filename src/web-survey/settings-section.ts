import type { SettingsSection } from '../core';
import { SECRET_PAGE } from './secret.routes';

// The web survey's sections of the settings workspace: where the widget may run and how it behaves (fields of
// settings.webSurvey), and a link to the identity secret's own page (a secret is never part of the settings JSON).

export const webSurveySettingsSections: SettingsSection[] = [
  {
    id: 'web-survey',
    title: 'Web survey (in-app widget)',
    description:
      'A small script your web app embeds shows the survey to signed-in customers who are due, inside your app.',
    order: 70,
    fields: [
      { path: ['webSurvey', 'enabled'], label: 'Show the web survey', kind: 'checkbox' },
      {
        path: ['webSurvey', 'allowedOrigins'],
        label: 'Web app origins allowed to show it',
        kind: 'textarea',
        help: 'One per line, e.g. https://app.example.com (scheme and host, no path). Requests from anywhere else are refused.',
      },
      {
        path: ['webSurvey', 'askOnVisit'],
        label: 'Ask any signed-in customer whose quiet period has passed',
        kind: 'checkbox',
        help: 'Off: only surveys that a trigger rule or the relationship cadence sends through the web channel.',
      },
      {
        path: ['webSurvey', 'snoozeDays'],
        label: 'Days a dismissed survey stays away',
        kind: 'number',
        min: 1,
        max: 365,
        step: 1,
        help: 'Dismissing does not restart the quiet period.',
      },
    ],
    async validate(_ctx, candidate) {
      const w = candidate.webSurvey;
      if (w.enabled && w.allowedOrigins.length === 0)
        return [{ path: ['webSurvey', 'allowedOrigins'], message: 'list at least one origin to show the web survey' }];
      return [];
    },
  },
  {
    id: 'web-survey-secret',
    title: 'Web survey identity secret',
    description: 'The secret your backend signs user identities with. Shown once when generated; rotate it here.',
    order: 71,
    href: SECRET_PAGE,
  },
];
