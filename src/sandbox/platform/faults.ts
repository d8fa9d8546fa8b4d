import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { correlationId, edgeHtml } from '../errors';
import { createRng, type Rng } from './random';

/**
 * Fault injection for API calls (never for `/_sandbox` control calls). Every fault is decided before
 * the route runs, so a faulted write is never applied: the client sees a failure and state is intact.
 */
export type FaultStatus = 429 | 500 | 502 | 503;

export interface FaultConfig {
  /** Fraction (0..1) of calls answered with one of `errorStatuses` instead of being served. */
  errorRate?: number;
  /** Default [429, 500, 502, 503]. 429 is a TEN_SECONDLY_ROLLING body; 502/503 are edge HTML. */
  errorStatuses?: FaultStatus[];
  /** Added latency: a fixed number of ms, or a uniform random range. */
  latencyMs?: number | { min: number; max: number };
  /** Fraction (0..1) of calls that hang (never answered, or answered 504 after `hangMs`). */
  timeoutRate?: number;
  hangMs?: number;
  /** Only calls whose path starts with one of these prefixes are faulted (default: every API call). */
  paths?: string[];
  /** Seed for the fault dice, so a failing run can be repeated. */
  seed?: number;
}

export interface FaultState extends FaultConfig {
  outageUntil: number | null;
  pendingFailures: number;
  /** `calls`: every faultable API call seen, faulted or served; the rest count the faults injected. */
  injected: { calls: number; errors: number; hangs: number; outage: number; delayed: number };
}

export class FaultInjector {
  private config: FaultConfig = {};
  private rng: Rng = createRng(1);
  private outageUntil: number | null = null;
  private queued: FaultStatus[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private injected = { calls: 0, errors: 0, hangs: 0, outage: 0, delayed: 0 };

  /** `burstMax`: the ten-second limit a 429 fault reports in its X-HubSpot-RateLimit-Max header. */
  constructor(
    config: FaultConfig = {},
    private readonly burstMax: () => number = () => 190,
  ) {
    this.set(config);
  }

  /** Replaces the random fault settings (outages and queued failures are kept). */
  set(config: FaultConfig): void {
    this.config = { ...config };
    this.rng = createRng(config.seed ?? 1);
  }

  update(config: FaultConfig): void {
    this.set({ ...this.config, ...config });
  }

  /** Removes every fault: random ones, outages and queued failures. */
  clear(): void {
    this.set({});
    this.outageUntil = null;
    this.queued = [];
  }

  /** All API calls answer 503 for `seconds`, or until `endOutage()` when no duration is given. */
  startOutage(seconds?: number): void {
    this.outageUntil = seconds === undefined ? Number.POSITIVE_INFINITY : Date.now() + seconds * 1000;
  }

  endOutage(): void {
    this.outageUntil = null;
  }

  /** The next `count` faultable calls fail with `status` — deterministic, for focused tests. */
  failNext(count: number, status: FaultStatus = 500): void {
    for (let i = 0; i < count; i++) this.queued.push(status);
  }

  state(): FaultState {
    const outage = this.outageUntil !== null && this.outageUntil > Date.now() ? this.outageUntil : null;
    return { ...this.config, outageUntil: outage, pendingFailures: this.queued.length, injected: { ...this.injected } };
  }

  /** Cancels pending delayed answers (used on shutdown). */
  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  middleware(): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      const paths = this.config.paths;
      if (paths && !paths.some((p) => req.path.startsWith(p))) return next();
      this.injected.calls++;
      if (this.outageUntil !== null && this.outageUntil > Date.now()) {
        this.injected.outage++;
        return sendFault(res, 503, this.burstMax());
      }
      const queued = this.queued.shift();
      const delay = this.delayMs();
      const roll = this.rng();
      const errorRate = this.config.errorRate ?? 0;
      const act = () => {
        if (queued !== undefined) return this.fail(res, queued);
        if (roll < errorRate) {
          const statuses = this.config.errorStatuses?.length ? this.config.errorStatuses : [429, 500, 502, 503];
          return this.fail(res, statuses[Math.floor(this.rng() * statuses.length)] as FaultStatus);
        }
        if (roll < errorRate + (this.config.timeoutRate ?? 0)) return this.hang(res);
        next();
      };
      if (delay <= 0) return act();
      this.injected.delayed++;
      this.later(delay, act);
    };
  }

  private fail(res: Response, status: FaultStatus): void {
    this.injected.errors++;
    sendFault(res, status, this.burstMax());
  }

  private hang(res: Response): void {
    this.injected.hangs++;
    if (this.config.hangMs !== undefined) {
      this.later(this.config.hangMs, () => {
        if (!res.headersSent && !res.writableEnded) res.status(504).type('text/html').send(edgeHtml(504));
      });
    }
    // Otherwise the response is simply never written; the client's own timeout has to fire.
  }

  private delayMs(): number {
    const latency = this.config.latencyMs;
    if (latency === undefined) return 0;
    if (typeof latency === 'number') return latency;
    return latency.min + this.rng() * (latency.max - latency.min);
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }
}

/** Each fault as HubSpot sends it: a 429 has its JSON body, Retry-After and the rolling-window headers at zero. */
function sendFault(res: Response, status: FaultStatus, burstMax: number): void {
  if (status === 502 || status === 503) {
    res.status(status).type('text/html').send(edgeHtml(status));
  } else if (status === 429) {
    res
      .status(429)
      .set({
        'Retry-After': '1',
        'X-HubSpot-RateLimit-Interval-Milliseconds': '10000',
        'X-HubSpot-RateLimit-Max': String(burstMax),
        'X-HubSpot-RateLimit-Remaining': '0',
      })
      .json({
        status: 'error',
        message: 'You have reached your ten_secondly_rolling limit.',
        errorType: 'RATE_LIMIT',
        correlationId: correlationId(),
        policyName: 'TEN_SECONDLY_ROLLING',
        requestId: correlationId(),
      });
  } else {
    res
      .status(500)
      .json({ status: 'error', message: 'internal error', correlationId: correlationId(), category: 'INTERNAL_ERROR' });
  }
}
