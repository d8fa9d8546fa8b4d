// `npm run demo`: the whole product against a seeded local HubSpot, on the embedded database, until Ctrl-C.
// `npm run demo -- --check`: the same, headless; runs a scripted scenario, prints a summary whose last line is
// one line of JSON, and exits 0 when every check passed, 1 otherwise.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFullSync } from '../contacts';
import { seedDemoHistory } from '../insights/demo-history';
import { startDemo, type DemoEnvironment } from './demo/environment';
import { runCheck } from './demo/check';

const args = process.argv.slice(2);
const check = args.includes('--check');
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const say = (line: string) => process.stdout.write(`${line}\n`);

function printUrls(env: DemoEnvironment): void {
  const base = env.app.url.replace('127.0.0.1', 'localhost');
  say('');
  say('NPS Loop demo is running:');
  say(`  dashboard      ${base}/dashboard/sign-in   (admin token: ${env.adminToken})`);
  say(`  TV view        ${base}/dashboard/tv        (create a TV link from the dashboard)`);
  say(`  mail outbox    ${base}/outbox              (survey emails land here; click a score to answer)`);
  say(`  health         ${base}/healthz   metrics ${base}/metrics`);
  say(`  HubSpot (sandbox) ${env.sandbox.url()}   control API ${env.sandbox.url()}/_sandbox/state`);
  say(`  move a deal to closed-won:  curl -X POST ${env.sandbox.url()}/_sandbox/deals/<dealId>/stage -H 'content-type: application/json' -d '{"stage":"closedwon"}'`);
  say('Press Ctrl-C to stop.');
}

async function main(): Promise<number> {
  const tempDir = check ? mkdtempSync(join(tmpdir(), 'nps-demo-check-')) : undefined;
  const env = await startDemo({
    dataDir: tempDir ?? flag('--data-dir', '.data/demo'),
    port: Number(flag('--port', check ? '0' : '3000')),
    sandboxPort: Number(flag('--sandbox-port', check ? '0' : '4010')),
    contacts: Number(flag('--contacts', '300')),
    logLevel: flag('--log-level', 'warn'),
  });
  try {
    if (check) {
      const summary = await runCheck(env, (line) => say(`• ${line}`));
      for (const f of summary.failures) say(`✗ ${f}`);
      say(JSON.stringify(summary));
      return summary.ok ? 0 : 1;
    }
    const sync = await runFullSync(env.app.deps, env.portalId);
    say(`Synced ${sync.processed} contacts from the sandbox portal ${env.portalId}.`);
    const answered = await env.app.deps.db.query<{ n: string }>('SELECT count(*) AS n FROM responses WHERE portal_id = $1', [env.portalId]);
    if (Number(answered.rows[0]!.n) === 0) await seedDemoHistory(env.app.deps.db, env.portalId, { months: 12, now: new Date(), seed: 7 });
    printUrls(env);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    return 0;
  } finally {
    await env.stop();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`demo failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.stdout.write(`${JSON.stringify({ ok: false, failures: [String(err instanceof Error ? err.message : err)] })}\n`);
    process.exit(1);
  },
);
