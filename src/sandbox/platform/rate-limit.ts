import { correlationId, HubSpotError } from '../errors';

/**
 * HubSpot's API limits (HUBSPOT.md §5.1): a rolling 10-second burst window, a daily cap per account for non-OAuth
 * calls, and a separate 5/second limit for CRM search. Only accepted calls count.
 *
 * The pessimistic reading of HubSpot's wording ("per app", "per installing account", "per account"): every window
 * counts per portal, across all of that portal's tokens (several private-app tokens, OAuth tokens) and so across
 * every copy of the app calling it.
 */
export interface RateLimitOptions {
  /** Burst limit per portal per rolling 10 s for static (private app) tokens. */
  tenSecondlyMax?: number;
  /** Burst limit per portal per rolling 10 s for OAuth tokens; HubSpot gives marketplace apps 110. */
  oauthTenSecondlyMax?: number;
  /** Daily cap per portal for non-OAuth calls. */
  dailyMax?: number;
  /** CRM search requests per second per portal. */
  searchPerSecond?: number;
  enabled?: boolean;
}

const DEFAULT_RATE_LIMITS: Required<RateLimitOptions> = {
  tenSecondlyMax: 190,
  oauthTenSecondlyMax: 110,
  dailyMax: 625_000,
  searchPerSecond: 5,
  enabled: true,
};

export interface Caller {
  portalId: number;
  oauth: boolean;
}

class RollingWindow {
  private stamps: number[] = [];
  private head = 0;

  constructor(private readonly windowMs: number) {}

  count(now: number): number {
    while (this.head < this.stamps.length && this.stamps[this.head]! <= now - this.windowMs) this.head++;
    if (this.head > 512 && this.head > this.stamps.length / 2) {
      this.stamps = this.stamps.slice(this.head);
      this.head = 0;
    }
    return this.stamps.length - this.head;
  }

  add(now: number): void {
    this.stamps.push(now);
  }

  /** Milliseconds until the oldest call in the window leaves it. */
  retryAfterMs(now: number): number {
    return Math.max(1, (this.stamps[this.head] ?? now) + this.windowMs - now);
  }
}

/** Calls the limiter saw since the last reset: what it let through and what it answered 429 (by policy). */
export interface RateLimitStats {
  accepted: number;
  limited: number;
  limitedByPolicy: Record<string, number>;
}

export class RateLimiter {
  private options: Required<RateLimitOptions>;
  private readonly burst = new Map<number, RollingWindow>();
  private readonly search = new Map<number, RollingWindow>();
  private readonly daily = new Map<string, number>();
  private counted: RateLimitStats = { accepted: 0, limited: 0, limitedByPolicy: {} };

  constructor(options: RateLimitOptions = {}) {
    this.options = { ...DEFAULT_RATE_LIMITS, ...options };
  }

  configure(options: RateLimitOptions): void {
    this.options = { ...this.options, ...options };
  }

  settings(): Required<RateLimitOptions> {
    return { ...this.options };
  }

  reset(): void {
    this.burst.clear();
    this.search.clear();
    this.daily.clear();
    this.counted = { accepted: 0, limited: 0, limitedByPolicy: {} };
  }

  stats(): RateLimitStats {
    return { ...this.counted, limitedByPolicy: { ...this.counted.limitedByPolicy } };
  }

  /** Counts a regular API call; returns the headers to send, or throws HubSpot's 429. */
  take(caller: Caller, now = Date.now()): Record<string, string> {
    try {
      const headers = this.takeBurst(caller, now);
      this.counted.accepted++;
      return headers;
    } catch (error) {
      this.countLimited(error);
      throw error;
    }
  }

  /** Search has its own per-second limit and, as in HubSpot, no rate-limit headers at all. */
  takeSearch(caller: Caller, now = Date.now()): void {
    if (this.options.enabled) {
      const window = this.window(this.search, caller.portalId, 1000);
      if (window.count(now) >= this.options.searchPerSecond) {
        const error = rateLimited('SECONDLY', 'You have reached your secondly limit.', 1, {});
        this.countLimited(error);
        throw error;
      }
      window.add(now);
    }
    this.counted.accepted++;
  }

  private countLimited(error: unknown): void {
    if (!(error instanceof HubSpotError) || error.status !== 429) return;
    const policy = String((error.body as { policyName?: unknown }).policyName);
    this.counted.limited++;
    this.counted.limitedByPolicy[policy] = (this.counted.limitedByPolicy[policy] ?? 0) + 1;
  }

  private takeBurst(caller: Caller, now: number): Record<string, string> {
    const max = caller.oauth ? this.options.oauthTenSecondlyMax : this.options.tenSecondlyMax;
    const window = this.window(this.burst, caller.portalId, 10_000);
    const used = window.count(now);
    const dayKey = `${caller.portalId}:${new Date(now).toISOString().slice(0, 10)}`;
    const usedToday = this.daily.get(dayKey) ?? 0;
    const headers: Record<string, string> = {
      'X-HubSpot-RateLimit-Interval-Milliseconds': '10000',
      'X-HubSpot-RateLimit-Max': String(max),
      'X-HubSpot-RateLimit-Remaining': String(Math.max(0, max - used - 1)),
    };
    if (!caller.oauth) {
      headers['X-HubSpot-RateLimit-Daily'] = String(this.options.dailyMax);
      headers['X-HubSpot-RateLimit-Daily-Remaining'] = String(Math.max(0, this.options.dailyMax - usedToday - 1));
    }
    if (!this.options.enabled) return headers;
    if (!caller.oauth && usedToday >= this.options.dailyMax) {
      const midnight = Date.UTC(
        new Date(now).getUTCFullYear(),
        new Date(now).getUTCMonth(),
        new Date(now).getUTCDate() + 1,
      );
      throw rateLimited('DAILY', 'You have reached your daily limit.', Math.ceil((midnight - now) / 1000), {
        ...headers,
        'X-HubSpot-RateLimit-Remaining': '0',
        'X-HubSpot-RateLimit-Daily-Remaining': '0',
      });
    }
    if (used >= max) {
      throw rateLimited(
        'TEN_SECONDLY_ROLLING',
        'You have reached your ten_secondly_rolling limit.',
        Math.ceil(window.retryAfterMs(now) / 1000),
        { ...headers, 'X-HubSpot-RateLimit-Remaining': '0' },
      );
    }
    window.add(now);
    if (!caller.oauth) this.daily.set(dayKey, usedToday + 1);
    return headers;
  }

  private window(map: Map<number, RollingWindow>, key: number, windowMs: number): RollingWindow {
    let window = map.get(key);
    if (!window) map.set(key, (window = new RollingWindow(windowMs)));
    return window;
  }
}

function rateLimited(
  policyName: string,
  message: string,
  retryAfterSeconds: number,
  headers: Record<string, string>,
): HubSpotError {
  const body = {
    status: 'error',
    message,
    errorType: 'RATE_LIMIT',
    correlationId: correlationId(),
    policyName,
    requestId: correlationId(),
  };
  return new HubSpotError(429, body, { ...headers, 'Retry-After': String(Math.max(1, retryAfterSeconds)) });
}
