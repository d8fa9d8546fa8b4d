import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer } from '../../app/server';
import type { Config } from '../../config/env';
import { ConfigError, loadConfig } from '../../config/env';
import { getPortal, listActivePortalIds, type AppDeps } from '../../core';
import { HubSpotError, PortalNotConnectedError, type HubSpotPortal, type PropertyDefinition } from '../../hubspot';
import {
  COMPANY_PROPERTIES,
  CONTACT_PROPERTIES,
  NPS_GROUP,
  incompatibility,
} from '../../responses/property-definitions';
import { createLogger } from '../../shared/logger';
import { signV3 } from '../../shared/signature';
import { SELF_TEST_CALLBACK_PREFIX, SEND_SURVEY_PATH } from '../../workflow-action';
import { formatLine, summary, type CheckLine } from './report';

// `npm run doctor`: checks a real HubSpot connection end to end and says, line by line, what to fix.

/** The segmentation lists portal setup creates (src/responses/lists.ts). */
const SEGMENT_LISTS = ['NPS Promoters', 'NPS Passives', 'NPS Detractors'];
const WEBHOOK_PATH = '/webhooks/hubspot';
const CARD_PATH = '/api/card/contacts/1';
const APP_HSMETA = fileURLToPath(new URL('../../../extensions/app/app-hsmeta.json', import.meta.url));

export interface DoctorOptions {
  /** The environment the app runs with (process.env for the command). */
  env: Record<string, string | undefined>;
  /**
   * Database and HubSpot client to use (a test passes the app's, running in-process); otherwise the doctor builds
   * its own from the configuration. The configuration checked is always `env`'s.
   */
  deps?: AppDeps;
  /** Only this installed portal (OAuth mode). */
  portal?: number;
  /** OAuth mode on PGlite: read DATA_DIR (only while the app is stopped: PGlite allows one process). */
  readPglite?: boolean;
  /** Where lines go as they are found (progress). */
  write: (text: string) => void;
  /** Time allowed for each request to the app. */
  timeoutMs?: number;
}

export interface DoctorResult {
  lines: CheckLine[];
  exitCode: number;
}

export async function runDoctor(opts: DoctorOptions): Promise<DoctorResult> {
  const lines: CheckLine[] = [];
  const add = (line: CheckLine) => {
    lines.push(line);
    opts.write(formatLine(line));
  };
  const finish = (): DoctorResult => {
    opts.write('');
    opts.write(summary(lines));
    return { lines, exitCode: lines.some((l) => l.verdict === 'fail') ? 1 : 0 };
  };

  // 1. Configuration: the app's own schema, so a variable the app would refuse is named here.
  let config: Config;
  try {
    config = loadConfig(opts.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    add({
      verdict: 'fail',
      title: 'configuration',
      detail: err.problems.join('; '),
      fix: 'set the variables named above (see README "Configuration") in the environment the app runs with',
    });
    return finish();
  }
  const staticPortal = config.hubspot.staticPortal;
  add({
    verdict: opts.env.PUBLIC_BASE_URL === undefined ? 'warn' : 'ok',
    title: 'configuration',
    detail: `${staticPortal ? `single-portal mode (portal ${staticPortal.portalId})` : 'OAuth mode'}, database ${config.databaseUrl ? 'Postgres' : 'PGlite'}, public URL ${config.publicBaseUrl}`,
    fix: 'PUBLIC_BASE_URL is not set: set it to the HTTPS address HubSpot calls',
  });

  // 2. The public address HubSpot calls.
  const reachable = await checkPublicUrl(config.publicBaseUrl, opts.timeoutMs ?? 10_000, add);

  // 3. HubSpot: token, scopes, properties and lists of each portal.
  let running: RunningServer | undefined;
  try {
    let deps = opts.deps;
    const oauthOnPglite = !staticPortal && !config.databaseUrl;
    if (!deps) {
      opts.write('… connecting to the database and HubSpot');
      const inMemory = !config.databaseUrl && (staticPortal !== undefined || !opts.readPglite);
      running = await startServer(
        { ...config, runWorkers: false },
        { logger: createLogger('error'), listen: false, features: [], inMemory },
      );
      deps = running.deps;
    }
    const portals = staticPortal
      ? [staticPortal.portalId]
      : opts.portal !== undefined
        ? [opts.portal]
        : oauthOnPglite && !opts.readPglite && !opts.deps
          ? null
          : await listActivePortalIds(deps.db);
    if (portals === null) {
      add({
        verdict: 'warn',
        title: 'installed portals',
        detail: 'not checked: OAuth mode on PGlite, whose data directory only one process may open',
        fix: 'stop the app and run npm run doctor -- --read-pglite, or use Postgres (DATABASE_URL)',
      });
    } else if (portals.length === 0) {
      add({
        verdict: 'fail',
        title: 'installed portals',
        detail: 'no HubSpot account has installed the app',
        fix: `install it: open ${config.publicBaseUrl}/oauth/install (or the install URL in the app's settings in HubSpot)`,
      });
    } else {
      for (const portalId of portals) await checkPortal(deps, config, portalId, add);
    }

    // 4. One signed request to each endpoint HubSpot calls.
    if (reachable) await checkSignedEndpoints(config, portals?.[0] ?? staticPortal?.portalId ?? 0, opts, add);
    else
      add({
        verdict: 'fail',
        title: 'signed endpoints',
        detail: 'not checked: PUBLIC_BASE_URL does not answer',
        fix: 'fix the public URL line above first',
      });
  } finally {
    await running?.stop();
  }
  return finish();
}

async function checkPublicUrl(base: string, timeoutMs: number, add: (l: CheckLine) => void): Promise<boolean> {
  let url: URL;
  try {
    url = new URL(`${base}/healthz`);
  } catch {
    add({ verdict: 'fail', title: 'public URL', detail: `${base} is not a URL`, fix: 'set PUBLIC_BASE_URL' });
    return false;
  }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  const insecure = url.protocol !== 'https:' && !local;
  if (insecure) {
    add({
      verdict: 'fail',
      title: 'public URL',
      detail: `${base} is plain http; HubSpot calls webhooks, workflow actions and cards over HTTPS only`,
      fix: 'put the app behind TLS (a reverse proxy or a tunnel) and set PUBLIC_BASE_URL to its https:// address',
    });
  }
  let answer: Response;
  try {
    answer = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    add({
      verdict: 'fail',
      title: 'public URL',
      detail: `${url.href} does not answer (${(err as Error).message})`,
      fix: 'start the app and make sure PUBLIC_BASE_URL is the address that reaches it from the internet',
    });
    return false;
  }
  const body = (await answer.json().catch(() => null)) as { status?: string } | null;
  if (answer.status !== 200) {
    add({
      verdict: 'fail',
      title: 'public URL',
      detail: `${url.href} answered ${answer.status}${body?.status ? ` (${body.status})` : ''}`,
      fix: 'look at the /healthz answer and the app log: the database or the job queue is down',
    });
    return true;
  }
  if (insecure) return true;
  if (url.protocol !== 'https:')
    add({
      verdict: 'warn',
      title: 'public URL',
      detail: `${url.href} answers (status ${body?.status ?? 'ok'}), over plain http on this machine`,
      fix: 'fine for local tests; HubSpot itself needs an https:// PUBLIC_BASE_URL',
    });
  else add({ verdict: 'ok', title: 'public URL', detail: `${url.href} answers over HTTPS (status ${body?.status})` });
  return true;
}

type AppScopes = { requiredScopes?: string[]; optionalScopes?: string[] };

/** The scopes the app asks for at install (HubSpot refuses an install whose request differs from these). */
function appScopes(): { required: string[]; optional: string[] } {
  const meta = JSON.parse(readFileSync(APP_HSMETA, 'utf8')) as { config?: { auth?: AppScopes } };
  return { required: meta.config?.auth?.requiredScopes ?? [], optional: meta.config?.auth?.optionalScopes ?? [] };
}

type Probe = { ok: true } | { ok: false; kind: 'auth' | 'scope' | 'other'; message: string; scopes: string[] };

async function probe(call: () => Promise<unknown>): Promise<Probe> {
  try {
    await call();
    return { ok: true };
  } catch (err) {
    if (err instanceof PortalNotConnectedError || (err instanceof HubSpotError && err.status === 401))
      return { ok: false, kind: 'auth', message: err.message, scopes: [] };
    if (err instanceof HubSpotError && err.status === 403)
      return { ok: false, kind: 'scope', message: err.hubspotMessage, scopes: scopesNamedIn(err.body) };
    return { ok: false, kind: 'other', message: (err as Error).message, scopes: [] };
  }
}

/** HubSpot's 403 MISSING_SCOPES body names the scopes in errors[].context.requiredGranularScopes. */
function scopesNamedIn(body: unknown): string[] {
  const errors = (body as { errors?: Array<{ context?: Record<string, unknown> }> } | undefined)?.errors ?? [];
  return errors.flatMap((e) => {
    const named = e.context?.requiredGranularScopes ?? e.context?.requiredScopes;
    return Array.isArray(named) ? named.map(String) : [];
  });
}

/** Cheap reads, each needing one of the app's scopes. */
function readProbes(hubspot: HubSpotPortal): Array<[scope: string, call: () => Promise<unknown>]> {
  const one = (type: 'contacts' | 'companies' | 'deals' | 'tickets') => () =>
    hubspot.listObjects(type, { limit: 1, properties: ['hs_object_id'] });
  return [
    ['crm.objects.contacts.read', one('contacts')],
    ['crm.objects.companies.read', one('companies')],
    ['crm.objects.deals.read', one('deals')],
    ['tickets', one('tickets')],
    ['crm.objects.owners.read', () => hubspot.listOwners()],
    ['crm.lists.read', () => hubspot.findListByName(SEGMENT_LISTS[0]!)],
  ];
}

async function checkPortal(deps: AppDeps, config: Config, portalId: number, add: (l: CheckLine) => void) {
  const hubspot = deps.hubspot.forPortal(portalId);
  const staticMode = config.hubspot.staticPortal !== undefined;
  const reinstall = `reinstall the app (${config.publicBaseUrl}/oauth/install) as a Super Admin so HubSpot grants them`;

  // Token: one cheap authenticated call (in OAuth mode it refreshes the token when due).
  const first = await probe(() => hubspot.listObjects('contacts', { limit: 1, properties: ['hs_object_id'] }));
  if (!first.ok && first.kind === 'auth') {
    add({
      verdict: 'fail',
      title: `token (portal ${portalId})`,
      detail: `HubSpot refused it: ${first.message}`,
      fix: staticMode
        ? "HUBSPOT_ACCESS_TOKEN is wrong, revoked or for another account: copy the access token of the private app (or of the app's static token) for this portal again"
        : `the install is gone or its refresh token was revoked: ${reinstall}`,
    });
    return;
  }
  if (!first.ok && first.kind === 'other') {
    add({
      verdict: 'fail',
      title: `token (portal ${portalId})`,
      detail: `HubSpot did not answer: ${first.message}`,
      fix: 'check HUBSPOT_API_BASE_URL and the network, then run the doctor again',
    });
    return;
  }
  add({ verdict: 'ok', title: `token (portal ${portalId})`, detail: 'HubSpot accepts it' });

  // Scopes: what the install granted (OAuth) or what the token can read (single-portal).
  const portal = staticMode ? null : await getPortal(deps.db, portalId);
  const { required, optional } = appScopes();
  if (portal && portal.scopes.length > 0) {
    const missing = required.filter((s) => !portal.scopes.includes(s));
    // An optional scope the account's tier lacks (automation) switches one feature off; the rest works.
    const lacking = optional.filter((s) => !portal.scopes.includes(s));
    if (lacking.length > 0)
      add({
        verdict: 'warn',
        title: `optional scopes (portal ${portalId})`,
        detail: `not granted: ${lacking.join(', ')}${lacking.includes('automation') ? ' (the workflow action is unavailable)' : ''}`,
        fix: `${reinstall}; HubSpot grants automation only on accounts whose tier includes it (Marketing Hub Professional or Enterprise)`,
      });
    add(
      missing.length === 0
        ? {
            verdict: 'ok',
            title: `scopes (portal ${portalId})`,
            detail: `all ${required.length} required scopes granted`,
          }
        : {
            verdict: 'fail',
            title: `scopes (portal ${portalId})`,
            detail: `not granted: ${missing.join(', ')}`,
            fix: reinstall,
          },
    );
  } else {
    const missing = new Set<string>();
    let trouble: string | undefined;
    for (const [scope, call] of readProbes(hubspot)) {
      const p = await probe(call);
      if (p.ok) continue;
      if (p.kind === 'scope') for (const s of p.scopes.length ? p.scopes : [scope]) missing.add(s);
      else trouble ??= p.message;
    }
    if (missing.size > 0)
      add({
        verdict: 'fail',
        title: `scopes (portal ${portalId})`,
        detail: `HubSpot answers 403 for lack of: ${[...missing].join(', ')}`,
        fix: staticMode
          ? `give the private app these scopes (HubSpot → Settings → Integrations → Private apps → Scopes), then copy its new token; the app needs ${required.filter((s) => s !== 'oauth').join(', ')}`
          : reinstall,
      });
    else if (trouble)
      add({
        verdict: 'warn',
        title: `scopes (portal ${portalId})`,
        detail: `not all checked: ${trouble}`,
        fix: 'run the doctor again',
      });
    else
      add({
        verdict: 'ok',
        title: `scopes (portal ${portalId})`,
        detail: `reads of contacts, companies, deals, tickets, owners and lists work${staticMode ? ' (write and automation scopes are used, not probed: the checks below show them)' : ' (no granted scopes stored for this install)'}`,
      });
  }

  await checkProperties(hubspot, portalId, add);
  await checkLists(hubspot, portalId, add);
}

async function checkProperties(hubspot: HubSpotPortal, portalId: number, add: (l: CheckLine) => void) {
  const missing: string[] = [];
  const incompatible: string[] = [];
  let failure: Probe | undefined;
  const wanted: Array<['contacts' | 'companies', PropertyDefinition[]]> = [
    ['contacts', CONTACT_PROPERTIES],
    ['companies', COMPANY_PROPERTIES],
  ];
  for (const [objectType, definitions] of wanted) {
    const group = await probe(async () => {
      if (!(await hubspot.getPropertyGroup(objectType, NPS_GROUP.name))) missing.push(`${objectType} group "nps"`);
    });
    if (!group.ok) {
      failure = group;
      break;
    }
    for (const def of definitions) {
      const p = await probe(async () => {
        const existing = await hubspot.getProperty(objectType, def.name);
        if (!existing) missing.push(`${objectType}.${def.name}`);
        else {
          const problem = incompatibility(def, existing);
          if (problem) incompatible.push(`${objectType}.${def.name} ${problem}`);
        }
      });
      if (!p.ok) failure ??= p;
    }
  }
  const title = `nps properties (portal ${portalId})`;
  if (failure && !failure.ok)
    add({
      verdict: 'fail',
      title,
      detail: `could not read them: ${failure.message}`,
      fix:
        failure.kind === 'scope'
          ? `grant ${failure.scopes.join(', ') || 'crm.schemas.contacts.read'} to the app`
          : 'run the doctor again',
    });
  else if (missing.length > 0)
    add({
      verdict: 'fail',
      title,
      detail: `missing: ${missing.join(', ')}`,
      fix: 'start the app (npm start): its portal setup creates them within a minute; if they stay missing, the app log says why (usually crm.schemas.contacts.write / crm.schemas.companies.write not granted)',
    });
  else if (incompatible.length > 0)
    add({
      verdict: 'fail',
      title,
      detail: incompatible.join('; '),
      fix: 'an admin must change or delete these properties in HubSpot (Settings → Properties); NPS Loop never overwrites them',
    });
  else
    add({
      verdict: 'ok',
      title,
      detail: `group "nps" with ${CONTACT_PROPERTIES.length} contact and ${COMPANY_PROPERTIES.length} company properties`,
    });
}

async function checkLists(hubspot: HubSpotPortal, portalId: number, add: (l: CheckLine) => void) {
  const missing: string[] = [];
  for (const name of SEGMENT_LISTS) {
    const p = await probe(async () => {
      if (!(await hubspot.findListByName(name))) missing.push(name);
    });
    if (!p.ok) {
      add({
        verdict: 'fail',
        title: `segmentation lists (portal ${portalId})`,
        detail: `could not read them: ${p.message}`,
        fix: p.kind === 'scope' ? 'grant crm.lists.read and crm.lists.write to the app' : 'run the doctor again',
      });
      return;
    }
  }
  add(
    missing.length === 0
      ? { verdict: 'ok', title: `segmentation lists (portal ${portalId})`, detail: SEGMENT_LISTS.join(', ') }
      : {
          verdict: 'fail',
          title: `segmentation lists (portal ${portalId})`,
          detail: `missing: ${missing.join(', ')}`,
          fix: 'start the app (npm start): its portal setup creates them; if they stay missing, check crm.lists.write is granted and the app log',
        },
  );
}

async function checkSignedEndpoints(
  config: Config,
  portalId: number,
  opts: DoctorOptions,
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
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
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
