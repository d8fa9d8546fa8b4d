import type { Request, RequestHandler } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

// Prometheus metrics, one registry per app instance (tests build many apps in one process).
export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
  jobRuns: Counter<'queue' | 'outcome'>;
  hubspotCalls: Counter<'portal' | 'status'>;
  hubspot429s: Counter<'portal' | 'policy'>;
  webhookEvents: Counter<'outcome'>;
}

export function createMetrics(opts: { defaults?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaults) collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequests: new Counter({
      name: 'nps_http_requests_total',
      help: 'HTTP requests served',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'nps_http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    jobRuns: new Counter({
      name: 'nps_job_runs_total',
      help: 'Jobs run, by queue and outcome',
      labelNames: ['queue', 'outcome'],
      registers: [registry],
    }),
    hubspotCalls: new Counter({
      name: 'nps_hubspot_calls_total',
      help: 'HubSpot API calls, by HTTP status',
      labelNames: ['portal', 'status'],
      registers: [registry],
    }),
    hubspot429s: new Counter({
      name: 'nps_hubspot_rate_limited_total',
      help: 'HubSpot 429 answers, by policy',
      labelNames: ['portal', 'policy'],
      registers: [registry],
    }),
    webhookEvents: new Counter({
      name: 'nps_webhook_events_total',
      help: 'Webhook events received, by outcome',
      labelNames: ['outcome'],
      registers: [registry],
    }),
  };
}

/**
 * The route label of a finished request: the matched Express route pattern (e.g. `/s/:token`), or `unmatched` for
 * anything that never reached a route (404s, bodies rejected by the parsers). Never the path: every distinct label
 * value is a new series kept for the life of the process.
 */
function routeLabel(req: Request): string {
  const path: unknown = req.route?.path;
  if (typeof path !== 'string') return 'unmatched';
  return `${req.baseUrl}${path}`;
}

/** Counts and times every request, labelled by method, route pattern and status. */
export function httpMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const end = metrics.httpDuration.startTimer();
    res.on('finish', () => {
      const method = req.method;
      const route = routeLabel(req);
      metrics.httpRequests.inc({ method, route, status: String(res.statusCode) });
      end({ method, route });
    });
    next();
  };
}
