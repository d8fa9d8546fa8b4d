// Contacts read: the HubSpot sandbox runs as a separate process with N contacts and a rate limit; this process
// reads every contact through the HubSpot client (iterateObjects, 100 per page) and reports how much of the rate limit
// it used, how many 429s it met, and whether its memory stayed flat while reading.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHubSpotClient } from '../src/hubspot/sdk-client';
import { silentLogger } from '../src/shared/logger';
import { createMetrics, type Metrics } from '../src/shared/metrics';
import { ratioTo, type BenchContext, type BenchRow, type Scenario } from './scenario';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PORTAL = 61_001;
const TOKEN = 'bench-contacts-read-token';
const WINDOW_MS = 10_000;
const PROPERTIES = ['email', 'firstname', 'lastname', 'lifecyclestage', 'hubspot_owner_id', 'hs_language'];

interface Sandbox {
  url: string;
  child: ChildProcess;
}

/** Starts `src/cli/sandbox.ts` in its own process and waits until it has seeded and listens. */
function startSandbox(contacts: number, rateLimit: number, log: (m: string) => void): Promise<Sandbox> {
  const args = [
    '--import',
    'tsx',
    join(ROOT, 'src/cli/sandbox.ts'),
    '--port',
    '0',
    '--contacts',
    String(contacts),
    '--rate-limit',
    String(rateLimit),
    '--portal',
    String(PORTAL),
    '--token',
    TOKEN,
  ];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`sandbox did not start within 180 s:\n${output}`)), 180_000);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(err);
    };
    child.on('exit', (code) => fail(new Error(`sandbox exited with ${code}:\n${output}`)));
    child.stderr!.on('data', (d) => (output += d.toString()));
    const onOutput = (d: Buffer) => {
      output += d.toString();
      const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
      const seeded = /seeded (\d+) contacts.* in (\d+) ms/.exec(output);
      if (url && seeded) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.stdout!.off('data', onOutput);
        // Keep draining the sandbox's output so a full pipe never blocks it.
        child.stdout!.resume();
        log(`sandbox at ${url}: ${seeded[1]} contacts seeded in ${seeded[2]} ms`);
        resolve({ url, child });
      }
    };
    child.stdout!.on('data', onOutput);
  });
}

function stopSandbox(sandbox: Sandbox): Promise<void> {
  return new Promise((resolve) => {
    if (sandbox.child.exitCode !== null) return resolve();
    sandbox.child.once('exit', () => resolve());
    sandbox.child.kill('SIGTERM');
  });
}

async function counted(
  metrics: Metrics,
  name: string,
  keep: (labels: Partial<Record<string, string | number>>) => boolean,
): Promise<number> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  return (metric?.values ?? []).filter((v) => keep(v.labels)).reduce((sum, v) => sum + v.value, 0);
}

/**
 * Share of the rate limit used over the run's whole 10-second windows: a rolling window admits at most `limit`
 * calls in each of K disjoint windows, so calls started in the first K windows ÷ (K × limit). The last, partly
 * filled window is left out; runs shorter than one window report the plain rate against the limit.
 */
function windowUtilisation(starts: number[], limit: number): number {
  const t0 = starts[0] ?? 0;
  const windows = Math.floor(((starts[starts.length - 1] ?? t0) - t0) / WINDOW_MS);
  if (windows < 1) return starts.length / limit;
  return starts.filter((s) => s < t0 + windows * WINDOW_MS).length / (windows * limit);
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

async function readAll(ctx: BenchContext, contacts: number, rateLimit: number): Promise<BenchRow> {
  const sandbox = await startSandbox(contacts, rateLimit, ctx.log);
  const metrics = createMetrics();
  try {
    const portal = createHubSpotClient({
      baseUrl: sandbox.url,
      tokens: { getAccessToken: async () => TOKEN },
      logger: silentLogger,
      metrics,
    }).forPortal(PORTAL);
    const checkpoints = [0.25, 0.5, 1].map((share) => ({ share, at: Math.round(contacts * share), peakRss: 0 }));
    let read = 0;
    let peakRss = process.memoryUsage().rss;
    const starts: number[] = [];
    const started = performance.now();
    const pages = portal.iterateObjects('contacts', PROPERTIES);
    for (;;) {
      starts.push(performance.now());
      const next = await pages.next();
      if (next.done) {
        starts.pop();
        break;
      }
      read += next.value.results.length;
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      for (const c of checkpoints) if (read >= c.at && c.peakRss === 0) c.peakRss = peakRss;
      if (read % 10_000 === 0) ctx.log(`${read} contacts read`);
    }
    const elapsedS = (performance.now() - started) / 1000;
    const calls = await counted(metrics, 'nps_hubspot_calls_total', () => true);
    const rateLimited = await counted(metrics, 'nps_hubspot_rate_limited_total', () => true);
    const failed = await counted(
      metrics,
      'nps_hubspot_calls_total',
      (l) => String(l.status) !== '200' && String(l.status) !== '429',
    );
    const utilisation = windowUtilisation(starts, rateLimit);
    const figures: BenchRow['figures'] = {
      contacts: read,
      calls,
      elapsed_s: Math.round(elapsedS * 10) / 10,
      rps: Math.round((calls / elapsedS) * 100) / 100,
      limit_per_10s: rateLimit,
      pct_of_limit: Math.round(utilisation * 1000) / 10,
      http_429s: rateLimited,
      failed_calls: failed,
      calls_per_100_contacts: Math.round((calls / (read / 100)) * 100) / 100,
    };
    for (const c of checkpoints) figures[`peak_rss_mb_at_${c.at}`] = mb(c.peakRss);
    const flat = checkpoints[2]!.peakRss - checkpoints[0]!.peakRss < 64 * 1024 * 1024;
    return {
      name: `read ${contacts} contacts, sandbox limit ${rateLimit}/10 s`,
      figures,
      target: '≥90% of limit, 0 failed calls, all contacts read, RSS flat (<64 MB growth from 25% to 100%)',
      // A floor, so the ratio is target over measured: below 1 = more of the limit used than the 90% asked for.
      ratio: ratioTo(0.9, utilisation),
      met: utilisation >= 0.9 && failed === 0 && read === contacts && flat,
    };
  } finally {
    await stopSandbox(sandbox);
  }
}

export const scenario: Scenario = {
  name: 'contacts read',
  async run(ctx) {
    // The quick run is sized to span two full 10-second windows, so the utilisation figure means something.
    return ctx.quick ? [await readAll(ctx, 10_000, 40)] : [await readAll(ctx, 100_000, 190)];
  },
};
