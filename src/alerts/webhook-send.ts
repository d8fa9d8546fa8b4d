import { readFileSync } from 'node:fs';
import { lookup } from 'node:dns/promises';
import { Agent } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { rootCertificates } from 'node:tls';
import axios from 'axios';
import type { Config } from '../config';
import { isBlockedAddress } from './webhook-url';

// Posting an alert to a Slack or Teams incoming webhook. The host is resolved here, every address checked
// (private, loopback, link-local… refused unless ALERTS_ALLOW_PRIVATE_WEBHOOKS), and the connection is pinned
// to the checked addresses, so a name cannot resolve to a public address for the check and an internal one for
// the connection (DNS rebinding). No redirects are followed (a 3xx could point anywhere) and no proxy from the
// environment is used.

export class AlertSendError extends Error {
  constructor(
    message: string,
    /** The webhook itself refused (4xx) or cannot be reached by rule: retrying alone will not help. */
    readonly permanent: boolean,
    /** The webhook's HTTP status, when it answered. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'AlertSendError';
  }
}

const TIMEOUT_MS = 10_000;
const caCache = new Map<string, string[]>();

function trustedCas(config: Pick<Config, 'alerts'>): string[] | undefined {
  const file = config.alerts.webhookCaFile;
  if (!file) return undefined;
  let cas = caCache.get(file);
  if (!cas) {
    cas = [...rootCertificates, readFileSync(file, 'utf8')];
    caCache.set(file, cas);
  }
  return cas;
}

/** Every address the host resolves to, refused if any is not public (unless the switch allows it). */
async function resolveWebhookHost(
  host: string,
  allowPrivate: boolean,
): Promise<Array<{ address: string; family: number }>> {
  const bare = host.replace(/^\[|\]$/g, '');
  const found =
    isIP(bare) !== 0
      ? [{ address: bare, family: isIP(bare) }]
      : await lookup(bare, { all: true, verbatim: true }).catch((err: Error) => {
          throw new AlertSendError(`the webhook host ${bare} could not be resolved: ${err.message}`, false);
        });
  if (found.length === 0) throw new AlertSendError(`the webhook host ${bare} has no address`, false);
  if (!allowPrivate) {
    const blocked = found.find((a) => isBlockedAddress(a.address));
    if (blocked)
      throw new AlertSendError(
        `the webhook host ${bare} resolves to ${blocked.address}, a private, loopback or link-local address: not sent`,
        true,
      );
  }
  return found;
}

function pinnedLookup(addresses: Array<{ address: string; family: number }>): LookupFunction {
  return (_host, options, callback) => {
    const opts = options as { all?: boolean; family?: number };
    const fitting = addresses.filter((a) => !opts.family || a.family === opts.family);
    const list = fitting.length > 0 ? fitting : addresses;
    if (opts.all) (callback as (e: null, a: typeof list) => void)(null, list);
    else callback(null, list[0]!.address, list[0]!.family);
  };
}

/** POSTs the JSON message; resolves when the webhook answered 2xx. */
export async function postWebhook(
  config: Pick<Config, 'alerts'>,
  rawUrl: string,
  message: Record<string, unknown>,
): Promise<void> {
  const url = new URL(rawUrl);
  if (url.protocol !== 'https:') throw new AlertSendError('the webhook address must use https', true);
  const addresses = await resolveWebhookHost(url.hostname, config.alerts.allowPrivateWebhooks);
  const agent = new Agent({ lookup: pinnedLookup(addresses), ca: trustedCas(config), keepAlive: false });
  try {
    const res = await axios.post(url.toString(), message, {
      httpsAgent: agent,
      proxy: false,
      maxRedirects: 0,
      timeout: TIMEOUT_MS,
      maxContentLength: 64 * 1024,
      headers: { 'content-type': 'application/json' },
      validateStatus: () => true,
    });
    if (res.status >= 200 && res.status < 300) return;
    const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
    const said =
      typeof res.data === 'string'
        ? res.data
            .replace(/[^\x20-\x7e]+/g, ' ')
            .trim()
            .slice(0, 100)
        : '';
    throw new AlertSendError(`the webhook answered ${res.status}${said ? ` (${said})` : ''}`, permanent, res.status);
  } catch (err) {
    if (err instanceof AlertSendError) throw err;
    throw new AlertSendError(`the webhook could not be reached: ${(err as Error).message}`, false);
  } finally {
    agent.destroy();
  }
}
