import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Express } from 'express';
import type { Config } from '../config/env';
import { createHealthProblems, type AppDeps } from '../core/deps';
import type { Feature } from '../core/feature-contract';
import { features as allFeatures } from './feature-registry';
import { buildApp } from './http-app';
import { openDb } from '../storage/db';
import { migrate } from '../storage/migrate';
import { createJobs } from '../jobs/queue';
import { createLogger, type Logger } from '../shared/logger';
import { systemClock, type Clock } from '../shared/clock';
import { createMetrics } from '../shared/metrics';
import { createCipher } from '../shared/crypto';
import { createHubSpotClient } from '../hubspot/sdk-client';
import { createTokenProvider } from '../portals/token-manager';
import { ensureStaticPortal } from '../core/portals.repo';
import { loadSettingsFile, seedSettings } from '../core/settings-service';
import { webhookQueues } from '../webhooks/process';
import type { MailTransport } from '../core';
import { lastWebSessionAt } from '../web-survey';

export interface RunningServer {
  deps: AppDeps;
  app: Express;
  server?: Server;
  url: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  clock?: Clock;
  features?: Feature[];
  /** Listen on config.port (0 = any free port). Default true. */
  listen?: boolean;
  /** Postgres schema (tests isolate themselves); PGlite ignores it. */
  dbSchema?: string;
  /** PGlite in memory instead of under DATA_DIR (tests). */
  inMemory?: boolean;
  /** Receives survey mail when SMTP_URL is unset (the demo's captured-mail folder). */
  mailTransport?: MailTransport;
}

/** Builds every dependency, applies migrations, starts the queue and workers, and (optionally) listens. */
export async function startServer(config: Config, opts: StartOptions = {}): Promise<RunningServer> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const clock = opts.clock ?? systemClock;
  const features = opts.features ?? allFeatures;
  const settingsSeed = config.settingsFile ? loadSettingsFile(config.settingsFile) : () => undefined;
  const db = await openDb({
    databaseUrl: config.databaseUrl,
    dataDir: opts.inMemory ? undefined : join(config.dataDir),
    schema: opts.dbSchema ?? config.databaseSchema,
  });
  const applied = await migrate(db);
  if (applied.length) logger.info({ applied }, 'database migrations applied');
  const jobs = createJobs(db, logger);
  const metrics = createMetrics({ defaults: opts.listen !== false });
  const cipher = createCipher(config.encryptionKey);
  const health = createHealthProblems();
  const tokens = createTokenProvider({ config, db, cipher, logger, clock, health });
  const hubspot = createHubSpotClient({ baseUrl: config.hubspot.apiBaseUrl, tokens, logger, metrics, db });
  const deps: AppDeps = {
    config,
    db,
    jobs,
    hubspot,
    logger,
    clock,
    metrics,
    cipher,
    settingsSeed,
    health,
    mailTransport: opts.mailTransport,
    lastWebSessionAt,
  };

  if (config.hubspot.staticPortal) {
    const { portalId } = config.hubspot.staticPortal;
    await ensureStaticPortal(db, portalId);
    await seedSettings(db, portalId, settingsSeed(portalId));
  }
  for (const def of webhookQueues(deps, features)) jobs.define(def);
  for (const feature of features) for (const def of feature.queues?.(deps) ?? []) jobs.define(def);
  await jobs.start();
  for (const feature of features) await feature.start?.(deps);
  if (config.runWorkers) await jobs.startWorkers();

  const app = buildApp(deps, features);
  let server: Server | undefined;
  let url = config.publicBaseUrl;
  if (opts.listen !== false) {
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(config.port, '0.0.0.0', () => resolve(s));
      // A load balancer or proxy in front keeps idle connections for about 60 s. If the app closed them first
      // (Node's default is 5 s), a request sent down a closing socket would fail, so the app outlasts the proxy.
      s.keepAliveTimeout = 65_000;
      s.headersTimeout = 66_000;
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    logger.info({ url, publicBaseUrl: config.publicBaseUrl, engine: db.engine }, 'NPS Loop listening');
  }

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      await jobs.stop({ graceful: true, timeoutMs: 10_000 });
      await db.close();
    })());
  return { deps, app, server, url, stop };
}
