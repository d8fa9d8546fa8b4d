import type { NpsCategory, ScoreChangeView } from './contract';

// Display helpers shared by both cards. Dates are shown in UTC so every user sees the same day for an answer.

export const CATEGORY_LABEL: Record<NpsCategory, string> = {
  promoter: 'Promoter',
  passive: 'Passive',
  detractor: 'Detractor',
};

/** Tag variants: promoter green, passive amber, detractor red. */
export const CATEGORY_TAG: Record<NpsCategory, 'success' | 'warning' | 'error'> = {
  promoter: 'success',
  passive: 'warning',
  detractor: 'error',
};

const DATE = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : DATE.format(d);
}

const SKIP_REASONS: Record<string, string> = {
  quiet_period: 'the contact was surveyed recently (quiet period)',
  opted_out: 'the contact opted out of email',
  no_email: 'the contact has no email address',
  bounced: 'email to this contact bounced',
  duplicate: 'a survey for the same milestone already exists',
  contact_deleted: 'the contact was deleted',
  unknown_contact: 'NPS Loop has not synced this contact yet',
  dismissed: 'the contact dismissed the in-app survey',
  no_phone: 'the contact has no phone number for a text',
  invalid_phone: 'the contact’s phone number is not valid for texts',
  sms_opted_out: 'the contact replied STOP to our texts',
  sms_not_configured: 'texts are not set up (Twilio)',
  no_web_session: 'the contact has not used the web app lately (in-app survey)',
};

export function describeSkipReason(reason: string | undefined): string {
  if (!reason) return 'no reason recorded';
  return SKIP_REASONS[reason] ?? reason.replace(/_/g, ' ');
}

const CHANNEL_LABEL: Record<string, string> = {
  email: 'Email',
  page: 'Survey page',
  manual: 'Logged by hand',
  import: 'Import',
  workflow: 'Workflow',
  sms: 'Text message',
  web: 'In-app web survey',
};

export function channelLabel(channel: string): string {
  return CHANNEL_LABEL[channel] ?? channel;
}

export function formatNps(nps: number | null): string {
  if (nps === null) return '—';
  return nps > 0 ? `+${nps}` : String(nps);
}

/** "▲ 4 points (from 5)", "▼ 3 points (from 9)", "No change (8 before)", "First answer". */
export function describeScoreChange(change: ScoreChangeView): string {
  if (change.points === null || change.previousScore === null) return 'First answer';
  if (change.points === 0) return `No change (${change.previousScore} before)`;
  const size = Math.abs(change.points);
  const points = `${size} point${size === 1 ? '' : 's'} (from ${change.previousScore})`;
  return change.points > 0 ? `▲ ${points}` : `▼ ${points}`;
}
