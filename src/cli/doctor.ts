import { parseArgs } from 'node:util';
import { processEnv } from '../config/env';
import { runDoctor } from './doctor/checks';

// `npm run doctor [-- --portal <id>] [--read-pglite]`: checks a real HubSpot connection (configuration, token and
// scopes, the nps properties and lists, the public URL, signed requests to each endpoint HubSpot calls) and prints
// one ✓ / ⚠ / ✗ line per check with what to fix. Exits 1 when a check failed.

const USAGE = 'usage: npm run doctor -- [--portal <portalId>] [--read-pglite]';

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        portal: { type: 'string' },
        'read-pglite': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 64;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  if (args.portal !== undefined && !/^\d{1,15}$/.test(args.portal)) {
    console.error(`--portal must be a numeric HubSpot account id, got "${args.portal}"\n${USAGE}`);
    return 64;
  }
  console.log('NPS Loop doctor: checking the connection to HubSpot\n');
  const result = await runDoctor({
    env: processEnv(),
    portal: args.portal === undefined ? undefined : Number(args.portal),
    readPglite: args['read-pglite'],
    write: (line) => console.log(line),
  });
  return result.exitCode;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
