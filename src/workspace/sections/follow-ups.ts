import type { SettingsField, SettingsFieldOption, SettingsSection } from '../../core';
import { ownerChoices } from '../hubspot-catalog';

// Follow-up tasks: which answers open a HubSpot task, with what priority, type and due date, and for whom.

const CATEGORIES = [
  ['detractor', 'Detractors (0–6)'],
  ['passive', 'Passives (7–8)'],
  ['promoter', 'Promoters (9–10)'],
] as const;

const PRIORITIES: SettingsFieldOption[] = [
  { value: 'HIGH', label: 'High' },
  { value: 'MEDIUM', label: 'Medium' },
  { value: 'LOW', label: 'Low' },
];
const TASK_TYPES: SettingsFieldOption[] = [
  { value: 'CALL', label: 'Call' },
  { value: 'TODO', label: 'To-do' },
  { value: 'EMAIL', label: 'Email' },
];

function categoryFields(category: string, title: string): SettingsField[] {
  const path = (key: string) => ['followUps', category, key];
  return [
    { path: path('enabled'), label: `${title}: open a follow-up task`, kind: 'checkbox' },
    { path: path('priority'), label: `${title}: priority`, kind: 'select', options: PRIORITIES },
    { path: path('taskType'), label: `${title}: task type`, kind: 'select', options: TASK_TYPES },
    { path: path('dueBusinessDays'), label: `${title}: due in (business days)`, kind: 'number', min: 0, max: 60 },
  ];
}

export const followUpsSection: SettingsSection = {
  id: 'follow-ups',
  title: 'Follow-up tasks',
  description: 'Which answers open a HubSpot task, its priority, type and due date, who gets it, and the review link.',
  order: 40,
  async fields(ctx) {
    const owners = await ownerChoices(ctx.deps, ctx.portalId);
    const current = ctx.settings.followUps.defaultOwnerId;
    const ownerField: SettingsField = owners
      ? {
          path: ['followUps', 'defaultOwnerId'],
          label: 'Default task owner',
          kind: 'select',
          optional: true,
          help: 'Gets the task when the contact has no owner.',
          options: [
            { value: '', label: 'Nobody (tasks stay unassigned)' },
            ...owners.map((o) => ({ value: o.id, label: o.label })),
            ...(current && !owners.some((o) => o.id === current)
              ? [{ value: current, label: `Owner ${current} (no longer in HubSpot)` }]
              : []),
          ],
        }
      : {
          path: ['followUps', 'defaultOwnerId'],
          label: 'Default task owner (HubSpot owner id)',
          kind: 'text',
          optional: true,
          help: 'HubSpot could not be reached to list the owners, so enter the owner’s id (digits) or try again later.',
        };
    return [
      ...CATEGORIES.flatMap(([category, title]) => categoryFields(category, title)),
      ownerField,
      {
        path: ['followUps', 'reviewUrl'],
        label: 'Review URL',
        kind: 'url',
        optional: true,
        help: 'Promoters are asked to leave a review here.',
      },
    ];
  },
};
