import { createHash, createHmac } from 'node:crypto';

/**
 * HubSpot's request signatures (HUBSPOT.md §3.4), implemented here independently of the app's own
 * verifier so the sandbox is a real peer: v3 = base64 HMAC-SHA256(secret, method + uri + body + timestamp),
 * v2 = hex SHA-256(secret + method + uri + body), v1 = hex SHA-256(secret + body).
 */
function signatureV3(secret: string, method: string, uri: string, body: string, timestamp: string): string {
  return createHmac('sha256', secret)
    .update(`${method}${v3Uri(uri)}${body}${timestamp}`, 'utf8')
    .digest('base64');
}

/** HubSpot signs v3 over the URI with these escapes decoded, so verifiers must decode them too. */
const V3_DECODED = /%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi;

function v3Uri(uri: string): string {
  return uri.replace(V3_DECODED, (escape) => decodeURIComponent(escape));
}

function signatureV2(secret: string, method: string, uri: string, body: string): string {
  return createHash('sha256').update(`${secret}${method}${uri}${body}`, 'utf8').digest('hex');
}

function signatureV1(secret: string, body: string): string {
  return createHash('sha256').update(`${secret}${body}`, 'utf8').digest('hex');
}

/** Headers for a webhook delivery: v3 plus the v1 header that webhook-API deliveries also carry. */
export function webhookHeaders(secret: string, uri: string, body: string, now = Date.now()): Record<string, string> {
  const timestamp = String(now);
  return {
    'Content-Type': 'application/json',
    'User-Agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/) (namespace: webhooks-nonretryable)',
    'X-HubSpot-Signature-v3': signatureV3(secret, 'POST', uri, body, timestamp),
    'X-HubSpot-Request-Timestamp': timestamp,
    'X-HubSpot-Signature': signatureV1(secret, body),
    'X-HubSpot-Signature-Version': 'v1',
  };
}

/** Headers for a workflow-action execution: v2 (what the docs promise) plus v3. */
export function workflowActionHeaders(
  secret: string,
  uri: string,
  body: string,
  now = Date.now(),
): Record<string, string> {
  const timestamp = String(now);
  return {
    'Content-Type': 'application/json',
    'User-Agent': 'HubSpot Connect 2.0 (http://dev.hubspot.com/) (namespace: automation-actions)',
    'X-HubSpot-Signature': signatureV2(secret, 'POST', uri, body),
    'X-HubSpot-Signature-Version': 'v2',
    'X-HubSpot-Signature-v3': signatureV3(secret, 'POST', uri, body, timestamp),
    'X-HubSpot-Request-Timestamp': timestamp,
  };
}
