import { hubspot } from '@hubspot/ui-extensions';
import type { z } from 'zod';
import {
  apiErrorSchema,
  cardOutcomeSchema,
  type CardOutcomeCode,
  companyCardSchema,
  contactCardSchema,
  dashboardLinkSchema,
  type DashboardLink,
  excludeAnswerResultSchema,
  type ExcludeAnswerBody,
  type ExcludeAnswerResult,
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
// permittedUrls.fetch (local.json proxies it to localhost during `hs project dev`); HubSpot signs the request.
// No HubSpot doc says hubspot.fetch appends portalId/userId/userEmail (HubSpot's own legacy-card converter adds
// them from `context`; only appId is documented as automatic), so the card sends them itself; the signature
// covers them, and the backend accepts HubSpot's copies too when they agree.

export const BACKEND_URL = 'https://nps.example.com';
/** HubSpot's ceiling is 15 s including the connect time; leave room for its one retry on 5xx to count. */
export const REQUEST_TIMEOUT_MS = 12_000;

export class CardApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly quietUntil?: string,
    /** A business outcome (HTTP 200 `{ outcome }`) rather than a failure. */
    readonly outcome?: CardOutcomeCode,
  ) {
    super(message);
    this.name = 'CardApiError';
  }
}

/** The parts of a card's `context` sent along: the user and portal the request is made for. */
export interface CardUserContext {
  portal: { id: number };
  user: { id: number; email: string };
}

/** Query parameters naming portal and user (HubSpot's converter sends the same three). */
function contextQuery(context: CardUserContext): string {
  return new URLSearchParams({
    portalId: String(context.portal.id),
    userId: String(context.user.id),
    userEmail: context.user.email,
  }).toString();
}

/** HubSpot's proxy wraps failures as `{ status: 'error', category, message }`, possibly with HTTP 200. */
function proxyEnvelope(json: unknown): { category: string; message: string; appStatus?: number } | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const e = json as { status?: unknown; category?: unknown; message?: unknown; context?: unknown };
  if (e.status !== 'error' || typeof e.category !== 'string') return undefined;
  const appStatus = (e.context as { appServerStatusCode?: unknown[] } | undefined)?.appServerStatusCode?.[0];
  return {
    category: e.category,
    message: typeof e.message === 'string' ? e.message : e.category,
    ...(appStatus !== undefined && !Number.isNaN(Number(appStatus)) ? { appStatus: Number(appStatus) } : {}),
  };
}

type Method = 'GET' | 'POST';

async function call<S extends z.ZodType>(
  context: CardUserContext,
  method: Method,
  path: string,
  schema: S,
  body?: Record<string, unknown>,
): Promise<z.infer<S>> {
  let response: Response;
  try {
    response = await hubspot.fetch(`${BACKEND_URL}${path}?${contextQuery(context)}`, {
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
  const envelope = proxyEnvelope(json);
  if (envelope) {
    const status = envelope.appStatus ?? (response.ok ? 502 : response.status);
    throw new CardApiError(
      status,
      envelope.category.toLowerCase(),
      `NPS Loop could not answer (${envelope.appStatus ? `HTTP ${envelope.appStatus}` : envelope.message})`,
    );
  }
  const outcome = cardOutcomeSchema.safeParse(json);
  if (response.ok && outcome.success)
    throw new CardApiError(
      response.status,
      outcome.data.outcome,
      outcome.data.message,
      outcome.data.quietUntil,
      outcome.data.outcome,
    );
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

/**
 * The card API for one card's context. Business outcomes (needs confirmation, survey pending, opted out, …)
 * reject with a CardApiError whose `outcome` is set; failures reject with one without.
 */
export function createCardApi(context: CardUserContext) {
  return {
    contactCard: (contactId: string): Promise<ContactCard> =>
      call(context, 'GET', `/api/card/contacts/${encodeURIComponent(contactId)}`, contactCardSchema),
    companyCard: (companyId: string): Promise<CompanyCard> =>
      call(context, 'GET', `/api/card/companies/${encodeURIComponent(companyId)}`, companyCardSchema),
    sendSurvey: (contactId: string, body: SendSurveyBody): Promise<SendSurveyResult> =>
      call(
        context,
        'POST',
        `/api/card/contacts/${encodeURIComponent(contactId)}/surveys`,
        sendSurveyResultSchema,
        body,
      ),
    /** A one-time, two-minute dashboard sign-in link for this portal and user ("Open NPS dashboard"). */
    dashboardLink: (): Promise<DashboardLink> =>
      call(context, 'POST', '/api/card/dashboard-link', dashboardLinkSchema, {}),
    logResponse: (contactId: string, body: LogResponseBody): Promise<LogResponseResult> =>
      call(
        context,
        'POST',
        `/api/card/contacts/${encodeURIComponent(contactId)}/responses`,
        logResponseResultSchema,
        body,
      ),
    /** Excludes one of the contact's answers (a 404 when it is not this contact's). */
    excludeAnswer: (contactId: string, responseId: string, body: ExcludeAnswerBody): Promise<ExcludeAnswerResult> =>
      call(
        context,
        'POST',
        `/api/card/contacts/${encodeURIComponent(contactId)}/answers/${encodeURIComponent(responseId)}/exclude`,
        excludeAnswerResultSchema,
        body,
      ),
  };
}

export type CardApi = ReturnType<typeof createCardApi>;
export type { DashboardLink };
