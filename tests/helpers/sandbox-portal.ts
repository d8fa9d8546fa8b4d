import { afterAll, beforeAll } from 'vitest';
import type { Feature } from '../../src/core';
import { createSandbox, type Sandbox, type SeedOptions } from '../../src/sandbox';
import { TEST_ACCESS_TOKEN, TEST_CLIENT_SECRET, TEST_PORTAL_ID } from './env';
import { startTestServer, type TestServer } from './server';
import { waitFor } from './wait';

// The app (with the features under test) against the local HubSpot sandbox's test portal, webhooks off, and a
// reader of the sandbox's CRM through its public API. Call inside a describe or at a file's top level: it
// registers its own beforeAll/afterAll.

export interface SandboxPortal {
  readonly sandbox: Sandbox;
  readonly s: TestServer;
  /** GET on the sandbox's HubSpot API with the portal's token; throws on a non-2xx answer. */
  hubspot<T>(path: string): Promise<T>;
  /** The contact's properties, as HubSpot returns them (strings or null). */
  contactProps(id: number | string, properties: string): Promise<Record<string, string | null>>;
  /** The record ids in the dynamic list of that name, sorted. */
  listMembers(name: string): Promise<string[]>;
  /** Waits until the app has set the portal up in HubSpot (properties and lists). */
  setUp(): Promise<void>;
}

export function useSandboxPortal(opts: { seed: SeedOptions; features: Feature[] }): SandboxPortal {
  let sandbox: Sandbox | undefined;
  let s: TestServer | undefined;
  beforeAll(async () => {
    sandbox = createSandbox({
      portals: [{ portalId: TEST_PORTAL_ID, accessToken: TEST_ACCESS_TOKEN }],
      seed: opts.seed,
      app: { clientSecret: TEST_CLIENT_SECRET },
      webhooks: { targetUrl: null },
    });
    const { url } = await sandbox.listen();
    s = await startTestServer({ HUBSPOT_API_BASE_URL: url }, { features: opts.features });
  });
  afterAll(async () => {
    await s?.close();
    await sandbox?.close();
  });

  const hubspot = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${sandbox!.url()}${path}`, { headers: { authorization: `Bearer ${TEST_ACCESS_TOKEN}` } });
    if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    get sandbox() {
      return sandbox!;
    },
    get s() {
      return s!;
    },
    hubspot,
    contactProps: async (id, properties) =>
      (
        await hubspot<{ properties: Record<string, string | null> }>(
          `/crm/v3/objects/contacts/${id}?properties=${properties}`,
        )
      ).properties,
    async listMembers(name) {
      const { list } = await hubspot<{ list: { listId: string } }>(
        `/crm/v3/lists/object-type-id/0-1/name/${encodeURIComponent(name)}`,
      );
      const page = await hubspot<{ results: Array<{ recordId: string }> }>(
        `/crm/v3/lists/${list.listId}/memberships?limit=250`,
      );
      return page.results.map((r) => r.recordId).sort();
    },
    async setUp() {
      await waitFor(
        async () =>
          (
            await s!.deps.db.query<{ done: boolean }>(
              'SELECT setup_completed_at IS NOT NULL AS done FROM portals WHERE portal_id = $1',
              [TEST_PORTAL_ID],
            )
          ).rows[0]?.done,
        { timeoutMs: 30_000, what: 'portal setup' },
      );
    },
  };
}
