import { badRequest } from '../errors';
import { findObjectType } from '../crm/object-types';
import type { SandboxStore } from '../store';
import { workflowActionHeaders } from '../webhooks/signing';
import type { CallbackLog } from './callbacks';

/**
 * Plays HubSpot's part in a custom workflow action: POSTs a signed execution request (HUBSPOT.md §4)
 * for one enrolled record to the app's actionUrl and returns what the app answered.
 *
 * Pessimistic, as HubSpot is: an input mapped from a record property (OBJECT_PROPERTY) carries whatever the record
 * holds (hs_language = "en-us", "fr", "" when unset), every input value is sent as a string, and with `retry` a 5xx,
 * 429 or timeout is retried with the same callbackId (HubSpot retries for up to 3 days), while any other 4xx fails
 * the enrolment for good.
 */
export interface ExecuteActionRequest {
  targetUrl: string;
  portalId?: number;
  objectId: number | string;
  /** CONTACT (default), COMPANY, DEAL or TICKET. */
  objectType?: string;
  inputFields?: Record<string, unknown>;
  /**
   * Inputs mapped from properties of the enrolled record (input name → property name), as a workflow does with
   * OBJECT_PROPERTY: the property's value as stored, '' when unset. They override `inputFields` of the same name.
   */
  inputsFromProperties?: Record<string, string>;
  /** Properties of the enrolled record to send (the definition's objectRequestOptions); default: all set ones. */
  properties?: string[];
  callbackId?: string;
  workflowId?: number;
  actionDefinitionId?: number;
  timeoutMs?: number;
  /** Retry a 5xx, 429 or timeout like HubSpot: up to `attempts` calls in all (default 1), `delayMs` apart (default 500). */
  retry?: { attempts: number; delayMs?: number };
}

/** One call of the execution: the status (null on a timeout or network error). */
interface ExecutionAttempt {
  status: number | null;
  error?: string;
}

export interface ExecuteActionResult {
  callbackId: string;
  /** The last attempt's status and body. */
  status: number | null;
  body: unknown;
  error?: string;
  /**
   * What HubSpot makes of it: `completed` (2xx), `failed` (a 4xx other than 429: the enrolment fails for good),
   * `retrying` (a 5xx, 429 or timeout, and attempts are used up; HubSpot would go on retrying).
   */
  outcome: 'completed' | 'failed' | 'retrying';
  attempts: ExecutionAttempt[];
  request: { url: string; headers: Record<string, string>; body: string };
}

export interface ExecuteDeps {
  store: SandboxStore;
  callbacks: CallbackLog;
  clientSecret: () => string;
  defaultPortalId: () => number;
}

let executionCounter = 0;

export async function executeWorkflowAction(
  deps: ExecuteDeps,
  request: ExecuteActionRequest,
): Promise<ExecuteActionResult> {
  const portalId = request.portalId ?? deps.defaultPortalId();
  const portal = deps.store.portal(portalId);
  const objectTypeName = (request.objectType ?? 'CONTACT').toUpperCase();
  const type = findObjectType(objectTypeName.toLowerCase());
  if (!type) throw badRequest(`Unknown objectType ${request.objectType}`);
  const record = portal.require(type, request.objectId);
  const names = request.properties ?? Object.keys(record.properties);
  const properties = Object.fromEntries(
    names.filter((n) => record.properties[n] !== undefined).map((n) => [n, record.properties[n]]),
  );
  const callbackId = request.callbackId ?? `ap-${portalId}-${1_000_000 + ++executionCounter}-7-0`;
  const mapped = Object.fromEntries(
    Object.entries(request.inputsFromProperties ?? {}).map(([input, property]) => [
      input,
      record.properties[property] ?? '',
    ]),
  );
  const inputFields = Object.fromEntries(
    Object.entries({ ...request.inputFields, ...mapped }).map(([k, v]) => [
      k,
      v === null || v === undefined ? '' : String(v),
    ]),
  );
  const body = JSON.stringify({
    callbackId,
    origin: { portalId, actionDefinitionId: request.actionDefinitionId ?? 4711, actionDefinitionVersion: 1 },
    context: { source: 'WORKFLOWS', workflowId: request.workflowId ?? 90001 },
    object: { objectId: record.id, objectType: objectTypeName, properties },
    inputFields,
  });
  deps.callbacks.recordExecution({
    callbackId,
    portalId,
    objectId: record.id,
    targetUrl: request.targetUrl,
    sentAt: Date.now(),
    responseStatus: null,
  });
  const maxAttempts = Math.max(1, request.retry?.attempts ?? 1);
  const attempts: ExecutionAttempt[] = [];
  for (;;) {
    // Each attempt is signed afresh (a new timestamp), as HubSpot's retries are.
    const headers = workflowActionHeaders(deps.clientSecret(), request.targetUrl, body);
    const requestInfo = { url: request.targetUrl, headers, body };
    let status: number | null = null;
    let answer: unknown = null;
    let error: string | undefined;
    try {
      const response = await fetch(request.targetUrl, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(request.timeoutMs ?? 20_000),
      });
      status = response.status;
      answer = parseMaybeJson(await response.text());
    } catch (e) {
      error = (e as Error).message;
    }
    attempts.push(error === undefined ? { status } : { status, error });
    deps.callbacks.execution(callbackId)!.responseStatus = status;
    const retryable = status === null || status === 429 || status >= 500;
    if (!retryable || attempts.length >= maxAttempts) {
      const outcome = !retryable ? (status! < 300 ? 'completed' : 'failed') : 'retrying';
      return {
        callbackId,
        status,
        body: answer,
        ...(error === undefined ? {} : { error }),
        outcome,
        attempts,
        request: requestInfo,
      };
    }
    await new Promise((r) => setTimeout(r, request.retry?.delayMs ?? 500));
  }
}

function parseMaybeJson(text: string): unknown {
  try {
    return text === '' ? null : JSON.parse(text);
  } catch {
    return text;
  }
}
