import twilio from 'twilio';
import type { TwilioConfig } from '../config';

// The one place that talks to Twilio, through its official SDK. TWILIO_API_BASE_URL (a stand-in for tests and
// the demo) is applied with the SDK's documented extension point, a custom httpClient: every request the SDK
// builds for https://<product>.twilio.com is sent to the stand-in's origin instead, path and all.

interface OutgoingSms {
  to: string;
  body: string;
  statusCallback: string;
}

export interface SmsSender {
  /** Hands one text to Twilio; resolves with its Message SID, or throws SmsSendError. */
  send(message: OutgoingSms): Promise<{ sid: string; status: string }>;
  /** Whether an inbound request's X-Twilio-Signature matches the URL and form parameters. */
  validSignature(signature: string, url: string, params: Record<string, string>): boolean;
}

export class SmsSendError extends Error {
  constructor(
    message: string,
    /** Twilio refused this message for good (bad number, unsubscribed recipient…): retrying cannot help. */
    readonly permanent: boolean,
    /** The recipient opted out with the carrier or Twilio (error 21610). */
    readonly optedOut: boolean,
  ) {
    super(message);
    this.name = 'SmsSendError';
  }
}

/** Twilio's "Attempt to send to unsubscribed recipient". */
const UNSUBSCRIBED_RECIPIENT = 21610;

/**
 * A bounded wait per request, and no kept-alive sockets: texts go out a few at a time, so a fresh connection costs
 * little, and a pooled socket Twilio closed meanwhile cannot stall a send.
 */
const CLIENT_OPTIONS = { timeout: 15_000, keepAlive: false };

class RedirectingRequestClient extends twilio.RequestClient {
  constructor(private readonly origin: string) {
    super(CLIENT_OPTIONS);
  }

  override request<TData>(opts: Parameters<twilio.RequestClient['request']>[0] & { data?: TData }) {
    const target = new URL(opts.uri);
    const base = new URL(this.origin);
    const prefix = base.pathname.replace(/\/+$/, '');
    return super.request<TData>({ ...opts, uri: `${base.origin}${prefix}${target.pathname}${target.search}` });
  }
}

export function createTwilioSender(config: TwilioConfig): SmsSender {
  const httpClient = config.apiBaseUrl
    ? new RedirectingRequestClient(config.apiBaseUrl)
    : new twilio.RequestClient(CLIENT_OPTIONS);
  const client = twilio(config.accountSid, config.authToken, { httpClient });
  const sender = config.messagingServiceSid
    ? { messagingServiceSid: config.messagingServiceSid }
    : { from: config.from! };
  return {
    async send(message) {
      try {
        const sent = await client.messages.create({ ...sender, ...message });
        return { sid: sent.sid, status: sent.status };
      } catch (err) {
        throw toSendError(err);
      }
    },
    validSignature(signature, url, params) {
      return twilio.validateRequest(config.authToken, signature, url, params);
    },
  };
}

/** 429 and 5xx (and no answer at all) are worth retrying; any other refusal is final. */
function toSendError(err: unknown): SmsSendError {
  const status = (err as { status?: unknown }).status;
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  if (typeof status !== 'number') return new SmsSendError(`Twilio unreachable: ${message}`, false, false);
  const permanent = status >= 400 && status < 500 && status !== 429 && status !== 408;
  return new SmsSendError(
    `Twilio answered ${status}${code ? ` (error ${String(code)})` : ''}: ${message}`,
    permanent,
    code === UNSUBSCRIBED_RECIPIENT,
  );
}
