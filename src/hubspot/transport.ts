import { Client } from '@hubspot/api-client';
import type { Logger } from '../shared';
import type { Metrics } from '../shared';
import { backoffDelay, parseRetryAfter, type BackoffOptions } from './backoff';
import {
  errorFromResponse,
  HubSpotRateLimitError,
  HubSpotUnavailableError,
  type HubSpotError,
  type RequestLabel,
} from './errors';
import { PortalRateLimiter, RateLimitPause, type CallKind, type RateLimitOptions } from './rate-limiter';
import type { ReserveSlot } from './rate-budget.repo';
import type { Timing } from './timing';
import type { TokenProvider } from './tokens';

// Every HubSpot call goes through send(): token → per-portal limiter → one SDK request with a timeout →
// headers fed back to the limiter → 429 absorbed, 401 refreshed once, 5xx/network/timeout retried with backoff,
// anything else turned into a typed error. The SDK's own retries and limiter stay off (HUBSPOT.md §5.2): its
// decorator config is process-global, it ignores Retry-After and waits 10 s × attempt on 429s.

export interface ApiCall {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path without query string; it names the call in errors and logs. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** CRM search has its own limit and no rate-limit headers. */
  kind?: CallKind;
  /**
   * false for creates: when the answer is lost (timeout, 5xx) the record may exist already, so such a call is
   * retried only after failures that prove HubSpot did not process it (429, 503, connection never made).
   */
  idempotent?: boolean;
}

export interface ApiAnswer {
  status: number;
  body: unknown;
}

export interface TransportOptions {
  baseUrl: string;
  tokens: TokenProvider;
  logger: Logger;
  metrics: Metrics;
  timeoutMs: number;
  /** Attempts for one call when it fails with 5xx, a network error or a timeout (429s do not count). */
  maxAttempts: number;
  backoff: BackoffOptions;
  rateLimit: Required<RateLimitOptions>;
  timing: Timing;
  /** The per-portal call schedule shared by every app copy on one Postgres; absent when this process is alone. */
  sharedSchedule?: ReserveSlot;
}

export interface Transport {
  send(portalId: number, call: ApiCall): Promise<ApiAnswer>;
}

// Connection-level failures where the request never reached HubSpot.
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
// A floor under 429 pauses, so a Retry-After of 0 cannot spin.
const MIN_RATE_LIMIT_PAUSE_MS = 200;

type Outcome =
  | { type: 'response'; status: number; header(name: string): string | null; text: string }
  | { type: 'timeout' }
  | { type: 'network'; code?: string; message: string };

export function createTransport(opts: TransportOptions): Transport {
  const log = opts.logger.child({ module: 'hubspot' });
  const limiters = new Map<number, PortalRateLimiter>();
  const limiterFor = (portalId: number) => {
    let limiter = limiters.get(portalId);
    if (!limiter) {
      const shared = opts.sharedSchedule;
      limiter = new PortalRateLimiter(
        opts.rateLimit,
        opts.timing,
        shared && ((kind, spacing) => shared(portalId, kind, spacing)),
      );
      limiters.set(portalId, limiter);
    }
    return limiter;
  };

  async function invoke(token: string, call: ApiCall): Promise<Outcome> {
    // One light client per call: the token may have been refreshed, and with no retries/limiter configured every
    // Client leaves the SDK's process-wide decorator list empty.
    const client = new Client({ accessToken: token, basePath: opts.baseUrl });
    const request = client.apiRequest({ method: call.method, path: call.path, qs: call.query, body: call.body });
    let timer: NodeJS.Timeout | undefined;
    // Real timers on purpose: this bounds real I/O, while backoff and pacing use the injected timing.
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), opts.timeoutMs)));
    try {
      const res = await Promise.race([request, timeout]);
      if (res === 'timeout') {
        // The SDK offers no abort; drain the late answer so its socket goes back to the pool.
        request.then((late) => late.text()).catch(() => undefined);
        return { type: 'timeout' };
      }
      const text = await res.text();
      return { type: 'response', status: res.status, header: (name) => res.headers.get(name), text };
    } catch (err) {
      const e = err as { code?: string; errno?: string; message?: string };
      return { type: 'network', code: e.code ?? e.errno, message: e.message ?? String(err) };
    } finally {
      clearTimeout(timer);
    }
  }

  async function send(portalId: number, call: ApiCall): Promise<ApiAnswer> {
    const label: RequestLabel = { method: call.method, path: call.path, portalId };
    const portal = String(portalId);
    const kind = call.kind ?? 'standard';
    const limiter = limiterFor(portalId);
    const deadline = opts.timing.now() + opts.rateLimit.maxWaitMs;
    let failures = 0;
    let reauthorized = false;

    for (let attempt = 1; ; attempt++) {
      const token = await opts.tokens.getAccessToken(portalId);
      let permit;
      try {
        permit = await limiter.acquire(kind, deadline);
      } catch (err) {
        if (err instanceof RateLimitPause) throw rateLimitError(label, err.policy, err.until);
        throw err;
      }
      const started = opts.timing.now();
      let outcome: Outcome;
      try {
        outcome = await invoke(token, call);
      } finally {
        limiter.release();
      }
      const ms = opts.timing.now() - started;

      if (outcome.type !== 'response') {
        opts.metrics.hubspotCalls.inc({ portal, status: outcome.type });
        const message =
          outcome.type === 'timeout'
            ? `no answer within ${opts.timeoutMs} ms`
            : `network error ${outcome.code ?? ''} ${outcome.message}`.trim();
        const mayRetry =
          call.idempotent !== false || (outcome.type === 'network' && NEVER_SENT.has(outcome.code ?? ''));
        if (mayRetry && ++failures < opts.maxAttempts) {
          const delay = backoffDelay(failures, opts.backoff, opts.timing.random());
          log.warn(
            { portalId, method: call.method, path: call.path, attempt, delay, failure: outcome.type },
            'HubSpot call failed; retrying',
          );
          await opts.timing.sleep(delay);
          continue;
        }
        throw new HubSpotUnavailableError({
          ...label,
          status: 0,
          category: outcome.type === 'timeout' ? 'TIMEOUT' : 'NETWORK_ERROR',
          message,
        });
      }

      const { status, text, header } = outcome;
      limiter.observe(permit, header);
      opts.metrics.hubspotCalls.inc({ portal, status: String(status) });
      log.debug({ portalId, method: call.method, path: call.path, status, ms, attempt }, 'HubSpot call');

      if (status < 300) return { status, body: parseBody(label, status, text) };

      const retryAfter = parseRetryAfter(header('retry-after'), opts.timing.now());
      if (status === 429) {
        const policy = policyOf(text, kind);
        opts.metrics.hubspot429s.inc({ portal, policy });
        log.debug({ portalId, path: call.path, policy, retryAfter }, 'HubSpot rate limit hit; pausing the portal');
        limiter.onRateLimited(
          kind,
          policy,
          retryAfter === undefined ? undefined : Math.max(MIN_RATE_LIMIT_PAUSE_MS, retryAfter),
        );
        continue;
      }
      if (status === 401 && !reauthorized && opts.tokens.onUnauthorized) {
        reauthorized = true;
        await opts.tokens.onUnauthorized(portalId, token);
        continue;
      }
      const error = errorFromResponse(label, status, text);
      const mayRetry = status >= 500 && (call.idempotent !== false || status === 503);
      if (mayRetry && ++failures < opts.maxAttempts) {
        const delay = Math.max(
          backoffDelay(failures, opts.backoff, opts.timing.random()),
          Math.min(retryAfter ?? 0, opts.backoff.maxMs),
        );
        log.warn(
          { portalId, method: call.method, path: call.path, attempt, delay, status },
          'HubSpot answered 5xx; retrying',
        );
        await opts.timing.sleep(delay);
        continue;
      }
      throw error;
    }
  }

  return { send };
}

function parseBody(label: RequestLabel, status: number, text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new HubSpotUnavailableError({
      ...label,
      status,
      category: 'INVALID_RESPONSE',
      message: 'the answer was not JSON',
    });
  }
}

function policyOf(text: string, kind: CallKind): string {
  try {
    const body = JSON.parse(text) as { policyName?: unknown; message?: unknown };
    if (typeof body.policyName === 'string') return body.policyName;
    if (typeof body.message === 'string' && /secondly limit/i.test(body.message) && !/ten_secondly/i.test(body.message))
      return 'SECONDLY';
  } catch {
    // A 429 without a JSON body still pauses the portal, under the default policy below.
  }
  return kind === 'search' ? 'SECONDLY' : 'TEN_SECONDLY_ROLLING';
}

function rateLimitError(label: RequestLabel, policy: string, until: number): HubSpotError {
  const retryAt = new Date(until);
  return new HubSpotRateLimitError(
    {
      ...label,
      status: 429,
      category: 'RATE_LIMIT',
      message: `${policy} limit reached; HubSpot accepts calls again at ${retryAt.toISOString()}`,
    },
    policy,
    retryAt,
  );
}
