import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { loadConfig, processEnv, type Config } from '../../config/env';
import { createSandbox, type Sandbox } from '../../sandbox';
import { startServer, type RunningServer } from '../../app/server';
import { createLogger } from '../../shared/logger';

// The demo: a seeded local HubSpot (the sandbox), the real app on the embedded database wired to it, mail to
// the outbox folder. Nothing here is a shortcut the product takes in production: the app only sees HubSpot's
// wire format through HUBSPOT_API_BASE_URL and signed webhooks.

export interface DemoEnvironment {
  sandbox: Sandbox;
  app: RunningServer;
  config: Config;
  adminToken: string;
  portalId: number;
  dataDir: string;
  stop(): Promise<void>;
}

interface DemoKeys {
  clientSecret: string;
  surveySigningKey: string;
  encryptionKey: string;
  adminToken: string;
}

/** Keys are generated once per data folder, so survey links and sign-ins keep working across demo restarts. */
function demoKeys(dataDir: string): DemoKeys {
  const file = join(dataDir, 'demo-keys.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DemoKeys;
  const key = () => randomBytes(24).toString('base64url');
  const keys = { clientSecret: key(), surveySigningKey: key(), encryptionKey: key(), adminToken: key() };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}

/** Demo settings: surveys go out right after the milestone so the loop can be watched end to end. */
function demoSettingsFile(dataDir: string): string {
  const file = join(dataDir, 'demo-settings.json');
  writeFileSync(
    file,
    JSON.stringify(
      {
        brand: { name: 'Acme Analytics', senderName: 'Acme Customer Success', senderEmail: 'success@acme.example', color: '#1f5fbf' },
        triggers: [
          { id: 'deal-closed-won', objectType: 'deal', pipelineId: '*', stageId: 'closedwon', delayHours: 0 },
          { id: 'renewal-won', objectType: 'deal', pipelineId: '87654321', stageId: '87654324', delayHours: 0, wording: { followUpQuestion: 'What should we improve before your next renewal?' } },
          { id: 'ticket-closed', objectType: 'ticket', pipelineId: '0', stageId: '4', delayHours: 0 },
        ],
        followUps: { reviewUrl: 'https://www.g2.com/products/acme-analytics/reviews' },
      },
      null,
      2,
    ),
  );
  return file;
}

export async function freePort(preferred: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number>((resolvePort, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(port, '127.0.0.1', () => {
        const got = (srv.address() as { port: number }).port;
        srv.close(() => resolvePort(got));
      });
    });
  return tryPort(preferred).catch(() => tryPort(0));
}

export async function startDemo(opts: { dataDir: string; port: number; sandboxPort: number; contacts: number; logLevel: string }): Promise<DemoEnvironment> {
  const dataDir = resolve(opts.dataDir);
  const keys = demoKeys(dataDir);
  const sandbox = createSandbox({
    app: { clientSecret: keys.clientSecret },
    seed: { seed: 7, contacts: opts.contacts },
    rateLimits: { tenSecondlyMax: 190 },
  });
  const sb = await sandbox.listen(await freePort(opts.sandboxPort));
  const port = await freePort(opts.port);
  const publicBaseUrl = `http://127.0.0.1:${port}`;
  const env = processEnv();
  const config = loadConfig({
    PORT: String(port),
    PUBLIC_BASE_URL: publicBaseUrl,
    DATA_DIR: dataDir,
    DATABASE_URL: env.DEMO_DATABASE_URL,
    HUBSPOT_API_BASE_URL: sb.url,
    HUBSPOT_ACCESS_TOKEN: sandbox.defaultToken,
    HUBSPOT_PORTAL_ID: String(sandbox.defaultPortalId),
    HUBSPOT_CLIENT_SECRET: keys.clientSecret,
    SURVEY_SIGNING_KEY: keys.surveySigningKey,
    ENCRYPTION_KEY: keys.encryptionKey,
    ADMIN_TOKEN: keys.adminToken,
    NPS_SETTINGS_FILE: demoSettingsFile(dataDir),
    LOG_LEVEL: opts.logLevel,
  });
  const app = await startServer(config, { logger: createLogger(config.logLevel) });
  sandbox.webhooks.configure({ targetUrl: `${publicBaseUrl}/webhooks/hubspot`, retryDelayMs: 500 });
  return {
    sandbox,
    app,
    config,
    adminToken: keys.adminToken,
    portalId: sandbox.defaultPortalId,
    dataDir,
    async stop() {
      await app.stop();
      await sandbox.close();
    },
  };
}
