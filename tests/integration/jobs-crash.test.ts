import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/storage/db';
import { spawnTs } from '../helpers/child';
import { dropSchemas } from '../helpers/db';
import { TEST_DATABASE_URL, uniqueSchema } from '../helpers/env';

// Each test gets its own database: a Postgres schema in CI, a PGlite directory otherwise (one process at a time).
function workerEnv() {
  const schema = TEST_DATABASE_URL ? uniqueSchema('crash') : undefined;
  const dataDir = TEST_DATABASE_URL ? undefined : mkdtempSync(join(tmpdir(), 'nps-crash-'));
  return {
    schema,
    dataDir,
    env: { WORKER_DATABASE_URL: TEST_DATABASE_URL, WORKER_SCHEMA: schema, WORKER_DATA_DIR: dataDir },
  };
}

async function readLog(w: ReturnType<typeof workerEnv>): Promise<Array<{ event: string; pid: number }>> {
  const db: Db = await openDb({ databaseUrl: TEST_DATABASE_URL, dataDir: w.dataDir, schema: w.schema });
  try {
    const r = await db.query<{ event: string; pid: number }>('SELECT event, pid FROM crash_log ORDER BY at');
    return r.rows;
  } finally {
    await db.close();
  }
}

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

function track(w: ReturnType<typeof workerEnv>) {
  cleanups.push(async () => {
    if (w.schema) await dropSchemas(w.schema);
    if (w.dataDir) rmSync(w.dataDir, { recursive: true, force: true });
  });
}

describe('job queue across process crashes', () => {
  it('when a worker is killed with SIGKILL mid-job, the job runs again after restart and finishes', async () => {
    const w = workerEnv();
    track(w);
    const first = spawnTs('tests/fixtures/job-worker.ts', { ...w.env, WORKER_SEND_KEY: 'k1', WORKER_JOB_MS: '60000' });
    await first.waitForOutput('ready');
    await new Promise((r) => setTimeout(r, 1500));
    first.proc.kill('SIGKILL');
    const killed = await first.exited;
    expect(killed.signal).toBe('SIGKILL');
    const afterKill = await readLog(w);
    expect(afterKill.map((e) => e.event)).toEqual(['started']);

    const second = spawnTs('tests/fixtures/job-worker.ts', { ...w.env, WORKER_JOB_MS: '100' });
    await second.waitForOutput('ready');
    await second.waitForOutput('finished k1', 45_000);
    second.proc.kill('SIGTERM');
    await second.exited;
    const log = await readLog(w);
    expect(log.filter((e) => e.event === 'finished')).toHaveLength(1);
    expect(log.filter((e) => e.event === 'started').length).toBeGreaterThanOrEqual(2);
    expect(log.find((e) => e.event === 'finished')!.pid).toBe(second.proc.pid);
  }, 90_000);

  it('when a worker gets SIGTERM mid-job, it finishes the job before exiting', async () => {
    const w = workerEnv();
    track(w);
    const worker = spawnTs('tests/fixtures/job-worker.ts', { ...w.env, WORKER_SEND_KEY: 'k2', WORKER_JOB_MS: '1500' });
    await worker.waitForOutput('ready');
    await new Promise((r) => setTimeout(r, 900));
    worker.proc.kill('SIGTERM');
    const exit = await worker.exited;
    expect(exit.code).toBe(0);
    expect(worker.output()).toContain('stopped');
    const log = await readLog(w);
    expect(log.map((e) => e.event)).toEqual(['started', 'finished']);
  }, 60_000);
});
