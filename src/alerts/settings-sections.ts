import type { SettingsSection } from '../core';

// The alerts sections of the settings workspace: which answers alert and how (fields of settings.alerts), and a
// link to the webhook page (the address is a secret kept in its own table, not in the settings JSON).

const delivery = [
  { value: 'immediate', label: 'One message per answer' },
  { value: 'digest', label: 'A daily digest' },
];

export const alertSettingsSections: SettingsSection[] = [
  {
    id: 'alerts',
    title: 'Detractor alerts',
    description:
      'Tell the contact owner (or the default follow-up owner) and a Slack or Teams channel as soon as a customer answers badly.',
    order: 60,
    fields: [
      { path: ['alerts', 'enabled'], label: 'Send alerts', kind: 'checkbox' },
      { path: ['alerts', 'categories', 'detractor'], label: 'Alert on detractors (0–6)', kind: 'checkbox' },
      { path: ['alerts', 'categories', 'passive'], label: 'Alert on passives (7–8)', kind: 'checkbox' },
      { path: ['alerts', 'categories', 'promoter'], label: 'Alert on promoters (9–10)', kind: 'checkbox' },
      {
        path: ['alerts', 'scoreAtMost'],
        label: 'Also alert on any score at or below',
        kind: 'number',
        min: 0,
        max: 10,
        step: 1,
        optional: true,
        help: 'Leave empty to alert by category only.',
      },
      { path: ['alerts', 'ownerEmail'], label: 'Email the contact owner', kind: 'checkbox' },
      { path: ['alerts', 'ownerEmailDelivery'], label: 'Owner email', kind: 'select', options: delivery },
      { path: ['alerts', 'webhookDelivery'], label: 'Slack or Teams', kind: 'select', options: delivery },
    ],
    async validate(_ctx, candidate) {
      const a = candidate.alerts;
      const anyCategory = a.categories.detractor || a.categories.passive || a.categories.promoter;
      if (a.enabled && !anyCategory && a.scoreAtMost === undefined)
        return [
          { path: ['alerts', 'categories', 'detractor'], message: 'choose at least one category or a score threshold' },
        ];
      return [];
    },
  },
  {
    id: 'alerts-webhook',
    title: 'Alert webhook (Slack or Teams)',
    description: 'The incoming webhook alerts are posted to. Stored encrypted; only its host is shown.',
    order: 61,
    href: '/dashboard/settings/alerts/webhook',
  },
];
