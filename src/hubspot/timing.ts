// Time, sleeping and randomness are injected so rate limiting, backoff and timeouts can be tested without waiting.
export interface Timing {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Uniform in [0, 1): jitter for backoff. */
  random(): number;
}

export const realTiming: Timing = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
  random: () => Math.random(),
};
