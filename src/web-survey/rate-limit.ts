// A fixed-window request counter per key (portal, portal + identity), in memory. Each app copy counts its own
// requests, so with N copies behind a balancer the effective limit is up to N times higher: enough to stop a
// script hammering one identity, cheap enough for the hot "is this contact due?" path.

export interface RateLimiter {
  /** Counts a request; false when the key is over its limit in the current window. */
  take(key: string, nowMs: number): boolean;
  /** Seconds until the current window ends. */
  retryAfterSeconds(nowMs: number): number;
}

export function createRateLimiter(limit: number, windowMs: number): RateLimiter {
  let windowStart = 0;
  let counts = new Map<string, number>();
  const roll = (nowMs: number) => {
    const start = nowMs - (nowMs % windowMs);
    if (start !== windowStart) {
      windowStart = start;
      counts = new Map();
    }
  };
  return {
    take(key, nowMs) {
      roll(nowMs);
      const n = (counts.get(key) ?? 0) + 1;
      counts.set(key, n);
      return n <= limit;
    },
    retryAfterSeconds(nowMs) {
      return Math.max(1, Math.ceil((windowStart + windowMs - nowMs) / 1000));
    },
  };
}
