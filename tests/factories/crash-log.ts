import type { Queryable } from '../../src/storage/db';
import { insertRow } from './sql';

// crash_log is the crash tests' own bookkeeping table (created by the tests, not the product): which job started
// and finished in which process. Its rows are written here (own SQL).

export type CrashLogEvent = 'started' | 'finished';

export async function logCrashEvent(
  db: Queryable,
  jobKey: string,
  event: CrashLogEvent,
  pid = process.pid,
): Promise<void> {
  await insertRow(db, 'crash_log', { job_key: jobKey, event, pid });
}

export async function createCrashLog(db: { exec(sql: string): Promise<void> }): Promise<void> {
  await db.exec(
    'CREATE TABLE IF NOT EXISTS crash_log (job_key text NOT NULL, event text NOT NULL, pid integer NOT NULL, at timestamptz NOT NULL DEFAULT now())',
  );
}
