import type { PropertyDefinition, PropertyGroup } from '../hubspot';
import { AT_RISK_DROP, SCORE_TRENDS, type ScoreTrend } from './score-change.rules';

// The HubSpot properties NPS Loop writes (ARCHITECTURE.md §3), and the rule for reusing ones that already exist.

export const NPS_GROUP: PropertyGroup = { name: 'nps', label: 'NPS Loop', displayOrder: -1 };

const number = (name: string, label: string, description: string): PropertyDefinition => ({
  name,
  label,
  description,
  type: 'number',
  fieldType: 'number',
  groupName: NPS_GROUP.name,
});
const datetime = (name: string, label: string, description: string): PropertyDefinition => ({
  name,
  label,
  description,
  type: 'datetime',
  fieldType: 'date',
  groupName: NPS_GROUP.name,
});
const text = (
  name: string,
  label: string,
  description: string,
  fieldType: 'text' | 'textarea',
): PropertyDefinition => ({
  name,
  label,
  description,
  type: 'string',
  fieldType,
  groupName: NPS_GROUP.name,
});
/** A dropdown; options are [label, value] pairs in display order. */
const select = (
  name: string,
  label: string,
  description: string,
  options: Array<[string, string]>,
): PropertyDefinition => ({
  name,
  label,
  description,
  type: 'enumeration',
  fieldType: 'select',
  groupName: NPS_GROUP.name,
  options: options.map(([optionLabel, value], displayOrder) => ({ label: optionLabel, value, displayOrder })),
});

export const CONTACT_PROPERTIES: PropertyDefinition[] = [
  number('nps_score', 'NPS score', 'Latest NPS answer (0–10) that has not expired. Written by NPS Loop.'),
  select(
    'nps_category',
    'NPS category',
    'Promoter (9–10), passive (7–8) or detractor (0–6), from the current NPS score. Written by NPS Loop.',
    [
      ['Promoter', 'promoter'],
      ['Passive', 'passive'],
      ['Detractor', 'detractor'],
    ],
  ),
  datetime('nps_last_response_at', 'NPS last response date', 'When the contact last answered an NPS survey.'),
  text('nps_last_comment', 'NPS last comment', 'The comment given with the latest NPS answer.', 'textarea'),
  number('nps_response_count', 'NPS response count', 'How many NPS answers the contact has given.'),
  datetime('nps_last_survey_sent_at', 'NPS last survey sent', 'When NPS Loop last sent the contact a survey.'),
  select('nps_survey_status', 'NPS survey status', 'State of the latest NPS survey sent to the contact.', [
    ['Pending', 'pending'],
    ['Answered', 'answered'],
    ['Expired', 'expired'],
    ['Skipped', 'skipped'],
    ['None', 'none'],
  ]),
  text(
    'nps_survey_link',
    'NPS survey link',
    'Signed link to the open survey, for HubSpot-sent emails. Empty when no survey is open.',
    'text',
  ),
  datetime(
    'nps_review_link_clicked_at',
    'NPS review link clicked',
    'When the contact last followed a review link from the NPS thank-you page.',
  ),
  text(
    'nps_last_follow_up_answer',
    'NPS last follow-up answer',
    'The answer to the follow-up question of the latest NPS survey, when it asked one.',
    'textarea',
  ),
  number(
    'nps_previous_score',
    'NPS previous score',
    'The NPS answer (0–10) given before the current one: the previous survey, not an earlier version of the same answer.',
  ),
  number(
    'nps_score_change',
    'NPS score change',
    'Current NPS score minus the previous one, in points (negative: dropped). Empty for a first answer.',
  ),
  select(
    'nps_trend',
    'NPS trend',
    'How the current NPS answer compares with the previous one; "First answer" when there is none.',
    trendOptions(),
  ),
];

function trendOptions(): Array<[string, string]> {
  const labels: Record<ScoreTrend, string> = {
    improved: 'Improved',
    declined: 'Declined',
    unchanged: 'Unchanged',
    first: 'First answer',
  };
  return SCORE_TRENDS.map((t) => [labels[t], t]);
}

export const COMPANY_PROPERTIES: PropertyDefinition[] = [
  number(
    'nps_company_score',
    'Company NPS',
    'NPS (−100..100) over the latest unexpired answer of each contact of the company.',
  ),
  number('nps_company_margin', 'Company NPS margin of error', '95% margin of error of the company NPS, in NPS points.'),
  number(
    'nps_company_respondents',
    'Company NPS respondents',
    'Contacts whose current answer counts in the company NPS.',
  ),
  number('nps_company_promoters', 'Company NPS promoters', 'Respondents whose current answer is 9–10.'),
  number('nps_company_passives', 'Company NPS passives', 'Respondents whose current answer is 7–8.'),
  number('nps_company_detractors', 'Company NPS detractors', 'Respondents whose current answer is 0–6.'),
  select(
    'nps_company_trend',
    'Company NPS trend',
    'Improved when more of the company’s respondents raised their score than lowered it since their previous answer; declined for the reverse.',
    trendOptions(),
  ),
  number(
    'nps_company_at_risk_contacts',
    'Company NPS at-risk contacts',
    `Contacts whose current answer fell to detractor or dropped ${AT_RISK_DROP} points or more since their previous one.`,
  ),
];

/**
 * Why an existing property cannot take our values, or null when it can be reused. Labels, descriptions, groups
 * and field types (text vs textarea, select vs radio) are the admin's business; type and options are not.
 */
export function incompatibility(
  wanted: PropertyDefinition,
  existing: Pick<PropertyDefinition, 'type' | 'options'>,
): string | null {
  if (existing.type !== wanted.type) return `has type "${existing.type}", NPS Loop writes "${wanted.type}"`;
  if (wanted.type === 'enumeration') {
    const have = new Set((existing.options ?? []).map((o) => o.value));
    const missing = (wanted.options ?? []).map((o) => o.value).filter((v) => !have.has(v));
    if (missing.length > 0)
      return `lacks the option${missing.length > 1 ? 's' : ''} ${missing.map((v) => `"${v}"`).join(', ')}`;
  }
  return null;
}
