import { startServer, type RunningServer } from '../src/app/server';
import { loadConfig } from '../src/config/env';
import { silentLogger } from '../src/shared/logger';
import { openDb } from '../src/storage/db';

// A benchmark scenario: `npm run bench` runs each one and prints its rows as JSON and as a markdown table.

export interface BenchRow {
  /** What was measured, e.g. "card API on postgres". */
  name: string;
  /** Measured figures, e.g. { p50_ms: 4.1, p95_ms: 9.8, rps: 1500 }. */
  figures: Record<string, number | string | boolean>;
  /** The target this row is judged against, e.g. "p95 < 100 ms", and whether it was met. */
  target?: string;
  met?: boolean;
  /**
   * The measured figure over the target's limit (e.g. p99 31 ms against "p99 < 50 ms" → 0.62): below 1 the
   * target holds with room to spare, above 1 it is missed by that factor. Rows without a numeric target leave it
   * out; for "pNN < X ms" targets `npm run bench` works it out from the pNN_ms figure.
   */
  ratio?: number;
}

export type Engine = 'pglite' | 'postgres';

export interface BenchContext {
  /** Postgres URL when one answers (bench runs each engine it can reach). */
  databaseUrl?: string;
  /** The engines to run on: PGlite, and Postgres when it answers; `--engine name` keeps one. */
  engines: Engine[];
  /** --quick: smaller sizes, for a smoke run. */
  quick: boolean;
  log(message: string): void;
}

export interface Scenario {
  name: string;
  run(ctx: BenchContext): Promise<BenchRow[]>;
}

/** measured / limit, two decimals: the ratio column of the bench table (< 1 = target met). */
export function ratioTo(measured: number, limit: number): number {
  return Math.round((measured / limit) * 100) / 100;
}

/** Percentile of an unsorted sample (nearest-rank). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[rank]! * 100) / 100;
}

/** Drops a Postgres run's schemas: the app's and its job queue's (`<schema>_jobs`). */
export async function dropBenchSchemas(databaseUrl: string, schema: string): Promise<void> {
  const admin = await openDb({ databaseUrl, poolSize: 1 });
  try {
    await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP SCHEMA IF EXISTS ${schema}_jobs CASCADE`);
  } finally {
    await admin.close();
  }
}

/** Benchmarks measure the app, not a mail server: survey mail is handed over and dropped. */
export const discardMail = { deliver: async () => undefined };

/**
 * The app in-process for one benchmark: single-portal mode, workers off, silent, mail dropped, on PGlite in memory
 * or in its own Postgres schema. `env` names the portal, its secret and HubSpot's URL.
 */
export function startBenchApp(
  ctx: BenchContext,
  engine: Engine,
  schema: string,
  env: Record<string, string>,
): Promise<RunningServer> {
  const config = loadConfig({
    PORT: '0',
    DATABASE_URL: engine === 'postgres' ? ctx.databaseUrl : undefined,
    SURVEY_SIGNING_KEY: 'bench-signing-key-0123456789',
    ENCRYPTION_KEY: 'bench-encryption-key-0123456789',
    LOG_LEVEL: 'silent',
    RUN_WORKERS: 'false',
    ...env,
  });
  return startServer(config, {
    logger: silentLogger,
    mailTransport: discardMail,
    inMemory: true,
    dbSchema: engine === 'postgres' ? schema : undefined,
  });
}
