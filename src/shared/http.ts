import express, { type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import { randomUUID } from 'node:crypto';
import type { Logger } from './logger';
import { AppError, NotFoundError, TooManyRequestsError } from './errors';

declare module 'express-serve-static-core' {
  interface Request {
    /** The exact bytes received, kept for signature checks. */
    rawBody?: Buffer;
    id?: string;
    log?: Logger;
  }
}

const BODY_LIMIT = '1mb';

/** JSON body parser that keeps the raw bytes for HubSpot signature verification. */
export function jsonWithRawBody(): RequestHandler {
  return express.json({
    limit: BODY_LIMIT,
    type: ['application/json', 'application/*+json'],
    strict: false,
    verify: (req, _res, buf) => {
      (req as Request).rawBody = Buffer.from(buf);
    },
  });
}

/** Form parser for the survey page and dashboard forms (keeps the raw bytes too). */
export function formBody(): RequestHandler {
  // 5,000-character comment and follow-up answer in non-Latin script, percent-encoded, fit with room to spare.
  return express.urlencoded({ extended: false, limit: '256kb', parameterLimit: 50 });
}

export function requestContext(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    req.id = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    req.log = logger.child({ reqId: req.id });
    res.setHeader('x-request-id', req.id);
    next();
  };
}

export function notFoundHandler(): RequestHandler {
  // The answer names the path (the caller sent it); the log line does not (see routeOf).
  return (req, _res, next) => next(new NotFoundError(`no route for ${req.method} ${req.path}`, 'route_not_found'));
}

/**
 * What a log line names a request by: its route pattern (`/s/:token`), never its URL, so tokens and ids in paths
 * stay out of logs. Before a route matched (a body the parser refused, an unknown path): the first path segment.
 */
function routeOf(req: Request): string {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof pattern === 'string') return `${req.baseUrl}${pattern}`;
  const [, first = '', ...rest] = req.path.split('/');
  return `/${first}${rest.length > 0 ? '/…' : ''}`;
}

interface ParserError {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
  message?: string;
}

/** The one error handler: AppError → its status; body-parser errors → 4xx; anything else → 500 without details. */
export function errorHandler(
  logger: Logger,
  mapError: (err: unknown) => AppError | undefined = () => undefined,
): ErrorRequestHandler {
  return (thrown: unknown, req, res, _next) => {
    const err = mapError(thrown) ?? thrown;
    const log = req.log ?? logger;
    let status = 500;
    let code = 'internal_error';
    let message = 'internal error';
    if (err instanceof AppError) {
      status = err.status;
      code = err.code;
      message = err.message;
    } else if (typeof err === 'object' && err !== null) {
      const e = err as ParserError;
      const s = e.status ?? e.statusCode;
      if (s && s >= 400 && s < 500) {
        status = s;
        if (e.type === 'entity.too.large') {
          code = 'payload_too_large';
          message = `request body is larger than the ${BODY_LIMIT} limit`;
        } else if (e.type === 'entity.parse.failed') {
          code = 'invalid_json';
          message = 'request body is not valid JSON';
        } else {
          code = 'bad_request';
          message = e.expose && e.message ? e.message : 'bad request';
        }
      }
    }
    const route = routeOf(req);
    if (status >= 500) log.error({ err: thrown, route }, 'request failed');
    else log.info({ status, code, route, ...(code === 'route_not_found' ? {} : { msg: message }) }, 'request rejected');
    if (res.headersSent) return;
    res.status(status);
    if (err instanceof TooManyRequestsError) res.set('retry-after', String(err.retryAfterS));
    if (wantsHtml(req)) {
      res
        .type('html')
        .send(`<!doctype html><meta charset="utf-8"><title>${status}</title><p>${escapeHtml(message)}</p>`);
    } else {
      res.json({ error: { code, message } });
    }
  };
}

function wantsHtml(req: Request): boolean {
  return req.method === 'GET' && (req.get('accept') ?? '').includes('text/html') && !req.path.startsWith('/api/');
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attributes. */
export function escapeHtml(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}
