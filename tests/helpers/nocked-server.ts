import nock from 'nock';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { COMPANY_PROPERTIES, CONTACT_PROPERTIES } from '../../src/responses/property-definitions';
import type { StartOptions } from '../../src/app/server';
import { startTestServer, type TestServer } from './server';

export const HUBSPOT = 'https://api.hubapi.com';

export interface NockedServerOptions {
  env?: Record<string, string | undefined>;
  start?: StartOptions;
  /** Runs before the server starts: the persistent interceptors its start-up needs. */
  before?: () => void;
  /** Runs once the server is up, before the first test: seed data. */
  seed?: (server: TestServer) => Promise<unknown>;
  /** Drops every interceptor after each test, for suites whose tests each fake their own HubSpot. */
  resetNockAfterEach?: boolean;
}

/**
 * The real app for a suite that fakes HubSpot with nock: while the suite runs nothing but 127.0.0.1 is reachable.
 * The server starts before the suite's tests and goes, database and all, after them; the getter returns it.
 */
export function useNockedServer(opts: NockedServerOptions = {}): () => TestServer {
  let server: TestServer | undefined;
  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    opts.before?.();
    server = await startTestServer(opts.env, opts.start);
    await opts.seed?.(server);
  });
  if (opts.resetNockAfterEach) afterEach(() => nock.cleanAll());
  afterAll(async () => {
    await server?.close();
    nock.cleanAll();
    nock.enableNetConnect();
  });
  return () => {
    if (!server) throw new Error('the test server has not started');
    return server;
  };
}

/** HubSpot for a portal that already has our properties and lists, so start-up setup reads and creates nothing. */
export function hubspotAlreadySetUp(): nock.Scope {
  const all = [...CONTACT_PROPERTIES, ...COMPANY_PROPERTIES];
  return nock(HUBSPOT)
    .persist()
    .get(/^\/crm\/v3\/properties\/\w+\/groups\/nps$/)
    .reply(200, { name: 'nps', label: 'NPS Loop' })
    .get(/^\/crm\/v3\/properties\/\w+\/\w+$/)
    .reply((uri) => [200, all.find((p) => p.name === uri.split('/').pop())])
    .get(/^\/crm\/v3\/lists\/object-type-id\/0-1\/name\/.+$/)
    .reply((uri) => [
      200,
      { list: { listId: '7', name: decodeURIComponent(uri.split('/').pop()!), processingType: 'DYNAMIC' } },
    ]);
}
