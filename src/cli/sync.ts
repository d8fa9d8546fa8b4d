import { ConfigError, loadConfig, processEnv } from '../config/env';
import { runFullSync, type SyncProgress, type SyncResult } from '../contacts';
import { formatDuration, formatProgress, progressThrottle } from '../contacts/progress';
import { listActivePortalIds } from '../core/portals.repo';
import { startServer } from '../app/server';
import { createLogger } from '../shared/logger';
import { parsePortalArgs } from './portal-args';

// `npm run sync [-- --portal <id>] [--restart]`: a full contact sync from the command line, with a progress bar on
// stderr and the final counts on stdout. An interrupted sync (crash, Ctrl-C) resumes from its last page when run
// again; --restart starts from the first page.

const USAGE = 'usage: npm run sync -- [--portal <portalId>] [--restart]';

async function main(): Promise<number> {
  const args = parsePortalArgs(USAGE, 'restart');
  if (typeof args === 'number') return args;
  const env = processEnv();
  let config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`npm run sync cannot start: ${err.message}`);
      return 78;
    }
    throw err;
  }
  // Logs go to stdout as JSON; keep them to errors unless asked, so the progress bar and summary stay readable.
  const logger = createLogger(env.LOG_LEVEL ? config.logLevel : 'error');
  // The same dependencies as the server, without its features: no routes, workers or start-up side effects.
  const running = await startServer({ ...config, runWorkers: false }, { logger, listen: false, features: [] });
  try {
    const portals =
      args.portal !== undefined
        ? [args.portal]
        : config.hubspot.staticPortal
          ? [config.hubspot.staticPortal.portalId]
          : await listActivePortalIds(running.deps.db);
    if (portals.length === 0) {
      console.error('no installed portal to sync: install the app or set HUBSPOT_ACCESS_TOKEN and HUBSPOT_PORTAL_ID');
      return 1;
    }
    let failed = 0;
    for (const portalId of portals) {
      const started = Date.now();
      const progress = progressPrinter(portalId, started);
      try {
        const result = await runFullSync(running.deps, portalId, {
          restart: args.flag,
          onProgress: progress.update,
        });
        progress.done();
        console.log(summary(portalId, result, Date.now() - started));
      } catch (err) {
        progress.done();
        failed++;
        console.error(
          `portal ${portalId}: sync failed: ${(err as Error).message} (run again to resume from the last saved page)`,
        );
      }
    }
    return failed > 0 ? 1 : 0;
  } finally {
    await running.stop();
  }
}

function progressPrinter(portalId: number, started: number) {
  const tty = Boolean(process.stderr.isTTY);
  const due = progressThrottle(tty);
  let latest: SyncProgress | undefined;
  const draw = (p: SyncProgress, final: boolean) => {
    const now = Date.now();
    if (!due(now, final)) return;
    const line = `portal ${portalId}${p.resumed ? ' (resumed)' : ''}: ${formatProgress({ processed: p.processed, total: p.total, elapsedMs: now - started })}`;
    // On a terminal the bar is redrawn in place; in a pipe or log each update is its own line.
    process.stderr.write(tty ? `\r${line}\x1b[K${final ? '\n' : ''}` : `${line}\n`);
  };
  return {
    update: (p: SyncProgress) => draw((latest = p), false),
    /** Draws the last state and ends the line, so the summary starts on a line of its own. */
    done: () => latest && draw(latest, true),
  };
}

function summary(portalId: number, r: SyncResult, elapsedMs: number): string {
  return (
    `portal ${portalId}: synced ${r.processed} contacts in ${formatDuration(elapsedMs)}${r.resumed ? ' (resumed)' : ''} — ` +
    `${r.created} new, ${r.updated} updated, ${r.unchanged} unchanged, ${r.deleted} marked deleted; ${r.companies} companies`
  );
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`npm run sync failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
