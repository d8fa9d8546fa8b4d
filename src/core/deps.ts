import type { Config } from '../config';
import type { Db, Queryable } from '../storage';
import type { Jobs } from '../jobs';
import type { HubSpotClient } from '../hubspot';
import type { Logger } from '../shared';
import type { Clock } from '../shared';
import type { Metrics } from '../shared';
import type { Cipher } from '../shared';
import type { Settings } from './settings-schema';

/** Everything a feature needs from the outside world, built once in src/app/server.ts (or by a test). */
export interface AppDeps {
  config: Config;
  db: Db;
  jobs: Jobs;
  hubspot: HubSpotClient;
  logger: Logger;
  clock: Clock;
  metrics: Metrics;
  cipher: Cipher;
  /** Settings from NPS_SETTINGS_FILE for a newly installed portal. */
  settingsSeed: (portalId: number) => Settings | undefined;
  /** Problems found at run time that operators must see on /healthz (e.g. a HubSpot 400 on a write). */
  health: HealthProblems;
  /** Where survey mail goes when SMTP_URL is unset (the demo's captured-mail folder). */
  mailTransport?: MailTransport;
  /**
   * When the in-app widget last saw a contact signed in (src/web-survey, wired in src/app), so a rule whose channel
   * list starts with `web` can fall back for people who never use the web app. Absent: not checked.
   */
  lastWebSessionAt?: (db: Queryable, portalId: number, contactId: string) => Promise<Date | null>;
}

/** Somewhere other than SMTP for finished messages (raw RFC 5322 bytes). */
export interface MailTransport {
  deliver(raw: Buffer, meta: { messageId: string; to: string; subject: string; date: Date }): Promise<void>;
  /** Forgets the stored mails of these invitations (a privacy deletion); returns how many went. */
  forget?(invitationIds: string[]): Promise<number>;
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
