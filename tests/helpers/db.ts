import { openDb, type Db } from '../../src/storage/db';
import { migrate } from '../../src/storage/migrate';
import { TEST_DATABASE_URL, uniqueSchema } from './env';

export interface TestDb {
  db: Db;
  schema?: string;
  cleanup(): Promise<void>;
}

/** A migrated database of its own: a fresh schema on Postgres, or an in-memory PGlite. */
export async function openTestDb(): Promise<TestDb> {
  const schema = TEST_DATABASE_URL ? uniqueSchema() : undefined;
  const db = await openDb({ databaseUrl: TEST_DATABASE_URL, schema, poolSize: 5 });
  await migrate(db);
  return {
    db,
    schema,
    async cleanup() {
      await db.close();
      if (schema) await dropSchemas(schema);
    },
  };
}

/** Drops a test's schema and its job-queue schema (Postgres only). */
export async function dropSchemas(schema: string): Promise<void> {
  if (!TEST_DATABASE_URL) return;
  const admin = await openDb({ databaseUrl: TEST_DATABASE_URL, poolSize: 1 });
  try {
    await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP SCHEMA IF EXISTS ${schema}_jobs CASCADE`);
  } finally {
    await admin.close();
  }
}
