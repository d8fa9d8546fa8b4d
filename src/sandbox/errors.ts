import { randomUUID } from 'node:crypto';

/**
 * HubSpot's JSON error envelope. Every sandbox failure is thrown as a HubSpotError and turned into
 * this wire shape by one handler, so routes never hand-craft error bodies.
 */
export class HubSpotError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body.message === 'string' ? body.message : `HubSpot error ${status}`);
  }
}

export function correlationId(): string {
  return randomUUID();
}

export function apiError(
  status: number,
  category: string,
  message: string,
  extra: Record<string, unknown> = {},
): HubSpotError {
  return new HubSpotError(status, { status: 'error', message, correlationId: correlationId(), category, ...extra });
}

export const notFound = (message = 'resource not found'): HubSpotError => apiError(404, 'OBJECT_NOT_FOUND', message);

export const badRequest = (message: string, extra: Record<string, unknown> = {}): HubSpotError =>
  apiError(400, 'VALIDATION_ERROR', message, extra);

export const conflict = (message: string): HubSpotError => apiError(409, 'CONFLICT', message);

/** One entry of the `Property values were not valid: [...]` list HubSpot embeds inside `message`. */
export interface PropertyProblem {
  name: string;
  error: string;
  message: string;
}

export function propertyValidationError(portalId: number, problems: PropertyProblem[]): HubSpotError {
  const details = problems.map((p) => ({
    isValid: false,
    message: p.message,
    error: p.error,
    name: p.name,
    localizedErrorMessage: p.message,
    portalId,
  }));
  return badRequest(`Property values were not valid: ${JSON.stringify(details)}`);
}

/** The edge (CDN) answers 502/503/504 with HTML, not HubSpot JSON; clients must not assume JSON. */
export function edgeHtml(status: 502 | 503 | 504): string {
  const title = { 502: '502 Bad Gateway', 503: '503 Service Temporarily Unavailable', 504: '504 Gateway Time-out' }[
    status
  ];
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n`;
}
