import type { Config } from './config/env';
import type { Db } from './storage/db';
import type { Jobs } from './jobs/queue';
import type { HubSpotGateway } from './hubspot/port';
import type { Logger } from './shared/logger';
import type { Clock } from './shared/clock';
import type { Metrics } from './shared/metrics';
import type { Cipher } from './shared/crypto';
import type { Settings } from './settings/schema';
import type { MailTransport } from './surveys/mailer';

/** Everything a feature needs from the outside world, built once in main.ts (or by a test). */
export interface AppDeps {
  config: Config;
  db: Db;
  jobs: Jobs;
  hubspot: HubSpotGateway;
  logger: Logger;
  clock: Clock;
  metrics: Metrics;
  cipher: Cipher;
  /** Settings from NPS_SETTINGS_FILE for a newly installed portal. */
  settingsSeed: (portalId: number) => Settings | undefined;
  /** Problems found at run time that operators must see on /healthz (e.g. a HubSpot 400 on a write). */
  health: HealthProblems;
  /** Where survey mail goes when SMTP_URL is unset (the demo's captured-mail folder); none → built and dropped. */
  mailTransport?: MailTransport;
}

export interface HealthProblems {
  report(key: string, problem: { portalId?: number; message: string }): void;
  clear(key: string): void;
  list(): Array<{ key: string; portalId?: number; message: string; since: string }>;
}

export function createHealthProblems(): HealthProblems {
  const problems = new Map<string, { portalId?: number; message: string; since: string }>();
  return {
    report: (key, p) => {
      if (!problems.has(key)) problems.set(key, { ...p, since: new Date().toISOString() });
    },
    clear: (key) => void problems.delete(key),
    list: () => [...problems.entries()].map(([key, p]) => ({ key, ...p })),
  };
}
