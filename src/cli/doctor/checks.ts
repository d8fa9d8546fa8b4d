import { startServer, type RunningServer } from '../../app/server';
import { listActivePortalIds, type AppDeps } from '../../core';
import { createLogger } from '../../shared/logger';
import { checkConfiguration, checkPublicUrl } from './config-checks';
import { checkSignedEndpoints } from './endpoint-checks';
import { checkPortal } from './portal-checks';
import { formatLine, summary, type CheckLine } from './report';

// `npm run doctor`: checks a real HubSpot connection end to end and says, line by line, what to fix.

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
  const config = checkConfiguration(opts.env, add);
  if (!config) return finish();
  const staticPortal = config.hubspot.staticPortal;

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
    if (reachable)
      await checkSignedEndpoints(config, portals?.[0] ?? staticPortal?.portalId ?? 0, opts.timeoutMs ?? 10_000, add);
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
