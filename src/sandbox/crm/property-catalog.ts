import type { ObjectType } from './object-types';

/**
 * HubSpot's standard properties for the modelled objects: the subset an NPS app touches, plus the
 * read-only ones HubSpot itself maintains (writing those is refused with READ_ONLY_VALUE).
 */
export type PropertyType = 'string' | 'number' | 'enumeration' | 'datetime' | 'date' | 'bool';

export interface PropertyOption {
  label: string;
  value: string;
  displayOrder: number;
  hidden: boolean;
  description?: string;
}

/** Options that come from other data (owners, pipelines) instead of the definition itself. */
export type DynamicOptions = 'owners' | 'dealPipelines' | 'dealStages' | 'ticketPipelines' | 'ticketStages';

export interface StandardProperty {
  name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  groupName: string;
  options?: Array<[value: string, label: string]>;
  readOnlyValue?: boolean;
  hasUniqueValue?: boolean;
  dynamicOptions?: DynamicOptions;
}

const text = (
  name: string,
  label: string,
  groupName: string,
  extra: Partial<StandardProperty> = {},
): StandardProperty => ({ name, label, type: 'string', fieldType: 'text', groupName, ...extra });
const num = (
  name: string,
  label: string,
  groupName: string,
  extra: Partial<StandardProperty> = {},
): StandardProperty => ({ name, label, type: 'number', fieldType: 'number', groupName, ...extra });
const when = (
  name: string,
  label: string,
  groupName: string,
  extra: Partial<StandardProperty> = {},
): StandardProperty => ({ name, label, type: 'datetime', fieldType: 'date', groupName, ...extra });
const choice = (
  name: string,
  label: string,
  groupName: string,
  options: Array<[string, string]>,
  extra: Partial<StandardProperty> = {},
): StandardProperty => ({ name, label, type: 'enumeration', fieldType: 'select', groupName, options, ...extra });
const owner = (groupName: string, label: string): StandardProperty => ({
  name: 'hubspot_owner_id',
  label,
  type: 'enumeration',
  fieldType: 'select',
  groupName,
  dynamicOptions: 'owners',
});

const LANGUAGE_OPTIONS: Array<[string, string]> = [
  ['en', 'English'],
  ['en-us', 'English - United States'],
  ['en-gb', 'English - United Kingdom'],
  ['da', 'Danish'],
  ['sv', 'Swedish'],
  ['de', 'German'],
  ['fr', 'French'],
  ['fr-ca', 'French - Canada'],
  ['nl', 'Dutch'],
  ['no', 'Norwegian'],
  ['fi', 'Finnish'],
  ['es', 'Spanish'],
  ['it', 'Italian'],
  ['pt', 'Portuguese'],
  ['pl', 'Polish'],
  ['ja', 'Japanese'],
];

const LIFECYCLE_OPTIONS: Array<[string, string]> = [
  ['subscriber', 'Subscriber'],
  ['lead', 'Lead'],
  ['marketingqualifiedlead', 'Marketing Qualified Lead'],
  ['salesqualifiedlead', 'Sales Qualified Lead'],
  ['opportunity', 'Opportunity'],
  ['customer', 'Customer'],
  ['evangelist', 'Evangelist'],
  ['other', 'Other'],
];

const INDUSTRY_OPTIONS: Array<[string, string]> = [
  ['COMPUTER_SOFTWARE', 'Computer Software'],
  ['INFORMATION_TECHNOLOGY_AND_SERVICES', 'Information Technology and Services'],
  ['MARKETING_AND_ADVERTISING', 'Marketing and Advertising'],
  ['FINANCIAL_SERVICES', 'Financial Services'],
  ['HOSPITAL_HEALTH_CARE', 'Hospital & Health Care'],
  ['RETAIL', 'Retail'],
  ['LOGISTICS_AND_SUPPLY_CHAIN', 'Logistics and Supply Chain'],
  ['CONSTRUCTION', 'Construction'],
  ['EDUCATION_MANAGEMENT', 'Education Management'],
  ['FOOD_BEVERAGES', 'Food & Beverages'],
  ['AUTOMOTIVE', 'Automotive'],
  ['TELECOMMUNICATIONS', 'Telecommunications'],
];

const TASK_STATUS: Array<[string, string]> = [
  ['NOT_STARTED', 'Not started'],
  ['IN_PROGRESS', 'In progress'],
  ['WAITING', 'Waiting'],
  ['COMPLETED', 'Completed'],
  ['DEFERRED', 'Deferred'],
];
const PRIORITY: Array<[string, string]> = [
  ['LOW', 'Low'],
  ['MEDIUM', 'Medium'],
  ['HIGH', 'High'],
];

const common = (type: ObjectType, group: string): StandardProperty[] => {
  const created = type === 'tasks' ? 'hs_createdate' : 'createdate';
  const modified = type === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate';
  return [
    when(created, 'Create date', group),
    when(modified, 'Last modified date', group, { readOnlyValue: true }),
    num('hs_object_id', 'Record ID', group, { readOnlyValue: true }),
  ];
};

export const STANDARD_GROUPS: Record<ObjectType, Array<[name: string, label: string]>> = {
  contacts: [
    ['contactinformation', 'Contact information'],
    ['emailinformation', 'Email information'],
    ['feedback_information', 'Feedback information'],
  ],
  companies: [['companyinformation', 'Company information']],
  deals: [['dealinformation', 'Deal information']],
  tickets: [['ticketinformation', 'Ticket information']],
  tasks: [['task', 'Task information']],
};

export const STANDARD_PROPERTIES: Record<ObjectType, StandardProperty[]> = {
  contacts: [
    ...common('contacts', 'contactinformation'),
    // Contacts carry both names for the modification time; both are computed from the record.
    when('hs_lastmodifieddate', 'Object last modified date/time', 'contactinformation', { readOnlyValue: true }),
    text('email', 'Email', 'contactinformation', { hasUniqueValue: true }),
    text('firstname', 'First name', 'contactinformation'),
    text('lastname', 'Last name', 'contactinformation'),
    text('phone', 'Phone number', 'contactinformation'),
    text('mobilephone', 'Mobile phone number', 'contactinformation'),
    text('company', 'Company name', 'contactinformation'),
    text('jobtitle', 'Job title', 'contactinformation'),
    text('country', 'Country/Region', 'contactinformation'),
    choice('hs_language', 'Preferred language', 'contactinformation', LANGUAGE_OPTIONS),
    choice('lifecyclestage', 'Lifecycle stage', 'contactinformation', LIFECYCLE_OPTIONS, { fieldType: 'radio' }),
    owner('contactinformation', 'Contact owner'),
    num('associatedcompanyid', 'Primary associated company ID', 'contactinformation'),
    // Set by HubSpot from subscription preferences; the API may read it but never write it.
    {
      name: 'hs_email_optout',
      label: 'Unsubscribed from all email',
      type: 'bool',
      fieldType: 'booleancheckbox',
      groupName: 'contactinformation',
      options: [
        ['true', 'Yes'],
        ['false', 'No'],
      ],
      readOnlyValue: true,
    },
    // Set by HubSpot's email tools when an address hard-bounces or is found invalid; read-only to the API.
    text('hs_email_hard_bounce_reason_enum', 'Email hard bounce reason', 'emailinformation', { readOnlyValue: true }),
    {
      name: 'hs_email_bad_address',
      label: 'Invalid email address',
      type: 'bool',
      fieldType: 'booleancheckbox',
      groupName: 'emailinformation',
      options: [
        ['true', 'Yes'],
        ['false', 'No'],
      ],
      readOnlyValue: true,
    },
    text('hs_additional_emails', 'Additional email addresses', 'contactinformation', { readOnlyValue: true }),
    text('hs_merged_object_ids', 'Merged record IDs', 'contactinformation', { readOnlyValue: true }),
    num('hs_feedback_last_nps_rating', 'Last NPS survey rating', 'feedback_information', { readOnlyValue: true }),
    text('hs_feedback_last_nps_follow_up', 'Last NPS survey comment', 'feedback_information', { readOnlyValue: true }),
    when('hs_feedback_last_survey_date', 'Last NPS survey date', 'feedback_information', { readOnlyValue: true }),
  ],
  companies: [
    ...common('companies', 'companyinformation'),
    text('name', 'Company name', 'companyinformation'),
    text('domain', 'Company domain name', 'companyinformation'),
    text('website', 'Website URL', 'companyinformation'),
    text('phone', 'Phone number', 'companyinformation'),
    text('city', 'City', 'companyinformation'),
    text('country', 'Country/Region', 'companyinformation'),
    choice('industry', 'Industry', 'companyinformation', INDUSTRY_OPTIONS),
    num('numberofemployees', 'Number of employees', 'companyinformation'),
    owner('companyinformation', 'Company owner'),
  ],
  deals: [
    ...common('deals', 'dealinformation'),
    text('dealname', 'Deal name', 'dealinformation'),
    choice('pipeline', 'Pipeline', 'dealinformation', [], { dynamicOptions: 'dealPipelines' }),
    choice('dealstage', 'Deal stage', 'dealinformation', [], { fieldType: 'radio', dynamicOptions: 'dealStages' }),
    num('amount', 'Amount', 'dealinformation'),
    when('closedate', 'Close date', 'dealinformation'),
    owner('dealinformation', 'Deal owner'),
  ],
  tickets: [
    ...common('tickets', 'ticketinformation'),
    text('subject', 'Ticket name', 'ticketinformation'),
    { ...text('content', 'Ticket description', 'ticketinformation'), fieldType: 'textarea' },
    choice('hs_pipeline', 'Pipeline', 'ticketinformation', [], { dynamicOptions: 'ticketPipelines' }),
    choice('hs_pipeline_stage', 'Ticket status', 'ticketinformation', [], { dynamicOptions: 'ticketStages' }),
    choice('hs_ticket_priority', 'Priority', 'ticketinformation', [...PRIORITY, ['URGENT', 'Urgent']]),
    choice('hs_ticket_category', 'Category', 'ticketinformation', [
      ['PRODUCT_ISSUE', 'Product issue'],
      ['BILLING_ISSUE', 'Billing issue'],
      ['FEATURE_REQUEST', 'Feature request'],
      ['GENERAL_INQUIRY', 'General inquiry'],
    ]),
    owner('ticketinformation', 'Ticket owner'),
  ],
  tasks: [
    ...common('tasks', 'task'),
    when('hs_timestamp', 'Due date', 'task'),
    text('hs_task_subject', 'Task title', 'task'),
    { ...text('hs_task_body', 'Task notes', 'task'), fieldType: 'textarea' },
    choice('hs_task_status', 'Task status', 'task', TASK_STATUS),
    choice('hs_task_priority', 'Priority', 'task', [['NONE', 'None'], ...PRIORITY]),
    choice('hs_task_type', 'Task type', 'task', [
      ['EMAIL', 'Email'],
      ['CALL', 'Call'],
      ['TODO', 'To-do'],
    ]),
    text('hs_task_reminders', 'Reminder', 'task'),
    owner('task', 'Assigned to'),
  ],
};
