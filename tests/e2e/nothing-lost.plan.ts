import type { Sandbox } from '../../src/sandbox';
import { createRng, type Rng } from '../../src/sandbox/platform/random';

// The plan of the SIGKILL proof (nothing-lost.test.ts), worked out from the sandbox's CRM before the app sees
// anything: which deals close, who is due a survey and why the others are not, when each deal moves and when each
// kill lands. Seeded, so a failing run can be replayed with CRASH_SEED.

/** The invitation the app records for each (deal, contact) milestone, by what the fatigue rules decide. */
type Expected = 'sent' | 'no_email' | 'opted_out' | 'bounced' | 'quiet_period';

export interface DueWave {
  /** Deals moved to closed-won, in wave order. */
  deals: string[];
  /** Emails (lower case) of the contacts due a survey: one survey each, however many of their deals close. */
  due: Set<string>;
  /** Invitations by expected outcome, one per (deal, contact) milestone. */
  expected: Record<Expected, number>;
}

/**
 * Takes open deals in order until `target` contacts are due a survey. A contact is due when it has an email, is
 * not opted out and has no hard bounce; a contact already due from an earlier deal is in its quiet period, so its
 * next deal's milestone is recorded as skipped. The checks run in the order the app's fatigue rules apply them.
 */
export function planDueWave(sandbox: Sandbox, target: number): DueWave {
  const expected: Record<Expected, number> = { sent: 0, no_email: 0, opted_out: 0, bounced: 0, quiet_period: 0 };
  const due = new Set<string>();
  const deals: string[] = [];
  for (const deal of sandbox.portal().tables.deals.all()) {
    if (due.size >= target) break;
    if (deal.properties.dealstage === 'closedwon') continue;
    deals.push(String(deal.id));
    for (const { id } of sandbox.crm.getRecord('deals', deal.id).associations.contacts ?? []) {
      const contact = sandbox.crm.getContact(id).properties;
      const email = contact.email?.toLowerCase();
      let outcome: Expected;
      if (!email || !email.includes('@')) outcome = 'no_email';
      else if (contact.hs_email_optout === 'true') outcome = 'opted_out';
      else if (contact.hs_email_hard_bounce_reason_enum || contact.hs_email_bad_address === 'true') outcome = 'bounced';
      else if (due.has(email)) outcome = 'quiet_period';
      else {
        due.add(email);
        outcome = 'sent';
      }
      expected[outcome]++;
    }
  }
  if (due.size < target) throw new Error(`the sandbox seed has only ${due.size} contacts due a survey, not ${target}`);
  return { deals, due, expected };
}

export interface WaveStep {
  /** Milliseconds after the wave starts. */
  atMs: number;
  dealIds: string[];
}

/** Cuts the deals into chunks of random size moved at random moments spread over `spanMs`. */
export function waveSchedule(rng: Rng, deals: string[], spanMs: number): WaveStep[] {
  const steps: WaveStep[] = [];
  const meanChunk = Math.max(1, Math.round(deals.length / 40));
  for (let i = 0; i < deals.length;) {
    const size = 1 + Math.floor(rng() * 2 * meanChunk);
    steps.push({ atMs: Math.round(rng() * spanMs), dealIds: deals.slice(i, i + size) });
    i += size;
  }
  return steps.sort((a, b) => a.atMs - b.atMs);
}

/**
 * When a kill lands: `midIngest` while the app reads HubSpot's first delivery; `delay` a random time after
 * the app (re)started answering; `nextEmail` as soon as an email arrives after the restart, at the SMTP handover.
 */
export type KillAt = { kind: 'midIngest' } | { kind: 'delay'; ms: number } | { kind: 'nextEmail' };

/** `count` kills at random delays within [minMs, maxMs], one of them (not the first) at the next email instead. */
export function killPlan(rng: Rng, count: number, minMs: number, maxMs: number): KillAt[] {
  const kills: KillAt[] = Array.from({ length: count }, () => ({
    kind: 'delay',
    ms: Math.round(minMs + rng() * (maxMs - minMs)),
  }));
  if (count > 1) kills[1 + Math.floor(rng() * (count - 1))] = { kind: 'nextEmail' };
  return kills;
}

export function describeKill(k: KillAt): string {
  return k.kind === 'delay' ? `${(k.ms / 1000).toFixed(1)} s after start` : k.kind;
}

export { createRng };
