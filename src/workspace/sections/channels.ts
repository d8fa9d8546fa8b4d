import type { SettingsFieldOption } from '../../core';

// The channel choices a form offers: each channel alone, and the fallback lists that make sense (a text or the
// in-app survey where the person can get one, else email). Other lists can still be set through the API or file.
export const CHANNEL_OPTIONS: SettingsFieldOption[] = [
  { value: 'email', label: 'Email from NPS Loop' },
  { value: 'sms', label: 'Text message (SMS)' },
  { value: 'web', label: 'In-app web survey' },
  { value: 'hubspot', label: 'HubSpot (sent by a HubSpot workflow)' },
  { value: 'sms,email', label: 'Text message, else email' },
  { value: 'web,email', label: 'In-app web survey, else email' },
  { value: 'web,sms,email', label: 'In-app web survey, else text message, else email' },
];

/** How a rule's channel (one, or a fallback list) reads on a page. */
export function channelText(channel: string | readonly string[]): string {
  const value = typeof channel === 'string' ? channel : channel.join(',');
  return CHANNEL_OPTIONS.find((o) => o.value === value)?.label ?? value.split(',').join(', else ');
}
