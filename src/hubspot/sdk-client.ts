import type { Db } from '../storage';
import type { Logger } from '../shared';
import type { Metrics } from '../shared';
import { DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { metadataMethods } from './metadata';
import { objectMethods } from './objects';
import type { HubSpotClient, HubSpotPortal } from './client';
import { DEFAULT_RATE_LIMIT, type RateLimitOptions } from './rate-limiter';
import { sharedSchedule } from './rate-budget.repo';
import { realTiming, type Timing } from './timing';
import type { TokenProvider } from './tokens';
import { createTransport } from './transport';

// The HubSpot client over @hubspot/api-client. Each call is paced per portal, retried and typed by the transport;
// this module only composes the object and metadata methods for one portal.

export interface HubSpotClientOptions {
  /** API root, e.g. https://api.hubapi.com or the sandbox's URL. */
  baseUrl: string;
  tokens: TokenProvider;
  logger: Logger;
  metrics: Metrics;
  /** Per-attempt timeout. Default 30 s. */
  timeoutMs?: number;
  /** Attempts per call for 5xx, network errors and timeouts. Default 5. */
  maxAttempts?: number;
  backoff?: Partial<BackoffOptions>;
  rateLimit?: RateLimitOptions;
  /** Clock, sleep and jitter source (tests make waits instant). */
  timing?: Timing;
  /**
   * On Postgres, app copies share each portal's call schedule through it (HubSpot's limits count per portal across
   * processes). PGlite is one process: its own pacing suffices.
   */
  db?: Db;
}

export function createHubSpotClient(opts: HubSpotClientOptions): HubSpotClient {
  const transport = createTransport({
    baseUrl: opts.baseUrl.replace(/\/+$/, ''),
    tokens: opts.tokens,
    logger: opts.logger,
    metrics: opts.metrics,
    timeoutMs: opts.timeoutMs ?? 30_000,
    maxAttempts: Math.max(1, opts.maxAttempts ?? 5),
    backoff: { ...DEFAULT_BACKOFF, ...opts.backoff },
    rateLimit: { ...DEFAULT_RATE_LIMIT, ...opts.rateLimit },
    timing: opts.timing ?? realTiming,
    sharedSchedule: opts.db?.engine === 'postgres' ? sharedSchedule(opts.db) : undefined,
  });
  const portals = new Map<number, HubSpotPortal>();
  return {
    forPortal(portalId) {
      let portal = portals.get(portalId);
      if (!portal) {
        const send = (call: Parameters<typeof transport.send>[1]) => transport.send(portalId, call);
        portal = { portalId, ...objectMethods(send), ...metadataMethods(send) };
        portals.set(portalId, portal);
      }
      return portal;
    },
  };
}
