import { describe, expect, it } from 'vitest';
import type { PropertyDefinition } from '../../src/hubspot/client';
import { COMPANY_PROPERTIES, CONTACT_PROPERTIES, incompatibility } from '../../src/responses/property-definitions';

const wanted = (name: string): PropertyDefinition => CONTACT_PROPERTIES.find((p) => p.name === name)!;

describe('reusing existing HubSpot properties', () => {
  it.each([
    { name: 'nps_score', existing: { type: 'number' }, problem: null, why: 'same type' },
    {
      name: 'nps_last_comment',
      existing: { type: 'string' },
      problem: null,
      why: 'text instead of textarea is cosmetic',
    },
    {
      name: 'nps_score',
      existing: { type: 'string' },
      problem: 'has type "string", NPS Loop writes "number"',
      why: 'wrong type',
    },
    {
      name: 'nps_last_response_at',
      existing: { type: 'date' },
      problem: 'has type "date", NPS Loop writes "datetime"',
      why: 'a date cannot hold a time',
    },
    {
      name: 'nps_category',
      existing: {
        type: 'enumeration',
        options: [
          { label: 'P', value: 'promoter' },
          { label: 'D', value: 'detractor' },
          { label: 'X', value: 'extra' },
        ],
      },
      problem: 'lacks the option "passive"',
      why: 'a missing option',
    },
    {
      name: 'nps_survey_status',
      existing: { type: 'enumeration', options: [{ label: 'Pending', value: 'pending' }] },
      problem: 'lacks the options "answered", "expired", "skipped", "none"',
      why: 'several missing options',
    },
    {
      name: 'nps_category',
      existing: {
        type: 'enumeration',
        options: ['detractor', 'passive', 'promoter', 'vip'].map((value) => ({ label: value, value })),
      },
      problem: null,
      why: 'extra options of the admin are fine',
    },
  ])('$name: $why', ({ name, existing, problem }) => {
    expect(incompatibility(wanted(name), existing as PropertyDefinition)).toBe(problem);
  });

  it('defines the contact and company properties of ARCHITECTURE.md §3 in the nps group, none of them hs_*', () => {
    expect(CONTACT_PROPERTIES.map((p) => [p.name, p.type])).toEqual([
      ['nps_score', 'number'],
      ['nps_category', 'enumeration'],
      ['nps_last_response_at', 'datetime'],
      ['nps_last_comment', 'string'],
      ['nps_response_count', 'number'],
      ['nps_last_survey_sent_at', 'datetime'],
      ['nps_survey_status', 'enumeration'],
      ['nps_survey_link', 'string'],
      ['nps_review_link_clicked_at', 'datetime'],
      ['nps_last_follow_up_answer', 'string'],
      ['nps_previous_score', 'number'],
      ['nps_score_change', 'number'],
      ['nps_trend', 'enumeration'],
    ]);
    expect(COMPANY_PROPERTIES.map((p) => p.name)).toEqual([
      'nps_company_score',
      'nps_company_margin',
      'nps_company_respondents',
      'nps_company_promoters',
      'nps_company_passives',
      'nps_company_detractors',
      'nps_company_trend',
      'nps_company_at_risk_contacts',
    ]);
    for (const p of [...CONTACT_PROPERTIES, ...COMPANY_PROPERTIES]) {
      expect(p.groupName).toBe('nps');
      expect(p.name.startsWith('hs_')).toBe(false);
    }
    expect(wanted('nps_category').options!.map((o) => o.value)).toEqual(['promoter', 'passive', 'detractor']);
    expect(wanted('nps_trend').options!.map((o) => o.value)).toEqual(['improved', 'declined', 'unchanged', 'first']);
  });
});
