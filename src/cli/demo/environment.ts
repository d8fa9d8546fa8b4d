import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { loadConfig, processEnv, type Config } from '../../config/env';
import { features } from '../../app/feature-registry';
import { createSandbox, startTwilioStandIn, type Sandbox, type TwilioStandIn } from '../../sandbox';
import { startServer, type RunningServer } from '../../app/server';
import { getSettings } from '../../core';
import { createLogger } from '../../shared/logger';
import { evaluateFatigue } from '../../triggers/fatigue';
import { loadFatigueInput } from '../../triggers/fatigue.repo';
import { seedDemoThemes } from './themes';
import { seedDemoHistory, type DemoHistoryResult } from './history';
import { capturedMailDir, capturedMailTransport } from './mail-folder';
import { demoFeature } from './pages';
import { prepareWebSurveyDemo } from './web-app';

// The demo: a seeded local HubSpot (the sandbox), the real app on the embedded database wired to it, survey mail
// captured in DATA_DIR/mail and listed at /demo/mail (signed in). Nothing here is a shortcut the product takes in
// production: the app only sees HubSpot's wire format through HUBSPOT_API_BASE_URL and signed webhooks. The demo's
// own pages and mail transport are handed to startServer; `npm start` has neither.

export interface DemoEnvironment {
  sandbox: Sandbox;
  /** The local Twilio the app texts through (TWILIO_API_BASE_URL). */
  twilio: TwilioStandIn;
  app: RunningServer;
  config: Config;
  adminToken: string;
  portalId: number;
  dataDir: string;
  /** Where survey mails land (listed at /demo/mail). */
  mailDir: string;
  /** The app's base URL as a person opens it (localhost rather than 127.0.0.1). */
  appUrl: string;
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
        brand: {
          name: 'Acme Analytics',
          senderName: 'Acme Customer Success',
          senderEmail: 'success@acme.example',
          color: '#1f5fbf',
        },
        triggers: [
          { id: 'deal-closed-won', objectType: 'deal', pipelineId: '*', stageId: 'closedwon', delayHours: 0 },
          {
            id: 'renewal-won',
            objectType: 'deal',
            pipelineId: '87654321',
            stageId: '87654324',
            delayHours: 0,
            wording: { followUpQuestion: 'What should we improve before your next renewal?' },
          },
          {
            id: 'ticket-closed',
            objectType: 'ticket',
            pipelineId: '0',
            stageId: '4',
            delayHours: 0,
            // A text when the contact has a mobile number (through the local Twilio stand-in), else email.
            channel: ['sms', 'email'],
            replyWithNumber: true,
          },
        ],
        sms: { defaultCountry: 'DK' },
        followUps: { reviewUrl: 'https://www.g2.com/products/acme-analytics/reviews' },
        // Promoters are asked for a review on two sites (tracked redirects, src/reviews).
        thankYou: {
          reviewSites: [
            { name: 'G2', url: 'https://www.g2.com/products/acme-analytics/reviews' },
            { name: 'Capterra', url: 'https://www.capterra.com/p/000000/acme-analytics/reviews/' },
          ],
        },
        // Detractor alerts to the contact owner, one email per answer (it lands in the demo mail folder).
        alerts: { enabled: true, ownerEmail: true },
        // A published benchmark beside the demo's NPS on the dashboard (see src/benchmarks).
        insights: { benchmarkIndustry: 'b2b-services' },
      },
      null,
      2,
    ),
  );
  return file;
}

// The stand-in accepts any account; these only have to match between it and the app.
const DEMO_TWILIO_SID = `AC${'de30'.repeat(8)}`;
const DEMO_TWILIO_TOKEN = 'demo-twilio-auth-token';

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

export async function startDemo(opts: {
  dataDir: string;
  port: number;
  sandboxPort: number;
  contacts: number;
  logLevel: string;
}): Promise<DemoEnvironment> {
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
  const twilio = await startTwilioStandIn({
    accountSid: DEMO_TWILIO_SID,
    authToken: DEMO_TWILIO_TOKEN,
    inboundUrl: `${publicBaseUrl}/webhooks/twilio/inbound`,
  });
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
    TWILIO_ACCOUNT_SID: DEMO_TWILIO_SID,
    TWILIO_AUTH_TOKEN: DEMO_TWILIO_TOKEN,
    TWILIO_FROM: '+4570000000',
    TWILIO_API_BASE_URL: twilio.url,
  });
  const mailDir = capturedMailDir(dataDir);
  const app = await startServer(config, {
    logger: createLogger(config.logLevel),
    features: [...features, demoFeature],
    mailTransport: capturedMailTransport(mailDir),
  });
  sandbox.webhooks.configure({ targetUrl: `${publicBaseUrl}/webhooks/hubspot`, retryDelayMs: 500 });
  const appUrl = app.url.replace('127.0.0.1', 'localhost');
  await prepareWebSurveyDemo(app.deps, sandbox.defaultPortalId, [publicBaseUrl, appUrl]);
  // The control page's buttons close deals and tickets of contacts the app would survey now, by the app's own rule.
  sandbox.controlPanel.configure({
    eligible: async (contactId, portalId) => {
      const settings = await getSettings(app.deps.db, portalId);
      const input = await loadFatigueInput(app.deps.db, portalId, contactId);
      return evaluateFatigue({ now: new Date(), quietPeriodDays: settings.quietPeriodDays, ...input }).ok;
    },
    links: [
      { label: 'Dashboard sign-in', href: `${appUrl}/dashboard/sign-in` },
      { label: 'Demo mail (the survey emails)', href: `${appUrl}/demo/mail` },
      { label: 'Dashboard', href: `${appUrl}/dashboard` },
      { label: 'Sample web app (the in-app survey)', href: `${appUrl}/demo/web-app` },
    ],
    contactLink: { label: 'what the CRM card shows', href: `${appUrl}/demo/card/{contactId}` },
  });
  return {
    sandbox,
    twilio,
    app,
    config,
    adminToken: keys.adminToken,
    portalId: sandbox.defaultPortalId,
    dataDir,
    mailDir,
    appUrl,
    async stop() {
      await app.stop();
      await sandbox.close();
      await twilio.close();
    },
  };
}

/**
 * Contacts whose history stops before the quiet period: every other contact of an open deal or ticket (lowest
 * ids first), so part of the closable deals and tickets send a survey right away and the rest show the quiet period.
 */
function lapsedContacts(sandbox: Sandbox): number[] {
  const portal = sandbox.portal();
  const open = new Set<number>();
  for (const [type, stageProperty] of [
    ['deals', 'dealstage'],
    ['tickets', 'hs_pipeline_stage'],
  ] as const) {
    for (const record of portal.tables[type].all()) {
      const pipeline = portal.pipelines.pipelineOfStage(type, record.properties[stageProperty] ?? '');
      const stage = pipeline?.stages.find((st) => st.id === record.properties[stageProperty]);
      if (!stage || stage.metadata.isClosed === 'true') continue;
      for (const [contactId] of portal.liveAssociations(type, record.id, 'contacts')) open.add(contactId);
    }
  }
  return [...open].sort((a, b) => a - b).filter((_, i) => i % 2 === 0);
}

/** A year of answer history for the insights, with the lapsed contacts above outside the quiet period. */
export async function seedHistory(env: DemoEnvironment, now = new Date()): Promise<DemoHistoryResult> {
  const history = await seedDemoHistory(env.app.deps.db, env.portalId, {
    months: 12,
    now,
    seed: 7,
    lapsedContactIds: lapsedContacts(env.sandbox),
  });
  // Themes for the history's comments, so the dashboard shows what each category talks about.
  await seedDemoThemes(env.app.deps, env.portalId);
  return history;
}
