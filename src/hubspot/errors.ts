import { AppError } from '../shared';
// Typed HubSpot failures. Every message names the request (method + path, never the query or a token) so a log
// line or a job failure says which call failed. `status` is HubSpot's HTTP status (0 when no answer arrived).

export interface RequestLabel {
  method: string;
  path: string;
  portalId?: number;
}

export interface HubSpotErrorInit extends RequestLabel {
  status: number;
  category: string;
  message: string;
  correlationId?: string;
  /** The parsed error body, when HubSpot sent JSON. */
  body?: unknown;
}

export class HubSpotError extends Error {
  readonly status: number;
  readonly category: string;
  readonly correlationId?: string;
  readonly method: string;
  readonly path: string;
  readonly portalId?: number;
  readonly body?: unknown;
  /** HubSpot's own message, without our request prefix. */
  readonly hubspotMessage: string;

  constructor(init: HubSpotErrorInit) {
    const where = `HubSpot ${init.method} ${init.path}${init.portalId !== undefined ? ` (portal ${init.portalId})` : ''}`;
    super(`${where} failed with ${init.status || 'no response'} ${init.category}: ${init.message}`);
    this.name = new.target.name;
    this.status = init.status;
    this.category = init.category;
    this.correlationId = init.correlationId;
    this.method = init.method;
    this.path = init.path;
    this.portalId = init.portalId;
    this.body = init.body;
    this.hubspotMessage = init.message;
  }
}

/** 401: the token was refused even after one refresh. */
export class HubSpotAuthError extends HubSpotError {}

/** 403: usually a scope the install lacks (category MISSING_SCOPES). */
class HubSpotForbiddenError extends HubSpotError {}

export class HubSpotNotFoundError extends HubSpotError {}

/** 409, e.g. "Contact already exists. Existing ID: 123". */
export class HubSpotConflictError extends HubSpotError {
  /** The id HubSpot names as already existing, when it does. */
  get existingId(): string | undefined {
    return /Existing ID:\s*(\d+)/i.exec(this.hubspotMessage)?.[1];
  }
}

export interface PropertyError {
  /** The property name, e.g. "nps_score". */
  name: string;
  /** HubSpot's code, e.g. PROPERTY_DOESNT_EXIST, INVALID_OPTION, INVALID_INTEGER, READ_ONLY_VALUE. */
  error: string;
  message: string;
}

/** 400: bad input; `propertyErrors` lists per-property problems HubSpot reported. */
export class HubSpotValidationError extends HubSpotError {
  readonly propertyErrors: PropertyError[];
  constructor(init: HubSpotErrorInit) {
    super(init);
    this.propertyErrors = parsePropertyErrors(init.body, init.message);
  }
}

/** 429 that outlasted the wait we are willing to absorb (e.g. the daily limit); retry at `retryAt`. */
export class HubSpotRateLimitError extends HubSpotError {
  constructor(
    init: HubSpotErrorInit,
    readonly policy: string,
    readonly retryAt: Date,
  ) {
    super(init);
  }
}

/** 5xx, network failure or timeout that persisted through every retry. */
export class HubSpotUnavailableError extends HubSpotError {}

/** Where HubSpot's OAuth token endpoint lives (date-versioned; the v1 endpoints are sunset on 2027-02-16). */
const OAUTH_TOKEN_PATH = '/oauth/2026-03/token';

/**
 * HubSpot's token endpoint could not refresh a portal's token right now: a 429, a 5xx, a timeout, or our own
 * client id/secret refused. The portal stays installed and callers retry later, so `status` is 503 for every
 * caller's retry logic; `hubspotStatus` is what HubSpot answered (0: no answer).
 */
export class TokenRefreshUnavailableError extends HubSpotUnavailableError {
  constructor(
    portalId: number,
    readonly hubspotStatus: number,
    category: string,
    message: string,
    /** No new refresh attempt before this time. */
    readonly retryAt: Date,
  ) {
    super({ method: 'POST', path: OAUTH_TOKEN_PATH, portalId, status: 503, category, message });
  }
}

/** The portal cannot be called: unknown, uninstalled, or HubSpot refused to refresh its token. */
export class PortalNotConnectedError extends HubSpotAuthError {
  constructor(
    portalId: number,
    readonly reason: 'unknown' | 'uninstalled' | 'refresh_refused',
    detail: string,
  ) {
    super({
      method: 'TOKEN',
      path: OAUTH_TOKEN_PATH,
      portalId,
      status: 401,
      category: 'PORTAL_NOT_CONNECTED',
      message: detail,
    });
  }
}

const errorBodyShape = (body: unknown): Record<string, unknown> =>
  typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};

/** Builds the typed error for an HTTP answer. `text` is the raw body (HTML from the edge is common on 502/503). */
export function errorFromResponse(label: RequestLabel, status: number, text: string): HubSpotError {
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  const b = errorBodyShape(body);
  const message =
    typeof b.message === 'string'
      ? b.message
      : body === undefined && text
        ? `non-JSON answer: ${summariseText(text)}`
        : `HTTP ${status}`;
  const category =
    typeof b.category === 'string'
      ? b.category
      : typeof b.errorType === 'string'
        ? b.errorType
        : typeof b.status === 'string' && b.status !== 'error'
          ? b.status
          : defaultCategory(status);
  const init: HubSpotErrorInit = {
    ...label,
    status,
    category,
    message,
    body,
    correlationId: typeof b.correlationId === 'string' ? b.correlationId : undefined,
  };
  if (status === 400) return new HubSpotValidationError(init);
  if (status === 401) return new HubSpotAuthError(init);
  if (status === 403) return new HubSpotForbiddenError(init);
  if (status === 404) return new HubSpotNotFoundError(init);
  if (status === 409) return new HubSpotConflictError(init);
  if (status >= 500) return new HubSpotUnavailableError(init);
  return new HubSpotError(init);
}

function defaultCategory(status: number): string {
  if (status === 429) return 'RATE_LIMIT';
  if (status >= 500) return 'UNAVAILABLE';
  return 'HTTP_ERROR';
}

/** The first words of an HTML/text body: enough to tell a Cloudflare 502 page from something else. */
function summariseText(text: string): string {
  const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1];
  const plain = (title ?? text.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
  return plain.length > 120 ? `${plain.slice(0, 120)}…` : plain;
}

/**
 * HubSpot reports property problems two ways: embedded in `message` as
 * `Property values were not valid: [{"name":"x","error":"PROPERTY_DOESNT_EXIST",...}]`, or as
 * `errors: [{ code, message, context: { propertyName: [...] } }]`. Both become PropertyError[].
 */
function parsePropertyErrors(body: unknown, message: string): PropertyError[] {
  const found: PropertyError[] = [];
  const marker = message.indexOf('[');
  if (/not valid/i.test(message) && marker >= 0) {
    try {
      const list: unknown = JSON.parse(message.slice(marker));
      if (Array.isArray(list)) {
        for (const item of list) {
          const e = errorBodyShape(item);
          if (typeof e.name === 'string')
            found.push({ name: e.name, error: String(e.error ?? 'INVALID'), message: String(e.message ?? '') });
        }
      }
    } catch {
      // The embedded list was not JSON; the structured `errors` below may still name the properties.
    }
  }
  const errors = errorBodyShape(body).errors;
  if (Array.isArray(errors)) {
    for (const item of errors) {
      const e = errorBodyShape(item);
      const names = errorBodyShape(e.context).propertyName;
      for (const name of Array.isArray(names) ? names : []) {
        if (typeof name === 'string' && !found.some((f) => f.name === name)) {
          found.push({ name, error: String(e.code ?? 'INVALID'), message: String(e.message ?? '') });
        }
      }
    }
  }
  return found;
}

/**
 * Ids a batch error blames: `context.ids` (HubSpot's structured form) or, for not-found errors only, "id 123" in
 * the message (other messages carry numbers that are not record ids).
 */
export function idsNamedByError(err: HubSpotError): string[] {
  const b = errorBodyShape(err.body);
  const ids = new Set<string>();
  const collect = (ctx: unknown) => {
    const list = errorBodyShape(ctx).ids;
    if (Array.isArray(list)) for (const id of list) ids.add(String(id));
  };
  collect(b.context);
  if (Array.isArray(b.errors)) for (const e of b.errors) collect(errorBodyShape(e).context);
  if (err.status === 404 || err.category === 'OBJECT_NOT_FOUND') {
    for (const m of err.hubspotMessage.matchAll(/\bid[:\s=]+"?(\d+)/gi)) ids.add(m[1] as string);
  }
  return [...ids];
}

/**
 * How a HubSpot failure that escapes a request handler is answered: never a 500, since the fault is upstream.
 * A disconnected portal is a 409, a rate limit a 503 (HubSpot will be ready later), anything else a 502.
 */
export function hubspotErrorToHttp(err: unknown): AppError | undefined {
  if (err instanceof PortalNotConnectedError)
    return new AppError(
      409,
      'portal_not_connected',
      `HubSpot account ${err.portalId} is not connected to NPS Loop (reinstall the app)`,
    );
  if (err instanceof HubSpotRateLimitError)
    return new AppError(503, 'hubspot_rate_limited', 'HubSpot rate limit reached; try again shortly');
  if (err instanceof HubSpotError)
    return new AppError(
      502,
      'hubspot_unavailable',
      `HubSpot could not complete the request (${err.method} ${err.path} → ${err.status || 'no answer'})`,
    );
  return undefined;
}
