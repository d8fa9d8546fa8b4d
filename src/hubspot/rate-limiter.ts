import type { Timing } from './timing';

// Per-portal pacing that stays under HubSpot's limits instead of bouncing off them (HUBSPOT.md §5.1):
// - a local rolling window of call starts, sized from X-HubSpot-RateLimit-Max / -Interval-Milliseconds;
// - HubSpot's own count (X-HubSpot-RateLimit-Remaining), which also sees other copies of the app;
// - pauses after a 429 (Retry-After, else the window) and when the daily allowance reads 0;
// - CRM search on its own 5/s window (search answers carry no rate-limit headers);
// - a bound on calls in flight;
// - with copies of the app on one Postgres, a start slot on the portal's schedule shared by all copies
//   (rate-budget.repo.ts): HubSpot counts per portal across tokens and processes, and a Remaining header read
//   after the fact cannot stop copies that start calls at the same moment.

export interface RateLimitOptions {
  /** Calls per interval assumed until HubSpot's headers say otherwise (private apps 100–190, OAuth apps 110). */
  max?: number;
  intervalMs?: number;
  /** Share of the limit left unused for latency jitter and other app copies. */
  headroom?: number;
  /** Calls in flight at once for one portal. */
  maxConcurrent?: number;
  /** CRM search limit per second (HubSpot: 5). */
  searchPerSecond?: number;
  /** Longest pause one call sits out (429s, daily exhaustion) before failing with HubSpotRateLimitError. */
  maxWaitMs?: number;
  /** When the daily allowance reads 0, try again after this long rather than guess the account's midnight. */
  dailyProbeMs?: number;
}

export const DEFAULT_RATE_LIMIT: Required<RateLimitOptions> = {
  max: 100,
  intervalMs: 10_000,
  headroom: 0.03,
  maxConcurrent: 8,
  searchPerSecond: 5,
  maxWaitMs: 15 * 60_000,
  dailyProbeMs: 60_000,
};

// Search windows are measured at our end but counted at HubSpot's; the slack absorbs latency differences.
const SEARCH_WINDOW_MS = 1100;
// The shared schedule (rate-budget.repo.ts) starts at most `budget` calls in any window of the database's clock. A
// call may reach HubSpot later than its start (sleep overshoot, a busy event loop, the network): stretching the
// window by that much keeps every window as HubSpot counts it within the budget. Search windows get twice the slack.
const SHARED_JITTER_SHARE = 0.05;

/** Waits for a start slot on a schedule shared with other app copies; resolves to the milliseconds to wait. */
export type SharedSlot = (kind: CallKind, window: { budget: number; windowMs: number }) => Promise<number>;

export type CallKind = 'standard' | 'search';

export interface Permit {
  readonly kind: CallKind;
  readonly seq: number;
  /** Local calls in the window when this one started, itself included. */
  readonly windowCount: number;
}

/** Thrown by acquire when a pause would outlast the caller's wait budget. */
export class RateLimitPause extends Error {
  constructor(
    readonly policy: string,
    readonly until: number,
  ) {
    super(`rate limited (${policy}) until ${new Date(until).toISOString()}`);
  }
}

interface Entry {
  at: number;
  seq: number;
}

class RollingWindow {
  entries: Entry[] = [];
  /** Calls ever started through this window; entries carry their sequence number. */
  started = 0;
  constructor(
    public max: number,
    public intervalMs: number,
  ) {}

  prune(now: number): number {
    let drop = 0;
    while (drop < this.entries.length && (this.entries[drop] as Entry).at <= now - this.intervalMs) drop++;
    if (drop) this.entries.splice(0, drop);
    return this.entries.length;
  }

  /** Milliseconds until one more call fits under `budget` calls per window. */
  waitFor(now: number, budget: number): number {
    const count = this.prune(now);
    if (count < budget) return 0;
    return (this.entries[count - budget] as Entry).at + this.intervalMs - now;
  }
}

interface ServerView {
  remaining: number;
  seq: number;
  windowCount: number;
  seenAt: number;
}

export class PortalRateLimiter {
  private readonly opts: Required<RateLimitOptions>;
  private readonly burst: RollingWindow;
  private readonly search: RollingWindow;
  private server?: ServerView;
  private pausedUntil = 0;
  private pausePolicy = 'TEN_SECONDLY_ROLLING';
  private searchPausedUntil = 0;
  private inFlight = 0;
  private readonly queue: Array<() => void> = [];

  constructor(
    options: RateLimitOptions,
    private readonly timing: Timing,
    private readonly shared?: SharedSlot,
  ) {
    this.opts = { ...DEFAULT_RATE_LIMIT, ...options };
    this.burst = new RollingWindow(this.opts.max, this.opts.intervalMs);
    this.search = new RollingWindow(this.opts.searchPerSecond, SEARCH_WINDOW_MS);
  }

  /** Waits for a concurrency slot and for room under the limit. Throws RateLimitPause past `deadline`. */
  async acquire(kind: CallKind, deadline: number): Promise<Permit> {
    await this.slot();
    try {
      for (;;) {
        const now = this.timing.now();
        const { ms, pause } = kind === 'search' ? this.searchWait(now) : this.burstWait(now);
        if (ms <= 0) break;
        if (pause && now + ms > deadline) throw new RateLimitPause(pause, now + ms);
        await this.timing.sleep(ms);
      }
    } catch (err) {
      this.release();
      throw err;
    }
    const window = kind === 'search' ? this.search : this.burst;
    const entry = { at: this.timing.now(), seq: ++window.started };
    window.entries.push(entry);
    const permit = { kind, seq: entry.seq, windowCount: window.entries.length };
    if (this.shared) {
      try {
        await this.timing.sleep(await this.shared(kind, this.sharedWindow(kind)));
      } catch (err) {
        this.release();
        throw err;
      }
    }
    return permit;
  }

  /** The shared schedule's window for this limit: the limit less the reserve, see SHARED_JITTER_SHARE. */
  private sharedWindow(kind: CallKind): { budget: number; windowMs: number } {
    if (kind === 'search') return { budget: this.search.max, windowMs: 1000 * (1 + 2 * SHARED_JITTER_SHARE) };
    return {
      budget: Math.max(1, this.burst.max - this.reserve()),
      windowMs: this.burst.intervalMs * (1 + SHARED_JITTER_SHARE),
    };
  }

  /** Frees the concurrency slot (once per acquire). */
  release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.inFlight--;
  }

  /** Reads HubSpot's rate-limit headers from an answer to `permit`'s call. */
  observe(permit: Permit, header: (name: string) => string | null | undefined): void {
    if (permit.kind === 'search') return;
    const num = (name: string) => {
      const v = header(name);
      return v !== null && v !== undefined && /^\d+$/.test(v.trim()) ? Number(v) : undefined;
    };
    const max = num('x-hubspot-ratelimit-max');
    const interval = num('x-hubspot-ratelimit-interval-milliseconds');
    if (max && max > 0) this.burst.max = max;
    if (interval && interval > 0) this.burst.intervalMs = interval;
    const remaining = num('x-hubspot-ratelimit-remaining');
    if (remaining !== undefined && (!this.server || permit.seq >= this.server.seq)) {
      this.server = { remaining, seq: permit.seq, windowCount: permit.windowCount, seenAt: this.timing.now() };
    }
    if (num('x-hubspot-ratelimit-daily-remaining') === 0) this.pause('DAILY', this.opts.dailyProbeMs);
  }

  /** A 429 arrived: everyone on this portal sits out Retry-After (or a policy-specific default). */
  onRateLimited(kind: CallKind, policy: string, retryAfterMs: number | undefined): void {
    if (kind === 'search' || policy === 'SECONDLY') {
      this.searchPausedUntil = Math.max(this.searchPausedUntil, this.timing.now() + (retryAfterMs ?? 1000));
      return;
    }
    this.server = undefined;
    this.pause(policy, retryAfterMs ?? (policy === 'DAILY' ? this.opts.dailyProbeMs : this.burst.intervalMs));
  }

  private pause(policy: string, ms: number): void {
    const until = this.timing.now() + ms;
    if (until > this.pausedUntil) {
      this.pausedUntil = until;
      this.pausePolicy = policy;
    }
  }

  private reserve(): number {
    return Math.max(1, Math.ceil(this.burst.max * this.opts.headroom));
  }

  private burstWait(now: number): { ms: number; pause?: string } {
    if (this.pausedUntil > now) return { ms: this.pausedUntil - now, pause: this.pausePolicy };
    const reserve = this.reserve();
    const local = this.burst.waitFor(now, this.burst.max - reserve);
    if (local > 0) return { ms: local };
    if (this.server && this.serverEstimate() <= reserve) {
      // HubSpot counts calls we did not make (another copy of the app). We cannot see when those leave the
      // window, so wait a tenth of it and let one call through to read a fresh count.
      const probeAt = this.server.seenAt + this.burst.intervalMs / 10;
      if (probeAt > now) return { ms: probeAt - now };
      this.server = undefined;
    }
    return { ms: 0 };
  }

  /**
   * HubSpot's remaining count, brought forward: minus our calls started after the measured one, plus our calls
   * that have left the window since. With a single app copy this equals the local window's view.
   */
  private serverEstimate(): number {
    const s = this.server as ServerView;
    const stillCounted = this.burst.entries.filter((e) => e.seq <= s.seq).length;
    return s.remaining - (this.burst.started - s.seq) + (s.windowCount - stillCounted);
  }

  private searchWait(now: number): { ms: number; pause?: string } {
    if (this.searchPausedUntil > now) return { ms: this.searchPausedUntil - now, pause: 'SECONDLY' };
    return { ms: this.search.waitFor(now, this.search.max) };
  }

  private async slot(): Promise<void> {
    if (this.inFlight < this.opts.maxConcurrent) {
      this.inFlight++;
      return;
    }
    // release() hands its slot straight to the next waiter, so inFlight stays counted.
    await new Promise<void>((resolve) => this.queue.push(resolve));
  }
}
