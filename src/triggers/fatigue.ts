import { DAY_MS, type PhoneCheck } from '../shared';

// Survey fatigue: who may be asked right now, and on which channel. One quiet period per contact covers every
// trigger and channel, so the same rule is applied when an invitation is scheduled and again when it is about to
// be sent. Each channel adds what it needs: an address for email, a textable number for SMS.

type SkipReason =
  | 'quiet_period'
  | 'opted_out'
  | 'no_email'
  | 'bounced'
  | 'contact_deleted'
  | 'unknown_contact'
  | 'no_phone'
  | 'invalid_phone'
  | 'sms_opted_out'
  | 'no_web_session';

export type FatigueChannel = 'email' | 'sms' | 'web' | 'hubspot';

export interface FatigueContact {
  email: string | null;
  /** Opted out of email in HubSpot, or unsubscribed on a survey page. */
  optedOut: boolean;
  bounced: boolean;
  deleted: boolean;
  /** Unsubscribed on a survey page (every channel); when absent, `optedOut` stands in. */
  surveyOptedOut?: boolean;
  /** The contact's number for texts; absent when not loaded (an SMS then counts as no_phone). */
  phone?: PhoneCheck;
  /** The number replied STOP. */
  smsOptedOut?: boolean;
  /**
   * When the in-app widget last saw the person signed in; null when never. Absent when not loaded: the web
   * channel is then not checked for a session (e.g. a web invitation already scheduled waits for the widget).
   */
  lastWebSessionAt?: Date | null;
}

/** A person not seen by the widget for this long is not asked in the web app (their rule falls back). */
export const WEB_SESSION_DAYS = 30;

export interface FatigueInput {
  now: Date;
  quietPeriodDays: number;
  /** null when the contact is not mirrored. */
  contact: FatigueContact | null;
  /** The latest survey sent, or scheduled and not yet sent (which may lie in the future), on any channel. */
  lastSurveyAt: Date | null;
  /** A person confirmed this survey (e.g. "send now" on the card): the quiet period does not apply. */
  force?: boolean;
  /** Default: email. */
  channel?: FatigueChannel;
}

export type FatigueDecision = { ok: true } | { ok: false; reason: SkipReason; until?: Date };

/**
 * Decides whether a contact may be surveyed at `now` on a channel. Reasons are checked from the most permanent to
 * the most temporary, so the reason recorded is the one that matters: a deleted contact is not "in its quiet
 * period". `force` only lifts the quiet period; opt-outs, bounces and missing addresses are never overridden.
 */
export function evaluateFatigue(input: FatigueInput): FatigueDecision {
  const { contact } = input;
  if (!contact) return { ok: false, reason: 'unknown_contact' };
  if (contact.deleted) return { ok: false, reason: 'contact_deleted' };
  const unreachable = channelProblem(input.channel ?? 'email', contact, input.now);
  if (unreachable) return { ok: false, reason: unreachable };
  if (input.force || input.quietPeriodDays <= 0 || !input.lastSurveyAt) return { ok: true };
  const until = new Date(input.lastSurveyAt.getTime() + input.quietPeriodDays * DAY_MS);
  // A survey scheduled for later than `now` also blocks: two surveys are never queued for one person at once.
  return until.getTime() > input.now.getTime() ? { ok: false, reason: 'quiet_period', until } : { ok: true };
}

/** Why this contact cannot be reached on this channel, or null when it can. */
function channelProblem(channel: FatigueChannel, contact: FatigueContact, now: Date): SkipReason | null {
  const surveyOptedOut = contact.surveyOptedOut ?? contact.optedOut;
  switch (channel) {
    case 'email':
    case 'hubspot':
      if (!contact.email || !contact.email.includes('@')) return 'no_email';
      if (contact.optedOut) return 'opted_out';
      if (contact.bounced) return 'bounced';
      return null;
    case 'sms':
      if (surveyOptedOut) return 'opted_out';
      if (!contact.phone?.ok) return contact.phone?.reason ?? 'no_phone';
      if (contact.smsOptedOut) return 'sms_opted_out';
      return null;
    case 'web':
      // Shown by the in-app widget when the person is next seen: only worth it for people who use the web app.
      if (surveyOptedOut) return 'opted_out';
      return contact.lastWebSessionAt === undefined || seenRecently(contact.lastWebSessionAt, now)
        ? null
        : 'no_web_session';
  }
}

function seenRecently(at: Date | null, now: Date): boolean {
  return at !== null && at.getTime() > now.getTime() - WEB_SESSION_DAYS * DAY_MS;
}

export interface ChannelChoiceResult {
  channel: FatigueChannel;
  decision: FatigueDecision;
  /** Channels passed over before `channel`, with why. */
  passedOver: Array<{ channel: FatigueChannel; reason: SkipReason }>;
}

/**
 * Picks the first channel of an ordered fallback list the contact can be reached on. The quiet period is one per
 * contact, so it ends the search: a contact in it is skipped whatever the channel. When no channel works, the
 * first channel is recorded with its reason (the one the rule wanted most).
 */
export function chooseChannel(channels: FatigueChannel[], input: Omit<FatigueInput, 'channel'>): ChannelChoiceResult {
  const passedOver: ChannelChoiceResult['passedOver'] = [];
  for (const channel of channels.length > 0 ? channels : (['email'] as const)) {
    const decision = evaluateFatigue({ ...input, channel });
    if (decision.ok || !isChannelReason(decision.reason)) return { channel, decision, passedOver };
    passedOver.push({ channel, reason: decision.reason });
  }
  const first = passedOver[0]!;
  return { channel: first.channel, decision: { ok: false, reason: first.reason }, passedOver };
}

/** Reasons that belong to one channel (another channel may still work), as opposed to the person as a whole. */
function isChannelReason(reason: SkipReason): boolean {
  return !['quiet_period', 'contact_deleted', 'unknown_contact'].includes(reason);
}
