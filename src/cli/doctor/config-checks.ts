import type { Config } from '../../config/env';
import { ConfigError, loadConfig } from '../../config/env';
import type { CheckLine } from './report';

// Doctor checks of the configuration and of the public address HubSpot calls.

/** The app's own configuration schema, so a variable the app would refuse is named here. */
export function checkConfiguration(
  env: Record<string, string | undefined>,
  add: (l: CheckLine) => void,
): Config | undefined {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    add({
      verdict: 'fail',
      title: 'configuration',
      detail: err.problems.join('; '),
      fix: 'set the variables named above (see README "Configuration") in the environment the app runs with',
    });
    return undefined;
  }
  const staticPortal = config.hubspot.staticPortal;
  add({
    verdict: env.PUBLIC_BASE_URL === undefined ? 'warn' : 'ok',
    title: 'configuration',
    detail: `${staticPortal ? `single-portal mode (portal ${staticPortal.portalId})` : 'OAuth mode'}, database ${config.databaseUrl ? 'Postgres' : 'PGlite'}, public URL ${config.publicBaseUrl}`,
    fix: 'PUBLIC_BASE_URL is not set: set it to the HTTPS address HubSpot calls',
  });
  return config;
}

/** The public address HubSpot calls: it must answer /healthz, over HTTPS unless on this machine. */
export async function checkPublicUrl(base: string, timeoutMs: number, add: (l: CheckLine) => void): Promise<boolean> {
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
