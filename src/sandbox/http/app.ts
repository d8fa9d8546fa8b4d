import express, { type ErrorRequestHandler, type Express } from 'express';
import type { FaultInjector } from '../platform/faults';
import type { OAuthServer } from '../platform/oauth';
import type { RateLimiter } from '../platform/rate-limit';
import type { Sandbox } from '../sandbox-contract';
import type { SandboxStore } from '../store';
import type { CallbackLog } from '../workflow/callbacks';
import { associationsRouter } from './association-routes';
import { authenticate } from './auth';
import { automationRouter } from './automation-routes';
import { batchRouter } from './batch-routes';
import { cardProxyRouter } from '../card-proxy/routes';
import { controlPageRouter } from './control-page';
import { controlRouter } from './control-routes';
import { apiError, correlationId, HubSpotError } from '../errors';
import { listsRouter } from './list-routes';
import { installControlRouter, requireScopes } from './install-routes';
import { oauthRouter } from './oauth-routes';
import { objectsRouter } from './objects-routes';
import { pipelinesAndOwnersRouter } from './pipeline-owner-routes';
import { propertiesRouter } from './property-routes';
import { searchRouter } from './search-routes';

export interface AppDeps {
  store: SandboxStore;
  oauth: OAuthServer;
  rateLimits: RateLimiter;
  faults: FaultInjector;
  callbacks: CallbackLog;
  /** The sandbox itself, for the control API (resolved lazily: it is built after the app). */
  control: () => Sandbox;
}

/**
 * Order matters: control calls are never faulted or limited; API calls pass faults (the edge), then
 * OAuth endpoints (no bearer token), then authentication and rate limiting, and only then is the
 * body parsed and a route run. Anything rejected on the way has not touched state.
 */
export function buildApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use((_req, res, next) => {
    res.locals.startedAt = new Date().toISOString();
    next();
  });
  app.use('/_sandbox/card-proxy', express.json({ limit: '5mb' }), cardProxyRouter(deps.control));
  app.use(
    '/_sandbox',
    express.json({ limit: '5mb' }),
    installControlRouter(deps.oauth, () => deps.control().defaultPortalId),
  );
  app.use('/_sandbox', express.json({ limit: '5mb' }), controlRouter(deps.control));
  app.use(
    '/_control',
    express.json(),
    express.urlencoded({ extended: false, limit: '10kb' }),
    controlPageRouter(deps.control),
  );
  app.get('/', (_req, res) => res.redirect(302, '/_control'));
  app.use(deps.faults.middleware());
  app.use(oauthRouter(deps.oauth));
  app.use(authenticate(deps.store, deps.oauth, deps.rateLimits));
  app.use(requireScopes(deps.oauth));
  app.use(express.json({ limit: '10mb' }));
  app.use('/crm/v3/objects', searchRouter(), batchRouter(), objectsRouter());
  app.use('/crm/v4', associationsRouter());
  app.use('/crm/v3/properties', propertiesRouter());
  app.use('/crm/v3/lists', listsRouter());
  app.use('/crm/v3', pipelinesAndOwnersRouter());
  app.use('/automation/v4', automationRouter(deps.callbacks));
  app.use((req, _res, next) => next(apiError(404, 'OBJECT_NOT_FOUND', `No route for ${req.method} ${req.path}`)));
  app.use(errorHandler);
  return app;
}

const errorHandler: ErrorRequestHandler = (error, _req, res, _next) => {
  if (res.headersSent) return;
  if (error instanceof HubSpotError) {
    res.status(error.status).set(error.headers).json(error.body);
    return;
  }
  const parseFailure = (error as { type?: string }).type === 'entity.parse.failed';
  const tooLarge = (error as { type?: string }).type === 'entity.too.large';
  if (parseFailure || tooLarge) {
    res.status(tooLarge ? 413 : 400).json({
      status: 'error',
      message: `Invalid input JSON: ${(error as Error).message}`,
      correlationId: correlationId(),
      category: 'VALIDATION_ERROR',
    });
    return;
  }
  // Sandbox bugs surface with their message: this is a test tool, not a production API.
  res.status(500).json({
    status: 'error',
    message: `internal error: ${(error as Error).message}`,
    correlationId: correlationId(),
    category: 'INTERNAL_ERROR',
  });
};
