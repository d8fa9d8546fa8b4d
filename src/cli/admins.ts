import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, processEnv } from '../config/env';
import { addPortalAdmin, getPortal, listPortalAdmins } from '../core';
import { startServer } from '../app/server';
import { createLogger } from '../shared/logger';

// `npm run admins -- --portal <id> [--add <email>]`: lists a portal's NPS Loop admins, or adds one by email. The
// way in for an operator when HubSpot did not name the installing user (then /healthz says the portal has no admin);
// after that, admins manage the list themselves in the dashboard.

const USAGE = 'usage: npm run admins -- --portal <portalId> [--add <email>]';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

async function main(): Promise<number> {
  let values;
  try {
    values = parseArgs({
      options: { portal: { type: 'string' }, add: { type: 'string' }, help: { type: 'boolean' } },
    }).values;
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 64;
  }
  if (values.help) return (console.log(USAGE), 0);
  if (!values.portal || !/^\d{1,15}$/.test(values.portal)) return (console.error(USAGE), 64);
  if (values.add !== undefined && (!EMAIL.test(values.add) || values.add.length > 254))
    return (console.error(`--add must be an email address, got "${values.add}"\n${USAGE}`), 64);
  let config;
  try {
    config = loadConfig(processEnv());
  } catch (err) {
    if (err instanceof ConfigError) return (console.error(`npm run admins cannot start: ${err.message}`), 78);
    throw err;
  }
  const running = await startServer(
    { ...config, runWorkers: false },
    { logger: createLogger('error'), listen: false, features: [] },
  );
  try {
    const portalId = Number(values.portal);
    if (!(await getPortal(running.deps.db, portalId))) return (console.error(`portal ${portalId} is not installed`), 1);
    if (values.add) await addPortalAdmin(running.deps.db, portalId, { email: values.add }, 'cli', new Date());
    const admins = await listPortalAdmins(running.deps.db, portalId);
    console.log(
      admins.length === 0
        ? `portal ${portalId} has no NPS Loop admin`
        : admins.map((a) => a.email ?? `HubSpot user ${a.hubspotUserId}`).join('\n'),
    );
    return 0;
  } finally {
    await running.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`npm run admins failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
