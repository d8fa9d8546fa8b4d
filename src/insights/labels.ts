import { isCustomDimension, type SegmentName } from './filters';
import { DATE_BAND_LABELS, type DimensionKind } from '../segments';

/** A custom dimension as the portal configured it (src/segments). */
export interface CustomDimensionInfo {
  name: string;
  label: string;
  kind: DimensionKind;
  state: string;
}

// Human names for stored segment values. Values stay as stored (HubSpot ids, internal names) in the API; labels
// are for people.

const DIMENSION_LABELS: Record<Exclude<SegmentName, `${string}.${string}`>, string> = {
  trigger: 'Trigger',
  pipeline: 'Pipeline',
  stage: 'Stage',
  owner: 'Owner',
  company: 'Company',
  industry: 'Industry',
  lifecycle: 'Lifecycle stage',
  language: 'Language',
  tenure: 'Customer for',
};

const VALUE_LABELS: Partial<Record<SegmentName, Record<string, string>>> = {
  trigger: {
    deal: 'Deal',
    ticket: 'Ticket',
    workflow: 'Workflow',
    relationship: 'Relationship',
    manual: 'Manual',
    import: 'Import',
  },
  tenure: { lt3m: 'Under 3 months', '3to12m': '3–12 months', '1to2y': '1–2 years', '2yplus': '2 years or more' },
  language: { en: 'English', da: 'Danish', sv: 'Swedish', de: 'German' },
  lifecycle: {
    subscriber: 'Subscriber',
    lead: 'Lead',
    marketingqualifiedlead: 'Marketing qualified lead',
    salesqualifiedlead: 'Sales qualified lead',
    opportunity: 'Opportunity',
    customer: 'Customer',
    evangelist: 'Evangelist',
    other: 'Other',
  },
};

export function dimensionLabel(d: SegmentName, custom?: CustomDimensionInfo): string {
  return isCustomDimension(d) ? (custom?.label ?? d) : DIMENSION_LABELS[d];
}

export function segmentValueLabel(
  d: SegmentName,
  value: string,
  names: { companyName?: string | null; ownerLabels?: Map<string, string>; custom?: CustomDimensionInfo } = {},
): string {
  if (value === '') return d === 'pipeline' || d === 'stage' ? '(none)' : '(unknown)';
  if (isCustomDimension(d)) return names.custom?.kind === 'date' ? (DATE_BAND_LABELS[value] ?? value) : value;
  if (d === 'company') return names.companyName || `Company ${value}`;
  if (d === 'owner') return ownerLabel(value, names.ownerLabels);
  return VALUE_LABELS[d]?.[value] ?? value;
}

export function ownerLabel(ownerId: string, labels?: Map<string, string>): string {
  if (ownerId === '') return '(no owner)';
  return labels?.get(ownerId) ?? `Owner ${ownerId}`;
}

/** Survey channels: an invitation's (email, sms, web, hubspot) and an answer's (also page, manual, import, workflow). */
const CHANNEL_LABELS: Record<string, string> = {
  email: 'Email',
  sms: 'Text message (SMS)',
  web: 'In-app web survey',
  hubspot: 'HubSpot-sent email',
  page: 'Survey page',
  manual: 'Logged by hand',
  import: 'Import',
  workflow: 'Workflow',
};

export function channelLabel(channel: string): string {
  return CHANNEL_LABELS[channel] ?? channel;
}

export const SKIP_REASON_LABELS: Record<string, string> = {
  quiet_period: 'Quiet period',
  opted_out: 'Opted out',
  no_email: 'No email address',
  bounced: 'Email bounced',
  contact_deleted: 'Contact deleted',
  unknown_contact: 'Contact not synced',
  no_phone: 'No phone number',
  invalid_phone: 'Phone number not valid for texts',
  sms_opted_out: 'Replied STOP to texts',
  sms_not_configured: 'Texts not set up',
  no_web_session: 'Not seen in the web app',
  dismissed: 'Dismissed in the web app',
  unknown: 'Unknown reason',
};
