import { createHash, createHmac, randomUUID } from 'node:crypto';

// HubSpot's hubspot.fetch proxy, played pessimistically. Modelled on @hubspot/ui-extensions-dev-server
// (dist/lib/proxy/AppProxyService.js, constants.js, signing.js), whose comments say it mirrors HubSpot's backend:
//  * it appends only `appId` (the one parameter HubSpot documents as automatic), never portalId/userId/userEmail
//    unless a test asks for them (`append`), to play the other documented reading;
//  * it signs v3 over the RAW URI, as HubSpot's signer (`Signature.getSignature` in @hubspot/api-client) does,
//    plus v2; with `signs: 'forwarded'` it signs the URL it forwards to, as `hs project dev` does;
//  * only an Authorization header may be passed; a body goes out as JSON;
//  * 1 MB request and response limits; timeout default 15 s, at most 120 s;
//  * the app's 3xx–5xx never reach the card as they are: the answer is HTTP 200 with
//    `{ status: 'error', category: 'BAD_GATEWAY', message, responseBody, errors, context }`.

const CARD_FETCH_LIMIT_BYTES = 1024 * 1024;
const CARD_FETCH_DEFAULT_TIMEOUT_MS = 15_000;
const CARD_FETCH_MAX_TIMEOUT_MS = 120_000;

export interface CardFetchContext {
  portalId: number;
  userId?: number;
  userEmail?: string;
}

export interface CardFetchOptions {
  method?: string;
  body?: unknown;
  timeout?: number;
  headers?: Record<string, string>;
  context?: Partial<CardFetchContext>;
}

export interface CardProxySettings {
  /** Origin → base URL it is forwarded to (like local.json's "proxy"); unmapped origins are called as they are. */
  forward: Record<string, string>;
  /** 'requested' (production: the URL the card asked for) or 'forwarded' (`hs project dev`: the localhost URL). */
  signs: 'requested' | 'forwarded';
  /** Context parameters the proxy appends besides appId (none by default: the pessimistic reading). */
  append: Array<'portalId' | 'userId' | 'userEmail'>;
}

interface ProxyContext {
  correlationId: string[];
  httpMethod: string[];
  appServerStatusCode?: string[];
  portalId: string[];
  requestUri: string[];
}

type CardProxyEnvelope =
  | { status: 'success'; responseBody: unknown; context: ProxyContext }
  | {
      status: 'error';
      category: string;
      message: string;
      context: ProxyContext;
      errors?: unknown[];
      responseBody?: unknown;
    };

/** What the dev server's /proxy answers: its HTTP status and its envelope. */
export interface CardProxyAnswer {
  httpStatus: number;
  envelope: CardProxyEnvelope;
}

export interface CardProxyDeps {
  appId: () => number;
  clientSecret: () => string;
  defaultPortalId: () => number;
}

export interface CardProxyRequest {
  requestUri: string;
  method: string;
  requestTimeoutMillis?: number;
  requestBody?: unknown;
  requestHeaders?: Record<string, string>;
  context?: Partial<CardFetchContext>;
}

export class CardProxy {
  private settings: CardProxySettings = { forward: {}, signs: 'requested', append: [] };

  constructor(private readonly deps: CardProxyDeps) {}

  configure(settings: Partial<CardProxySettings>): void {
    this.settings = { ...this.settings, ...settings };
  }

  current(): CardProxySettings {
    return { ...this.settings };
  }

  /** hubspot.fetch as the card sees it: a Response whose body is the app's (2xx) or the proxy's error envelope. */
  async fetch(appUrl: string, options: CardFetchOptions = {}): Promise<Response> {
    const answer = await this.proxy({
      requestUri: appUrl,
      method: options.method ?? 'GET',
      requestTimeoutMillis: options.timeout,
      requestBody: options.body,
      requestHeaders: options.headers,
      context: options.context,
    });
    const { envelope } = answer;
    const json =
      envelope.status === 'success' ? JSON.stringify(envelope.responseBody ?? null) : JSON.stringify(envelope);
    const status = envelope.status === 'success' ? Number(envelope.context.appServerStatusCode![0]) : answer.httpStatus;
    return new Response(json, { status, headers: { 'content-type': 'application/json' } });
  }

  /** The dev server's POST /proxy: the envelope and the status it answers with. */
  async proxy(request: CardProxyRequest): Promise<CardProxyAnswer> {
    const method = request.method.toUpperCase();
    const portalId = request.context?.portalId ?? this.deps.defaultPortalId();
    const context = (appServerStatusCode?: number): ProxyContext => ({
      correlationId: [randomUUID()],
      httpMethod: [method],
      ...(appServerStatusCode !== undefined ? { appServerStatusCode: [String(appServerStatusCode)] } : {}),
      portalId: [String(portalId)],
      requestUri: [request.requestUri],
    });
    const fail = (httpStatus: number, category: string, message: string, status?: number): CardProxyAnswer => ({
      httpStatus,
      envelope: { status: 'error', category, message, context: context(status) },
    });

    const headerKeys = Object.keys(request.requestHeaders ?? {});
    if (headerKeys.length > 1) return fail(400, 'VALIDATION_ERROR', "Only 'Authorization' header is allowed");
    if (headerKeys.some((h) => h.toLowerCase() !== 'authorization'))
      return fail(
        400,
        'VALIDATION_ERROR',
        "Invalid Request Headers provided. Only 'Authorization' header is allowed from hubspot.fetch()",
      );
    const timeout = request.requestTimeoutMillis ?? CARD_FETCH_DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(timeout) || timeout <= 0 || timeout > CARD_FETCH_MAX_TIMEOUT_MS)
      return fail(400, 'VALIDATION_ERROR', `timeout must be between 1 and ${CARD_FETCH_MAX_TIMEOUT_MS} ms`);
    const withBody =
      ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method) &&
      request.requestBody !== undefined &&
      request.requestBody !== null;
    const body = withBody ? (JSON.stringify(request.requestBody) ?? '') : '';
    if (Buffer.byteLength(body) > CARD_FETCH_LIMIT_BYTES)
      return fail(400, 'VALIDATION_ERROR', 'Request body exceeds the 1 MB limit of hubspot.fetch');

    let requested: URL;
    try {
      requested = new URL(request.requestUri);
    } catch {
      return fail(400, 'VALIDATION_ERROR', 'URL is malformed');
    }
    this.appendParams(requested, { ...request.context, portalId });
    const target = this.forwarded(requested);
    const signedUrl = this.settings.signs === 'forwarded' ? target : requested.toString();

    const timestamp = Date.now();
    const secret = this.deps.clientSecret();
    const headers: Record<string, string> = {
      ...request.requestHeaders,
      'X-HubSpot-Signature': createHash('sha256').update(`${secret}${method}${signedUrl}${body}`).digest('hex'),
      'X-HubSpot-Signature-Version': 'v2',
      'X-HubSpot-Request-Timestamp': String(timestamp),
      // Raw URI, no decoding: exactly Signature.getSignature(method, 'v3', { url, requestBody, timestamp, ... }).
      'X-HubSpot-Signature-v3': createHmac('sha256', secret)
        .update(`${method}${signedUrl}${body}${timestamp}`)
        .digest('base64'),
      ...(withBody ? { 'content-type': 'application/json' } : {}),
    };

    let response: globalThis.Response;
    try {
      response = await fetch(target, {
        method,
        headers,
        body: withBody ? body : undefined,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeout),
      });
    } catch (err) {
      if ((err as Error).name === 'TimeoutError')
        return fail(504, 'GATEWAY_TIMEOUT', 'Gateway took too long to respond');
      return fail(
        500,
        'INTERNAL_SERVER_ERROR',
        'Failure observed in UI Extensions Proxy Server. Contact Hubspot Support if the problem persists',
      );
    }
    const text = await response.text();
    if (Buffer.byteLength(text) > CARD_FETCH_LIMIT_BYTES)
      return {
        httpStatus: 200,
        envelope: {
          status: 'error',
          category: 'BAD_GATEWAY',
          message: 'Response body exceeds the 1 MB limit of hubspot.fetch',
          context: context(response.status),
        },
      };
    let responseBody: unknown = text;
    try {
      responseBody = text === '' ? undefined : JSON.parse(text);
    } catch {
      // A body that is not JSON is passed on as text.
    }
    if (response.status >= 300)
      return {
        httpStatus: 200,
        envelope: {
          status: 'error',
          context: context(response.status),
          message: 'Error returned from Request Uri',
          responseBody,
          errors: [{ message: `Unacceptable HTTP status ${response.status} calling ${request.requestUri}` }],
          category: 'BAD_GATEWAY',
        },
      };
    return {
      httpStatus: response.status,
      envelope: { status: 'success', responseBody, context: context(response.status) },
    };
  }

  private appendParams(url: URL, context: Partial<CardFetchContext>): void {
    for (const name of this.settings.append) {
      const value = context[name];
      if (value !== undefined) url.searchParams.append(name, String(value));
    }
    url.searchParams.append('appId', String(this.deps.appId()));
  }

  private forwarded(url: URL): string {
    const base = this.settings.forward[url.origin] ?? this.settings.forward[`${url.origin}/`];
    if (!base) return url.toString();
    const mapped = new URL(base);
    const path = mapped.pathname === '/' ? '' : mapped.pathname.replace(/\/$/, '');
    return `${mapped.origin}${path}${url.pathname}${url.search}`;
  }
}
