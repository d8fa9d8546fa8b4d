import express, { Router, type Express } from 'express';
import type { AppDeps } from '../core/deps';
import type { Feature } from '../core/feature-contract';
import { hubspotErrorToHttp } from '../hubspot/errors';
import { httpMetrics } from '../shared/metrics';
import { errorHandler, formBody, jsonWithRawBody, notFoundHandler, requestContext } from '../shared/http';

/** Builds the HTTP app: routes of every feature plus one error handler. No listening, no environment reads. */
export function buildApp(deps: AppDeps, features: Feature[]): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.trustProxyHops > 0 ? deps.config.trustProxyHops : false);
  app.use(requestContext(deps.logger));
  app.use(httpMetrics(deps.metrics));
  app.use(jsonWithRawBody());
  app.use(formBody());
  const router = Router();
  for (const feature of features) feature.routes?.(router, deps);
  app.use(router);
  app.use(notFoundHandler());
  app.use(errorHandler(deps.logger, hubspotErrorToHttp));
  return app;
}
