import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';

// One SQL dialect (PostgreSQL) on two engines: PGlite in-process when DATABASE_URL is unset, a pg pool otherwise.
// Repositories receive a Queryable, so the same code runs inside or outside a transaction.

interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

interface QueryOptions {
  /**
   * Keeps the statement prepared on each Postgres connection under this name, so it is parsed and planned once
   * per connection instead of on every call. For hot-path statements only; each name must always carry the same
   * SQL. PGlite ignores it.
   */
  prepareAs?: string;
}

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], opts?: QueryOptions): Promise<QueryResult<T>>;
}

/** A transaction: queries plus parameterless multi-statement scripts (migrations). */
interface Transaction extends Queryable {
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly engine: 'pglite' | 'postgres';
  /** Runs fn in one transaction; commits if it resolves, rolls back if it throws. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /** Parameterless, possibly multi-statement SQL (migrations). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
  /** How pg-boss reaches this database: its own pool on Postgres, or our in-process PGlite connection. */
  jobStore(): { connectionString: string; schema?: string } | { db: JobDb };
}

/** pg-boss's `db` adapter contract. */
interface JobDb {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: any[] }>;
}

export interface DbOptions {
  /** Postgres connection string; when absent, PGlite is used. */
  databaseUrl?: string;
  /** PGlite data directory; absent → in-memory. */
  dataDir?: string;
  /** Postgres schema to use (tests isolate themselves in a fresh schema). */
  schema?: string;
  poolSize?: number;
}

export async function openDb(opts: DbOptions): Promise<Db> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts) : openPglite(opts.dataDir);
}

async function openPglite(dataDir?: string): Promise<Db> {
  let dir: string | undefined;
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    dir = join(dataDir, 'pglite');
  }
  const lite = await PGlite.create(dir);
  const wrap = (q: { query: PGlite['query'] }): Queryable => ({
    async query<T>(sql: string, params: unknown[] = []) {
      const r = await q.query<T>(sql, params as any[]);
      return { rows: r.rows, rowCount: r.affectedRows || r.rows.length };
    },
  });
  const base = wrap(lite);
  // pg-boss sends its schema DDL as parameterless multi-statement SQL, which only exec() accepts.
  const jobDb: JobDb = {
    async executeSql(text, values) {
      if (!values || values.length === 0) {
        const results = await lite.exec(text);
        return { rows: results[results.length - 1]?.rows ?? [] };
      }
      return lite.query(text, values as any[]);
    },
  };
  return {
    engine: 'pglite',
    jobStore: () => ({ db: jobDb }),
    query: base.query,
    transaction: (fn) =>
      lite.transaction((tx) =>
        fn({
          ...wrap(tx),
          async exec(sql) {
            await tx.exec(sql);
          },
        }),
      ),
    async exec(sql) {
      await lite.exec(sql);
    },
    async close() {
      if (!lite.closed) await lite.close();
    },
  };
}

async function openPostgres(url: string, opts: DbOptions): Promise<Db> {
  const schema = opts.schema;
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    // No JIT: the app's statements are short reads and writes, and once a table holds a million rows the planner's
    // estimates (a dashboard statement's unexecuted fallback branch included) pass jit_above_cost, so each call
    // would spend 0.3–1.5 s compiling code for a query that runs in milliseconds.
    options: `-c jit=off${schema ? ` -c search_path=${schema},public` : ''}`,
  });
  // An idle client that errors (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  const run = (c: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T>(sql: string, params: unknown[] = [], opts?: QueryOptions) {
      const r = await c.query(
        opts?.prepareAs ? { name: opts.prepareAs, text: sql, values: params } : { text: sql, values: params },
      );
      return { rows: r.rows as T[], rowCount: r.rowCount ?? r.rows.length };
    },
  });
  const base = run(pool);
  return {
    engine: 'postgres',
    jobStore: () => ({ connectionString: url, schema }),
    query: base.query,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({
          ...run(client),
          async exec(sql) {
            await client.query(sql);
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async exec(sql) {
      await pool.query(sql);
    },
    async close() {
      await pool.end();
    },
  };
}
