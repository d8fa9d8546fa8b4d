import nock from 'nock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../src/sandbox';
import { signV3 } from '../../src/shared/signature';
import {
  cardOutcomeSchema,
  companyCardSchema,
  contactCardSchema,
  COMPANY_CONTACT_LIMIT,
} from '../../extensions/app/cards/contract';
import { useNockedServer } from '../helpers/nocked-server';
import type { TestServer } from '../helpers/server';
import { TEST_CLIENT_SECRET, TEST_PORTAL_ID, TEST_PUBLIC_URL } from '../helpers/env';
import { seedAnswer, seedCompany, seedContact, seedInvitation } from '../card/seed';

// Card calls through the sandbox's hubspot.fetch proxy (the pessimistic HubSpot: appends only appId, signs the raw
// URI, wraps non-2xx as BAD_GATEWAY) into the real app, on PGlite or Postgres (DATABASE_URL).

const APP_ID = 4242;
const ago = (days: number) => new Date(Date.now() - days * 86_400_000);
const userQuery = (portalId = TEST_PORTAL_ID) => `portalId=${portalId}&userId=11&userEmail=ada%40example.com`;

async function seed({ deps: { db } }: TestServer): Promise<void> {
  await seedCompany(db, TEST_PORTAL_ID, '900', 'Acme');
  await seedContact(db, TEST_PORTAL_ID, { contactId: '501', companyId: '900' });
  await seedAnswer(db, TEST_PORTAL_ID, '501', { score: 9, answeredAt: ago(3) });
  await seedContact(db, TEST_PORTAL_ID, { contactId: '502' });
  await seedInvitation(db, TEST_PORTAL_ID, '502', {
    key: 'deal:1:won:contact:502',
    status: 'scheduled',
    scheduledFor: ago(0),
  });
  await seedContact(db, TEST_PORTAL_ID, { contactId: '503', optedOut: true });
  await seedContact(db, TEST_PORTAL_ID, { contactId: '504', email: null });
  await seedContact(db, TEST_PORTAL_ID, { contactId: '505' });
  await seedAnswer(db, TEST_PORTAL_ID, '505', { score: 7, answeredAt: ago(5) });
  await seedInvitation(db, TEST_PORTAL_ID, '505', {
    key: 'deal:2:won:contact:505',
    status: 'answered',
    scheduledFor: ago(6),
    sentAt: ago(6),
  });
  // A big company: more answering contacts than the card lists.
  await seedCompany(db, TEST_PORTAL_ID, '901', 'Big Co');
  for (let i = 0; i < COMPANY_CONTACT_LIMIT + 15; i++) {
    const id = String(10_000 + i);
    await seedContact(db, TEST_PORTAL_ID, { contactId: id, companyId: '901', firstname: 'N'.repeat(400) });
    await seedAnswer(db, TEST_PORTAL_ID, id, { score: i % 11, answeredAt: ago(1 + (i % 300)) });
  }
}

// `hs project dev` forwards to a localhost URL and signs that: a localhost listener relays to the app.
const env: Record<string, string> = { RUN_WORKERS: 'false', HUBSPOT_APP_ID: String(APP_ID) };
let local: { url: string; close: () => Promise<void> };
beforeAll(async () => {
  local = await startLocalhostAlias();
  env.HUBSPOT_SIGNED_BASE_URL = local.url;
});
afterAll(() => local.close());
const s = useNockedServer({ env, seed });
let sandbox: Sandbox;
const context = { portalId: TEST_PORTAL_ID, userId: 11, userEmail: 'ada@example.com' };
const card = (path: string, opts: { method?: string; body?: unknown; query?: string } = {}) =>
  sandbox.cardProxy.fetch(`${TEST_PUBLIC_URL}${path}?${opts.query ?? userQuery()}`, {
    method: opts.method ?? 'GET',
    body: opts.body,
    context,
  });
const health = async () => (await (await fetch(`${s().url}/healthz`)).json()).lastCardRequest;

beforeAll(() => {
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
  sandbox = createSandbox({ seed: false, app: { appId: APP_ID, clientSecret: TEST_CLIENT_SECRET } });
});
beforeEach(() => {
  sandbox.cardProxy.configure({ forward: { [TEST_PUBLIC_URL]: s().url }, signs: 'requested', append: [] });
});
afterAll(() => sandbox.close());

describe('card calls through the pessimistic hubspot.fetch proxy', () => {
  it('works when HubSpot appends only appId: the card named portal and user itself', async () => {
    const res = await card('/api/card/contacts/501');
    expect(res.status).toBe(200);
    expect(contactCardSchema.parse(await res.json()).score).toBe(9);
    const last = await health();
    expect(last).toMatchObject({
      route: '/api/card/contacts/:id',
      params: { portalId: 1, userId: 1, userEmail: 1, appId: 1 },
      signature: { version: 'v3', base: 'public', uriForm: 'raw' },
      result: 'accepted',
    });
    expect(JSON.stringify(last)).not.toContain('example.com');
  });

  it('works when HubSpot appends its own agreeing copies too', async () => {
    sandbox.cardProxy.configure({ append: ['portalId', 'userId', 'userEmail'] });
    const res = await card('/api/card/contacts/501');
    expect(res.status).toBe(200);
    expect((await health()).params).toEqual({ portalId: 2, userId: 2, userEmail: 2, appId: 1 });
  });

  it('refuses (401, wrapped by the proxy) copies that disagree', async () => {
    sandbox.cardProxy.configure({ append: ['portalId'] });
    const res = await card('/api/card/contacts/501', { query: userQuery(2002) });
    expect(res.status).toBe(200); // the proxy's envelope, as HubSpot's dev server answers
    const body = await res.json();
    expect(body).toMatchObject({ status: 'error', category: 'BAD_GATEWAY', context: { appServerStatusCode: ['401'] } });
    expect(body.responseBody.error.code).toBe('conflicting_context');
    expect((await health()).result).toBe('conflicting_context');
  });

  it('refuses a request without portalId and one for another app', async () => {
    const missing = await (await card('/api/card/contacts/501', { query: 'userId=11' })).json();
    expect(missing.responseBody.error.code).toBe('missing_portal');
    const other = await (await card('/api/card/contacts/501', { query: `${userQuery()}&appId=999` })).json();
    expect(other.responseBody.error.code).toBe('conflicting_context');
  });

  it('verifies v3 over the decoded URI as well as the raw one', async () => {
    const path = `/api/card/contacts/501?${userQuery()}&appId=${APP_ID}`;
    for (const form of ['decoded', 'raw'] as const) {
      const ts = Date.now();
      const res = await fetch(`${s().url}${path}`, {
        headers: {
          'x-hubspot-signature-v3': signV3(TEST_CLIENT_SECRET, 'GET', `${TEST_PUBLIC_URL}${path}`, '', ts, form),
          'x-hubspot-request-timestamp': String(ts),
        },
      });
      expect(res.status).toBe(200);
      expect((await health()).signature.uriForm).toBe(form);
    }
    // The raw and decoded signatures differ here (userEmail carries %40), so both forms were really exercised.
    expect(signV3('k', 'GET', `${TEST_PUBLIC_URL}${path}`, '', 1, 'raw')).not.toBe(
      signV3('k', 'GET', `${TEST_PUBLIC_URL}${path}`, '', 1, 'decoded'),
    );
  });

  it('accepts what `hs project dev` signs: the localhost URL (HUBSPOT_SIGNED_BASE_URL)', async () => {
    sandbox.cardProxy.configure({ forward: { [TEST_PUBLIC_URL]: local.url }, signs: 'forwarded' });
    const res = await card('/api/card/contacts/501');
    expect(res.status).toBe(200);
    expect((await health()).signature).toMatchObject({ base: 'signed-base', uriForm: 'raw' });
  });

  it('answers business outcomes with 200 and a typed outcome', async () => {
    const outcome = async (res: Response) => {
      expect(res.status).toBe(200);
      return cardOutcomeSchema.parse(await res.json());
    };
    const post = (id: string, body: unknown) => card(`/api/card/contacts/${id}/surveys`, { method: 'POST', body });
    expect((await outcome(await post('502', {}))).outcome).toBe('survey_pending');
    expect((await outcome(await post('503', {}))).outcome).toBe('opted_out');
    expect((await outcome(await post('504', {}))).outcome).toBe('no_email');
    expect((await outcome(await post('505', {}))).outcome).toBe('needs_confirmation');
    expect((await outcome(await post('999', {}))).outcome).toBe('not_found');
    expect((await outcome(await post('505', { confirm: 'yes' }))).outcome).toBe('invalid_input');
    expect((await outcome(await card('/api/card/contacts/999'))).outcome).toBe('not_found');
    const bad = await card('/api/card/contacts/505/responses', { method: 'POST', body: { score: 11 } });
    expect((await outcome(bad)).outcome).toBe('invalid_input');
  });

  it('caps the company card at the newest contacts, well under 1 MB, with a total count', async () => {
    const res = await card('/api/card/companies/901');
    const text = await res.text();
    const company = companyCardSchema.parse(JSON.parse(text));
    expect(company.contacts).toHaveLength(COMPANY_CONTACT_LIMIT);
    expect(company.contactsTotal).toBe(COMPANY_CONTACT_LIMIT + 15);
    expect(Buffer.byteLength(text)).toBeLessThan(256 * 1024);
  });
});

/** A second listener on 127.0.0.1 that forwards to the app, reached as http://localhost:<port>. */
async function startLocalhostAlias(): Promise<{ url: string; close: () => Promise<void> }> {
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    void fetch(`${s().url}${req.url}`, { method: req.method, headers: req.headers as Record<string, string> })
      .then(async (r) => {
        res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' });
        res.end(Buffer.from(await r.arrayBuffer()));
      })
      .catch(() => res.writeHead(502).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return { url: `http://localhost:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
