import { badRequest } from '../errors';
import { findObjectType } from '../crm/object-types';
import type { SandboxStore } from '../store';
import { workflowActionHeaders } from '../webhooks/signing';
import type { CallbackLog } from './callbacks';

/**
 * Plays HubSpot's part in a custom workflow action: POSTs a signed execution request (HUBSPOT.md §4)
 * for one enrolled record to the app's actionUrl and returns what the app answered.
 */
export interface ExecuteActionRequest {
  targetUrl: string;
  portalId?: number;
  objectId: number | string;
  /** CONTACT (default), COMPANY, DEAL or TICKET. */
  objectType?: string;
  inputFields?: Record<string, unknown>;
  /** Properties of the enrolled record to send (the definition's objectRequestOptions); default: all set ones. */
  properties?: string[];
  callbackId?: string;
  workflowId?: number;
  actionDefinitionId?: number;
  timeoutMs?: number;
}

export interface ExecuteActionResult {
  callbackId: string;
  status: number | null;
  body: unknown;
  error?: string;
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
  const body = JSON.stringify({
    callbackId,
    origin: { portalId, actionDefinitionId: request.actionDefinitionId ?? 4711, actionDefinitionVersion: 1 },
    context: { source: 'WORKFLOWS', workflowId: request.workflowId ?? 90001 },
    object: { objectId: record.id, objectType: objectTypeName, properties },
    inputFields: Object.fromEntries(Object.entries(request.inputFields ?? {}).map(([k, v]) => [k, String(v)])),
  });
  const headers = workflowActionHeaders(deps.clientSecret(), request.targetUrl, body);
  deps.callbacks.recordExecution({
    callbackId,
    portalId,
    objectId: record.id,
    targetUrl: request.targetUrl,
    sentAt: Date.now(),
    responseStatus: null,
  });
  const requestInfo = { url: request.targetUrl, headers, body };
  try {
    const response = await fetch(request.targetUrl, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(request.timeoutMs ?? 20_000),
    });
    const text = await response.text();
    deps.callbacks.execution(callbackId)!.responseStatus = response.status;
    return { callbackId, status: response.status, body: parseMaybeJson(text), request: requestInfo };
  } catch (error) {
    return { callbackId, status: null, body: null, error: (error as Error).message, request: requestInfo };
  }
}

function parseMaybeJson(text: string): unknown {
  try {
    return text === '' ? null : JSON.parse(text);
  } catch {
    return text;
  }
}
