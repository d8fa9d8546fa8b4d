import { processEnv } from '../config/env';
import { runDoctor } from './doctor/checks';
import { parsePortalArgs } from './portal-args';

// `npm run doctor [-- --portal <id>] [--read-pglite]`: checks a real HubSpot connection (configuration, token and
// scopes, the nps properties and lists, the public URL, signed requests to each endpoint HubSpot calls) and prints
// one ✓ / ⚠ / ✗ line per check with what to fix. Exits 1 when a check failed.

const USAGE = 'usage: npm run doctor -- [--portal <portalId>] [--read-pglite]';

async function main(): Promise<number> {
  const args = parsePortalArgs(USAGE, 'read-pglite');
  if (typeof args === 'number') return args;
  console.log('NPS Loop doctor: checking the connection to HubSpot\n');
  const result = await runDoctor({
    env: processEnv(),
    portal: args.portal,
    readPglite: args.flag,
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
