import type { Config } from '../../config/env';
import { signV3 } from '../../shared/signature';
import { SELF_TEST_CALLBACK_PREFIX, SEND_SURVEY_PATH } from '../../workflow-action';
import type { CheckLine } from './report';

// Doctor checks of the endpoints HubSpot calls: one request to each, signed as HubSpot signs it.

const WEBHOOK_PATH = '/webhooks/hubspot';
const CARD_PATH = '/api/card/contacts/1';

export async function checkSignedEndpoints(
  config: Config,
  portalId: number,
  timeoutMs: number,
  add: (l: CheckLine) => void,
) {
  const secret = config.hubspot.clientSecret;
  const base = config.publicBaseUrl;
  const send = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const raw = body === undefined ? '' : JSON.stringify(body);
    const timestamp = Date.now();
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        'x-hubspot-signature-v3': signV3(secret, method, `${base}${path}`, raw, timestamp),
        'x-hubspot-request-timestamp': String(timestamp),
      },
      body: method === 'GET' ? undefined : raw,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const answer = (await res.json().catch(() => null)) as {
      error?: { code?: string; message?: string };
      outputFields?: Record<string, string>;
    } | null;
    return { status: res.status, answer };
  };
  const refusedFix =
    "HUBSPOT_CLIENT_SECRET here is not the one the app at PUBLIC_BASE_URL uses, or that app has another PUBLIC_BASE_URL (it checks signatures against its own): use the client secret from the app's Auth settings in HubSpot for both";

  const checks: Array<{
    title: string;
    run: () => Promise<{ status: number; answer: Awaited<ReturnType<typeof send>>['answer'] }>;
    accept: (r: { status: number; answer: Awaited<ReturnType<typeof send>>['answer'] }) => CheckLine | null;
  }> = [
    {
      title: `webhooks (POST ${WEBHOOK_PATH})`,
      run: () => send('POST', WEBHOOK_PATH, []),
      accept: () => null,
    },
    {
      title: `workflow action (POST ${SEND_SURVEY_PATH})`,
      run: () =>
        send('POST', SEND_SURVEY_PATH, {
          callbackId: `${SELF_TEST_CALLBACK_PREFIX}${Date.now()}`,
          origin: { portalId, actionDefinitionId: 0, actionDefinitionVersion: 0 },
          context: { source: 'NPS_LOOP_DOCTOR' },
          object: { objectId: 1, objectType: 'CONTACT', properties: {} },
          inputFields: {},
        }),
      accept: (r) =>
        r.status === 200 && r.answer?.outputFields?.skip_reason !== 'self_test'
          ? {
              verdict: 'warn',
              title: `workflow action (POST ${SEND_SURVEY_PATH})`,
              detail: 'signature accepted, but the app did not recognise the self-test',
              fix: 'the app at PUBLIC_BASE_URL runs an older version: deploy this one',
            }
          : null,
    },
    {
      title: `card API (GET ${CARD_PATH})`,
      run: () => send('GET', `${CARD_PATH}?portalId=${portalId}`),
      accept: () => null,
    },
  ];
  for (const check of checks) {
    let r;
    try {
      r = await check.run();
    } catch (err) {
      add({
        verdict: 'fail',
        title: check.title,
        detail: `no answer (${(err as Error).message})`,
        fix: 'check the app log',
      });
      continue;
    }
    if (r.status === 401 && (r.answer?.error?.code ?? 'invalid_signature') === 'invalid_signature') {
      add({
        verdict: 'fail',
        title: check.title,
        detail: `signature refused (401: ${r.answer?.error?.message ?? ''})`,
        fix: refusedFix,
      });
      continue;
    }
    const special = check.accept(r);
    if (special) add(special);
    else if (r.status >= 500)
      add({
        verdict: 'warn',
        title: check.title,
        detail: `signature accepted, but the app answered ${r.status}`,
        fix: 'check the app log for this request',
      });
    else
      add({
        verdict: 'ok',
        title: check.title,
        detail: `signature accepted (answered ${r.status}${r.answer?.outputFields?.skip_reason === 'self_test' ? ': self-test, nothing scheduled' : ''})`,
      });
  }
}
