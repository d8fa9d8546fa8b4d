import { hubspot } from '@hubspot/ui-extensions';
import type { z } from 'zod';
import {
  apiErrorSchema,
  companyCardSchema,
  contactCardSchema,
  logResponseResultSchema,
  sendSurveyResultSchema,
  type CompanyCard,
  type ContactCard,
  type LogResponseBody,
  type LogResponseResult,
  type SendSurveyBody,
  type SendSurveyResult,
} from './contract';

// The cards' only way to the backend. hubspot.fetch needs a full HTTPS URL listed in app-hsmeta.json
// permittedUrls.fetch (local.json proxies it to localhost during `hs project dev`); HubSpot signs the request
// and appends portalId/userId/userEmail/appId, so the backend learns the portal from signed data only.

export const BACKEND_URL = 'https://nps.example.com';
/** HubSpot's ceiling is 15 s including the connect time; leave room for its one retry on 5xx to count. */
export const REQUEST_TIMEOUT_MS = 12_000;

export class CardApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly quietUntil?: string,
  ) {
    super(message);
    this.name = 'CardApiError';
  }
}

type Method = 'GET' | 'POST';

async function call<S extends z.ZodType>(
  method: Method,
  path: string,
  schema: S,
  body?: Record<string, unknown>,
): Promise<z.infer<S>> {
  let response: Response;
  try {
    response = await hubspot.fetch(`${BACKEND_URL}${path}`, {
      method,
      timeout: REQUEST_TIMEOUT_MS,
      ...(body ? { body } : {}),
    });
  } catch (err) {
    throw new CardApiError(
      0,
      'network_error',
      `NPS Loop could not be reached (${(err as Error).message || 'network error'})`,
    );
  }
  const json: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const parsed = apiErrorSchema.safeParse(json);
    if (parsed.success)
      throw new CardApiError(
        response.status,
        parsed.data.error.code,
        parsed.data.error.message,
        parsed.data.error.quietUntil,
      );
    throw new CardApiError(response.status, 'http_error', `NPS Loop answered ${response.status}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw new CardApiError(
      response.status,
      'invalid_response',
      'NPS Loop sent data this card does not understand; reload the page after an update',
    );
  return parsed.data;
}

/** A fresh idempotency key per user action: HubSpot's automatic retry repeats the key, a second click does not. */
export function newRequestKey(): string {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
}

export const cardApi = {
  contactCard: (contactId: string): Promise<ContactCard> =>
    call('GET', `/api/card/contacts/${encodeURIComponent(contactId)}`, contactCardSchema),
  companyCard: (companyId: string): Promise<CompanyCard> =>
    call('GET', `/api/card/companies/${encodeURIComponent(companyId)}`, companyCardSchema),
  sendSurvey: (contactId: string, body: SendSurveyBody): Promise<SendSurveyResult> =>
    call('POST', `/api/card/contacts/${encodeURIComponent(contactId)}/surveys`, sendSurveyResultSchema, body),
  logResponse: (contactId: string, body: LogResponseBody): Promise<LogResponseResult> =>
    call('POST', `/api/card/contacts/${encodeURIComponent(contactId)}/responses`, logResponseResultSchema, body),
};

export type CardApi = typeof cardApi;
