import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../src/sandbox';
import { openDb } from '../../src/storage/db';
import { spawnTs } from '../helpers/child';
import { dropSchemas } from '../helpers/db';
import { TEST_ACCESS_TOKEN, TEST_CLIENT_SECRET, TEST_DATABASE_URL, TEST_PORTAL_ID, uniqueSchema } from '../helpers/env';

// `npm run sync` as an operator runs it: a real child process against the sandbox, on its own database
// (a PGlite directory, or a fresh Postgres schema when DATABASE_URL is set).

let sandbox: Sandbox;
let apiUrl: string;
const dataDir = mkdtempSync(join(tmpdir(), 'nps-sync-cli-'));
const schema = TEST_DATABASE_URL ? uniqueSchema('cli') : undefined;

function databaseEnv(): Record<string, string | undefined> {
  if (!TEST_DATABASE_URL || !schema) return { DATA_DIR: dataDir };
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema},public`);
  return { DATABASE_URL: url.toString(), DATA_DIR: dataDir };
}

function runSync(args: string[] = []) {
  return spawnTs(
    'src/cli/sync.ts',
    {
      HUBSPOT_API_BASE_URL: apiUrl,
      HUBSPOT_ACCESS_TOKEN: TEST_ACCESS_TOKEN,
      HUBSPOT_PORTAL_ID: String(TEST_PORTAL_ID),
      HUBSPOT_CLIENT_SECRET: TEST_CLIENT_SECRET,
      SURVEY_SIGNING_KEY: 'test-survey-signing-key-0123456789',
      ENCRYPTION_KEY: 'test-encryption-key-0123456789',
      ...databaseEnv(),
    },
    args,
  );
}

async function mirroredCount(): Promise<number> {
  const db = await openDb({ databaseUrl: TEST_DATABASE_URL, dataDir: TEST_DATABASE_URL ? undefined : dataDir, schema });
  try {
    const r = await db.query<{ n: string }>('SELECT count(*) AS n FROM contacts WHERE deleted_at IS NULL');
    return Number(r.rows[0]!.n);
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  sandbox = createSandbox({
    portals: [{ portalId: TEST_PORTAL_ID, accessToken: TEST_ACCESS_TOKEN }],
    seed: { seed: 3, contacts: 230, companies: 10, deals: 0, tickets: 0 },
    app: { clientSecret: TEST_CLIENT_SECRET },
    webhooks: { targetUrl: null },
  });
  apiUrl = (await sandbox.listen()).url;
  if (schema) (await openDb({ databaseUrl: TEST_DATABASE_URL, schema, poolSize: 1 })).close();
});
afterAll(async () => {
  await sandbox?.close();
  if (schema) await dropSchemas(schema);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run sync', () => {
  it('syncs every contact with progress on stderr and the counts on stdout', async () => {
    const first = runSync();
    const { code } = await first.exited;
    expect(code, first.output()).toBe(0);
    expect(first.output()).toMatch(/230\/230 100%/);
    expect(first.output()).toMatch(
      /portal 1001: synced 230 contacts in \d+s — 230 new, 0 updated, 0 unchanged, 0 marked deleted; \d+ companies/,
    );
    expect(await mirroredCount()).toBe(230);
  });

  it('explains bad arguments and exits with a usage error', async () => {
    const bad = runSync(['--portal', 'abc']);
    expect((await bad.exited).code).toBe(64);
    expect(bad.output()).toContain('--portal must be a numeric HubSpot account id');
  });
});
