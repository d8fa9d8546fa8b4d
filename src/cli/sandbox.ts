/**
 * Runs the HubSpot sandbox on its own, e.g. for the benchmark or manual poking:
 *   tsx src/cli/sandbox.ts --port 4010 --contacts 100000 --rate-limit 190 --seed 1 --portal 1001 --token sandbox-token
 * Prints the URL and the static token, then serves until SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { createSandbox, DEFAULT_PORTAL_ID, DEFAULT_TOKEN } from '../sandbox';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4010' },
    contacts: { type: 'string' },
    'rate-limit': { type: 'string' },
    seed: { type: 'string', default: '1' },
    portal: { type: 'string', default: String(DEFAULT_PORTAL_ID) },
    token: { type: 'string', default: DEFAULT_TOKEN },
    'webhook-url': { type: 'string' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(
    'Usage: tsx src/cli/sandbox.ts [--port 4010] [--contacts N] [--rate-limit N] [--seed N] [--portal ID] [--token T]',
  );
  console.log('                              [--webhook-url URL] [--client-id ID] [--client-secret SECRET]');
  process.exit(0);
}

function integer(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--${name} must be a non-negative integer, got "${raw}"`);
    process.exit(2);
  }
  return value;
}

const rateLimit = integer('rate-limit', values['rate-limit']);
const started = Date.now();
const sandbox = createSandbox({
  portals: [{ portalId: integer('portal', values.portal)!, accessToken: values.token }],
  seed: { seed: integer('seed', values.seed), contacts: integer('contacts', values.contacts) },
  ...(rateLimit === undefined ? {} : { rateLimits: { tenSecondlyMax: rateLimit, oauthTenSecondlyMax: rateLimit } }),
  app: { clientId: values['client-id'], clientSecret: values['client-secret'] },
  ...(values['webhook-url'] ? { webhooks: { targetUrl: values['webhook-url'] } } : {}),
});
const { url } = await sandbox.listen(integer('port', values.port));
const counts = sandbox.portal().counts();
console.log(`HubSpot sandbox listening on ${url}`);
console.log(`portal ${sandbox.defaultPortalId}, static token: ${sandbox.defaultToken}`);
console.log(
  `seeded ${counts.contacts} contacts, ${counts.companies} companies, ${counts.deals} deals, ${counts.tickets} tickets in ${Date.now() - started} ms`,
);
console.log(
  `OAuth app: client_id=${sandbox.credentials.clientId} client_secret=${sandbox.credentials.clientSecret} app_id=${sandbox.credentials.appId}`,
);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal} received, stopping the sandbox`);
  await sandbox.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
