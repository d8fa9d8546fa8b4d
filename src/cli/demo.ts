// `npm run demo`: the whole product against a seeded local HubSpot, on the embedded database, until Ctrl-C.
// `npm run demo -- --check`: the same, headless; runs a scripted scenario, prints a summary whose last line is
// one line of JSON, and exits 0 when every check passed, 1 otherwise.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFullSync } from '../contacts';
import { seedHistory, startDemo, type DemoEnvironment } from './demo/environment';
import { runCheck } from './demo/check';
import { countAnswers } from './demo/demo.repo';

const args = process.argv.slice(2);
const check = args.includes('--check');
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const say = (line: string) => process.stdout.write(`${line}\n`);

async function printUrls(env: DemoEnvironment): Promise<void> {
  const base = env.appUrl;
  const sandbox = env.sandbox.url().replace('127.0.0.1', 'localhost');
  const [deal] = await env.sandbox.controlPanel.candidates('deal');
  const [ticket] = await env.sandbox.controlPanel.candidates('ticket');
  say('');
  say('NPS Loop demo is running. Try the whole loop:');
  say(`  1. sign in        ${base}/dashboard/sign-in   admin token: ${env.adminToken}`);
  say(`  2. control page   ${sandbox}/_control          click "Close a deal" (or "Close a ticket")`);
  say(`  3. demo mail      ${base}/demo/mail            the survey lands here within about 15 s; click a score`);
  say(
    `  4. back on the control page: the contact's nps_* properties, the follow-up task, and "what the CRM card shows"`,
  );
  say('');
  say(
    `  dashboard ${base}/dashboard   TV view ${base}/dashboard/tv   health ${base}/healthz   metrics ${base}/metrics`,
  );
  say(`  sandbox control API ${sandbox}/_sandbox/state`);
  const twilio = env.twilio.url.replace('127.0.0.1', 'localhost');
  say(`  texts (local Twilio) ${twilio}/_stand-in/messages   closed tickets text contacts with a mobile number`);
  say(
    `    curl -X POST ${twilio}/_stand-in/messages/<sid>/status -H 'content-type: application/json' -d '{"status":"delivered"}'`,
  );
  say(`    curl -X POST ${twilio}/_stand-in/reply -H 'content-type: application/json' -d '{"body":"9"}'   (or "STOP")`);
  say('  the same clicks from a terminal:');
  say(`    curl -X POST ${sandbox}/_control/close-deal`);
  say(`    curl -X POST ${sandbox}/_control/close-ticket`);
  if (deal)
    say(
      `    curl -X POST ${sandbox}/_sandbox/deals/${deal.id}/stage -H 'content-type: application/json' -d '{"stage":"${deal.toStage}"}'`,
    );
  if (ticket)
    say(
      `    curl -X POST ${sandbox}/_sandbox/tickets/${ticket.id}/stage -H 'content-type: application/json' -d '{"stage":"${ticket.toStage}"}'`,
    );
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
    if ((await countAnswers(env.app.deps.db, env.portalId)) === 0) await seedHistory(env);
    await printUrls(env);
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
    process.stdout.write(
      `${JSON.stringify({ ok: false, failures: [String(err instanceof Error ? err.message : err)] })}\n`,
    );
    process.exit(1);
  },
);
