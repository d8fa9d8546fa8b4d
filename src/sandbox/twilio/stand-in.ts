import express, { type Request, type Response } from 'express';
import { createHmac, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

// A local Twilio for the demo and end-to-end tests: it speaks Twilio's REST wire format for Messages.json (form
// body in, JSON out, Basic auth with the account SID and auth token), keeps every message it accepted, and sends
// signed status callbacks and inbound replies the way Twilio does (X-Twilio-Signature: base64 HMAC-SHA1 over the
// URL followed by the sorted form fields). It knows nothing of NPS Loop.

interface CapturedMessage {
  sid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  statusCallback: string | null;
  status: string;
  dateCreated: string;
}

interface TwilioStandInOptions {
  accountSid: string;
  authToken: string;
  /** Share of Messages.json requests answered 500 (nothing accepted), 0–1; for fault tests. */
  failRate?: number;
  /** Deterministic failures: a seed for the fault generator. */
  seed?: number;
  port?: number;
  /** The app's incoming-message webhook: where POST /_stand-in/reply delivers a reply. */
  inboundUrl?: string;
}

export interface TwilioStandIn {
  url: string;
  messages: CapturedMessage[];
  /** Requests answered with an injected 500. */
  failures: number;
  setFailRate(rate: number): void;
  /** Posts a signed status callback for a captured message to its StatusCallback URL; returns the HTTP status. */
  sendStatus(sid: string, status: string, opts?: { errorCode?: string; signWith?: string }): Promise<number>;
  /** Posts a signed inbound message from `from` to `url` (the app's inbound webhook); returns status and body. */
  sendReply(
    url: string,
    from: string,
    body: string,
    opts?: { signWith?: string },
  ): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

/** X-Twilio-Signature for a POST of form fields to a URL, as Twilio computes it. */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

export async function startTwilioStandIn(options: TwilioStandInOptions): Promise<TwilioStandIn> {
  let failRate = options.failRate ?? 0;
  let seed = options.seed ?? 42;
  const random = () => {
    // mulberry32: the same faults on every run of a test.
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const messages: CapturedMessage[] = [];
  const state = { failures: 0 };
  const app = express();
  app.use(express.urlencoded({ extended: false, limit: '64kb' }));

  const base = `/2010-04-01/Accounts/${options.accountSid}`;
  app.post(`${base}/Messages.json`, (req: Request, res: Response) => {
    if (!authorised(req, options)) return twilioError(res, 401, 20003, 'Authenticate');
    if (failRate > 0 && random() < failRate) {
      state.failures++;
      return twilioError(res, 500, 20500, 'Internal Server Error');
    }
    const p = (req.body ?? {}) as Record<string, string | undefined>;
    if (!p.To || !/^\+[1-9]\d{6,14}$/.test(p.To))
      return twilioError(res, 400, 21211, `The 'To' number ${p.To ?? ''} is not a valid phone number.`);
    if (!p.Body) return twilioError(res, 400, 21602, 'Message body is required.');
    if (!p.From && !p.MessagingServiceSid)
      return twilioError(res, 400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message");
    const message: CapturedMessage = {
      sid: `SM${randomBytes(16).toString('hex')}`,
      to: p.To,
      from: p.From ?? null,
      messagingServiceSid: p.MessagingServiceSid ?? null,
      body: p.Body,
      statusCallback: p.StatusCallback ?? null,
      status: 'queued',
      dateCreated: new Date().toUTCString(),
    };
    messages.push(message);
    res.status(201).json(wireMessage(options.accountSid, message));
  });

  app.get(`${base}/Messages.json`, (req, res) => {
    if (!authorised(req, options)) return twilioError(res, 401, 20003, 'Authenticate');
    res.json({ messages: messages.map((m) => wireMessage(options.accountSid, m)), page: 0, page_size: 50 });
  });

  // Control endpoints for people trying the demo (curl): list texts, fire a status callback, send a reply.
  app.get('/_stand-in/messages', (_req, res) => {
    res.json({ messages });
  });
  app.post('/_stand-in/messages/:sid/status', express.json(), async (req, res) => {
    const status = String((req.body as { status?: unknown } | undefined)?.status ?? 'delivered');
    try {
      res.json({ callbackStatus: await standIn.sendStatus(String(req.params.sid), status) });
    } catch (err) {
      res.status(404).json({ error: (err as Error).message });
    }
  });
  app.post('/_stand-in/reply', express.json(), async (req, res) => {
    const { from, body } = (req.body ?? {}) as { from?: unknown; body?: unknown };
    const to = typeof from === 'string' ? from : messages.at(-1)?.to;
    if (!options.inboundUrl || !to || typeof body !== 'string')
      return void res.status(400).json({ error: 'send {"from": "+E164", "body": "text"} after a text went out' });
    res.json(await standIn.sendReply(options.inboundUrl, to, body));
  });

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(options.port ?? 0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function postSigned(target: string, params: Record<string, string>, signWith?: string) {
    const res = await fetch(target, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(signWith ?? options.authToken, target, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    return { status: res.status, body: await res.text() };
  }

  const standIn: TwilioStandIn = {
    url,
    messages,
    get failures() {
      return state.failures;
    },
    setFailRate(rate) {
      failRate = rate;
    },
    async sendStatus(sid, status, opts = {}) {
      const m = messages.find((x) => x.sid === sid);
      if (!m?.statusCallback) throw new Error(`no message ${sid} with a status callback`);
      m.status = status;
      const params: Record<string, string> = {
        AccountSid: options.accountSid,
        ApiVersion: '2010-04-01',
        From: m.from ?? '+15005550006',
        MessageSid: sid,
        MessageStatus: status,
        SmsSid: sid,
        SmsStatus: status,
        To: m.to,
      };
      if (opts.errorCode) params.ErrorCode = opts.errorCode;
      return (await postSigned(m.statusCallback, params, opts.signWith)).status;
    },
    async sendReply(target, from, body, opts = {}) {
      const sid = `SM${randomBytes(16).toString('hex')}`;
      const params: Record<string, string> = {
        AccountSid: options.accountSid,
        ApiVersion: '2010-04-01',
        Body: body,
        From: from,
        MessageSid: sid,
        NumMedia: '0',
        NumSegments: '1',
        SmsMessageSid: sid,
        SmsSid: sid,
        SmsStatus: 'received',
        To: messages.find((m) => m.to === from)?.from ?? '+15005550006',
      };
      return postSigned(target, params, opts.signWith);
    },
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
  return standIn;
}

function authorised(req: Request, options: TwilioStandInOptions): boolean {
  const header = req.get('authorization') ?? '';
  const expected = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  return header === expected;
}

function twilioError(res: Response, status: number, code: number, message: string): void {
  res.status(status).json({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
}

function wireMessage(accountSid: string, m: CapturedMessage) {
  return {
    account_sid: accountSid,
    api_version: '2010-04-01',
    body: m.body,
    date_created: m.dateCreated,
    date_sent: null,
    date_updated: m.dateCreated,
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: m.from,
    messaging_service_sid: m.messagingServiceSid,
    num_media: '0',
    num_segments: '1',
    price: null,
    price_unit: 'USD',
    sid: m.sid,
    status: m.status,
    subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${m.sid}/Media.json` },
    to: m.to,
    uri: `/2010-04-01/Accounts/${accountSid}/Messages/${m.sid}.json`,
  };
}
