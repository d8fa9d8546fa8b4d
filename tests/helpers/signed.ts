import { signV3 } from '../../src/shared/signature';
import { TEST_CLIENT_SECRET, TEST_PUBLIC_URL } from './env';

/** Sends a request signed as HubSpot would (v3) for the public URI; `path` may include a query string. */
export async function signedFetch(
  baseUrl: string,
  path: string,
  opts: {
    method?: string;
    body?: unknown;
    rawBody?: string;
    secret?: string;
    timestamp?: number;
    publicUrl?: string;
  } = {},
): Promise<Response> {
  const method = opts.method ?? (opts.body === undefined && opts.rawBody === undefined ? 'GET' : 'POST');
  const raw = opts.rawBody ?? (opts.body === undefined ? '' : JSON.stringify(opts.body));
  const ts = opts.timestamp ?? Date.now();
  const signature = signV3(
    opts.secret ?? TEST_CLIENT_SECRET,
    method,
    `${opts.publicUrl ?? TEST_PUBLIC_URL}${path}`,
    raw,
    ts,
  );
  return fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      'x-hubspot-signature-v3': signature,
      'x-hubspot-request-timestamp': String(ts),
    },
    body: method === 'GET' ? undefined : raw,
  });
}
