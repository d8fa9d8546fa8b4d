import { addBusinessDays } from '../../follow-ups/business-days';
import { categoryOf, type Category } from '../../core';

// A year of believable NPS history for the demo, computed from a seed (same seed, same story): every contact is
// surveyed every two to three months after deals, tickets or relationship check-ins; most surveys are answered, some after
// a reminder, a few skipped. Scores improve slowly over the year; one owner's customers are clearly less happy;
// the Renewals pipeline clearly scores higher. Answers get follow-ups, closed fast by most owners.
// A lapsed contact's history stops well before the quiet period (90 days by default), so a deal or ticket of
// theirs closed today gets a survey: that is what a newcomer clicking "Close a deal" in the demo should see.

export interface DemoContact {
  contactId: number;
  ownerId?: string | null;
  companyId?: number | null;
  language?: string | null;
  /** Last surveyed 100 to 250 days ago: outside the quiet period, so a milestone today sends a survey. */
  lapsed?: boolean;
}

/** How long before "now" a lapsed contact's history stops, at least: past the default 90-day quiet period. */
const LAPSED_MIN_DAYS = 100;

export interface PlannedInvitation {
  contactId: number;
  trigger: 'deal' | 'ticket' | 'relationship' | 'workflow';
  sourceType: 'deal' | 'ticket' | null;
  sourceId: number | null;
  pipeline: string | null;
  stage: string | null;
  channel: 'email' | 'hubspot';
  status: 'sent' | 'reminded' | 'answered' | 'expired' | 'skipped';
  skipReason: string | null;
  scheduledFor: Date;
  sentAt: Date | null;
  remindedAt: Date | null;
  answeredAt: Date | null;
  answer: { score: number; category: Category; comment: string | null } | null;
  followUp: { category: Category; ownerId: string | null; dueAt: Date; completedAt: Date | null } | null;
  ownerId: string | null;
  companyId: number | null;
  language: string | null;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const STRONG_PIPELINE = '87654321';
const SLA_DAYS: Record<Category, number> = { detractor: 1, passive: 3, promoter: 5 };

const COMMENTS: Record<Category, string[]> = {
  promoter: [
    'Fantastic support, they solved our issue within the hour.',
    'The onboarding was smooth and the team really listens.',
    'Great product, we recommend it to every partner we work with.',
    'Renewal was painless and the pricing is fair.',
    'Our account manager goes the extra mile every time.',
    'Reliable, fast and easy to use. Exactly what we needed.',
  ],
  passive: [
    'Works well, but the reporting could be more flexible.',
    'Good overall. Response times vary a bit.',
    'Fine for our needs; the invoice process is clunky.',
    'Solid product, though the mobile app lags behind.',
  ],
  detractor: [
    'Nobody called back after I opened the ticket.',
    'The last update broke our export & took a week to fix.',
    'Too expensive for what we get, considering switching.',
    'Billing errors two months in a row. Frustrating.',
    'Support keeps asking for the same information again and again.',
  ],
};

/** mulberry32: a small, well-spread seeded generator. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

function pick<T>(rng: () => number, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

/** The owner whose customers the story makes unhappy: the one with the most contacts (ties: lowest id). */
export function weakOwnerOf(contacts: DemoContact[]): string | null {
  const counts = new Map<string, number>();
  for (const c of contacts) if (c.ownerId) counts.set(c.ownerId, (counts.get(c.ownerId) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
}

export function planDemoHistory(
  contacts: DemoContact[],
  opts: { months: number; now: Date; seed: number },
): PlannedInvitation[] {
  const rng = seededRandom(opts.seed);
  const end = opts.now.getTime();
  const start = end - opts.months * 30.4 * DAY;
  const weakOwner = weakOwnerOf(contacts);
  // Lapse offsets come from their own generator, not the one the scores and dates are drawn from.
  const lapseRng = seededRandom(opts.seed ^ 0x1a95ed);
  const out: PlannedInvitation[] = [];
  let sourceSeq = 9_000_000;
  for (const contact of contacts) {
    const stop = contact.lapsed ? end - (LAPSED_MIN_DAYS + lapseRng() * 150) * DAY : end - 2 * HOUR;
    for (let at = start + rng() * 60 * DAY; at < stop; at += (60 + rng() * 30) * DAY) {
      const roll = rng();
      const trigger = roll < 0.45 ? 'deal' : roll < 0.8 ? 'ticket' : roll < 0.95 ? 'relationship' : 'workflow';
      const renewal = trigger === 'deal' && rng() < 0.4;
      const scheduledFor = new Date(at);
      const base: PlannedInvitation = {
        contactId: contact.contactId,
        trigger,
        sourceType: trigger === 'deal' || trigger === 'ticket' ? trigger : null,
        sourceId: trigger === 'deal' || trigger === 'ticket' ? sourceSeq++ : null,
        pipeline: trigger === 'deal' ? (renewal ? STRONG_PIPELINE : 'default') : trigger === 'ticket' ? '0' : null,
        stage: trigger === 'deal' ? (renewal ? '87654324' : 'closedwon') : trigger === 'ticket' ? '4' : null,
        channel: rng() < 0.85 ? 'email' : 'hubspot',
        status: 'sent',
        skipReason: null,
        scheduledFor,
        sentAt: scheduledFor,
        remindedAt: null,
        answeredAt: null,
        answer: null,
        followUp: null,
        ownerId: contact.ownerId ?? null,
        companyId: contact.companyId ?? null,
        language: contact.language ?? null,
      };
      if (rng() < 0.08) {
        out.push({
          ...base,
          status: 'skipped',
          sentAt: null,
          skipReason: pick(rng, ['quiet_period', 'quiet_period', 'opted_out', 'no_email', 'bounced']),
        });
        continue;
      }
      const age = end - at;
      const reminded = age > 3 * DAY && rng() < 0.55;
      const answered = rng() < (reminded ? 0.6 : 0.5);
      const afterReminder = reminded && answered && rng() < 0.4;
      const answeredAt = answered
        ? new Date(Math.min(end - HOUR, afterReminder ? at + 3 * DAY + rng() * 2 * DAY : at + (1 + rng() * 47) * HOUR))
        : null;
      const remindedAt = reminded && (!answeredAt || afterReminder) ? new Date(at + 3 * DAY) : null;
      if (!answeredAt) {
        out.push({ ...base, remindedAt, status: age > 30 * DAY ? 'expired' : remindedAt ? 'reminded' : 'sent' });
        continue;
      }
      // Slowly better over the year (mean 6.9 → 8.1), one unhappy owner, one delighted pipeline.
      const progress = (answeredAt.getTime() - start) / (end - start);
      const mean =
        6.9 + 1.2 * progress + (contact.ownerId && contact.ownerId === weakOwner ? -2.2 : 0) + (renewal ? 1.3 : 0);
      const score = Math.max(0, Math.min(10, Math.round(mean + normal(rng) * 1.9)));
      const category = categoryOf(score);
      const comment = rng() < 0.45 ? pick(rng, COMMENTS[category]) : null;
      const dueAt = addBusinessDays(answeredAt, SLA_DAYS[category]);
      const slow = contact.ownerId === weakOwner ? 3.5 : 1;
      const closeHours = Math.exp(Math.log(category === 'detractor' ? 14 : 30) + normal(rng) * 0.8) * slow;
      const completedAt =
        answeredAt.getTime() + closeHours * HOUR < end && rng() < 0.92
          ? new Date(answeredAt.getTime() + closeHours * HOUR)
          : null;
      out.push({
        ...base,
        remindedAt,
        answeredAt,
        status: 'answered',
        answer: { score, category, comment },
        followUp: { category, ownerId: contact.ownerId ?? null, dueAt, completedAt },
      });
    }
  }
  return out;
}
