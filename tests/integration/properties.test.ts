import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { opsFeature } from '../../src/ops';
import { responsesFeature } from '../../src/responses';
import { ensureProperties } from '../../src/responses/properties';
import { COMPANY_PROPERTIES, CONTACT_PROPERTIES } from '../../src/responses/property-definitions';
import { setupPortal } from '../../src/responses/setup';
import { TEST_PORTAL_ID } from '../helpers/env';
import { HUBSPOT, useNockedServer } from '../helpers/nocked-server';
import { startTestServer } from '../helpers/server';
import { waitFor } from '../helpers/wait';

/** HubSpot's property and list endpoints over an in-memory store; every write is captured. */
function fakeHubSpotSchema(existing: Record<string, Record<string, unknown>> = {}) {
  const properties = new Map<string, Record<string, unknown>>(Object.entries(existing));
  const groups = new Set<string>();
  const lists = new Map<string, Record<string, unknown>>();
  const writes: Array<{ method: string; path: string; body: any }> = [];
  let down = false;
  const scope = nock(HUBSPOT)
    .persist()
    .get(/^\/crm\/v3\/properties\/(contacts|companies)\/groups\/[^/]+$/)
    .reply((uri) => {
      if (down) return [503, 'Service Unavailable'];
      const [, , , , type, , name] = uri.split('/');
      return groups.has(`${type}/${name}`)
        ? [200, { name, label: 'NPS Loop', displayOrder: -1 }]
        : [404, { status: 'error', category: 'OBJECT_NOT_FOUND', message: 'no group' }];
    })
    .post(/^\/crm\/v3\/properties\/(contacts|companies)\/groups$/)
    .reply((uri, body: any) => {
      writes.push({ method: 'POST', path: uri, body });
      groups.add(`${uri.split('/')[4]}/${body.name}`);
      return [201, body];
    })
    .get(/^\/crm\/v3\/properties\/(contacts|companies)\/[a-z_]+$/)
    .reply((uri) => {
      if (down) return [503, 'Service Unavailable'];
      const [, , , , type, name] = uri.split('/');
      const p = properties.get(`${type}/${name}`);
      return p
        ? [200, p]
        : [404, { status: 'error', category: 'OBJECT_NOT_FOUND', message: `Property ${name} does not exist` }];
    })
    .post(/^\/crm\/v3\/properties\/(contacts|companies)$/)
    .reply((uri, body: any) => {
      writes.push({ method: 'POST', path: uri, body });
      properties.set(`${uri.split('/')[4]}/${body.name}`, body);
      return [201, body];
    })
    .get(/^\/crm\/v3\/lists\/object-type-id\/0-1\/name\/.+$/)
    .reply((uri) => {
      const name = decodeURIComponent(uri.split('/').pop()!);
      const list = lists.get(name);
      return list
        ? [200, { list }]
        : [404, { status: 'error', category: 'OBJECT_NOT_FOUND', message: 'List does not exist' }];
    })
    .post('/crm/v3/lists/')
    .reply((uri, body: any) => {
      writes.push({ method: 'POST', path: uri, body });
      const list = { listId: String(lists.size + 1), name: body.name, processingType: body.processingType };
      lists.set(body.name, list);
      return [200, { list }];
    });
  // Any other method on a property (PATCH, PUT, DELETE) would change an admin's property: fail loudly.
  nock(HUBSPOT)
    .persist()
    .intercept(/^\/crm\/v3\/properties\//, 'PATCH')
    .reply((uri, body) => {
      writes.push({ method: 'PATCH', path: uri, body });
      return [500, {}];
    });
  return { scope, writes, setDown: (v: boolean) => (down = v) };
}

describe('HubSpot properties', () => {
  // Workers off: each test drives setup itself; the start-up test below runs its own server with workers.
  const server = useNockedServer({
    env: { RUN_WORKERS: 'false' },
    start: { features: [opsFeature, responsesFeature] },
    resetNockAfterEach: true,
  });

  it('creates the nps group and every contact and company property once; a second run creates nothing', async () => {
    const hubspot = fakeHubSpotSchema();
    const first = await ensureProperties(server().deps, TEST_PORTAL_ID);
    expect(first.incompatible).toEqual([]);
    expect(first.created).toHaveLength(CONTACT_PROPERTIES.length + COMPANY_PROPERTIES.length);

    const created = hubspot.writes.filter((w) => w.path.match(/^\/crm\/v3\/properties\/\w+$/));
    expect(created.map((w) => `${w.path.split('/')[4]}.${w.body.name}`)).toEqual([
      ...CONTACT_PROPERTIES.map((p) => `contacts.${p.name}`),
      ...COMPANY_PROPERTIES.map((p) => `companies.${p.name}`),
    ]);
    const category = created.find((w) => w.body.name === 'nps_category')!.body;
    expect(category).toMatchObject({ type: 'enumeration', fieldType: 'select', groupName: 'nps' });
    expect(category.options.map((o: { value: string }) => o.value)).toEqual(['promoter', 'passive', 'detractor']);
    expect(created.find((w) => w.body.name === 'nps_last_response_at')!.body).toMatchObject({
      type: 'datetime',
      fieldType: 'date',
    });
    expect(hubspot.writes.filter((w) => w.path.endsWith('/groups')).map((w) => [w.path, w.body.name])).toEqual([
      ['/crm/v3/properties/contacts/groups', 'nps'],
      ['/crm/v3/properties/companies/groups', 'nps'],
    ]);

    const writesBefore = hubspot.writes.length;
    const second = await ensureProperties(server().deps, TEST_PORTAL_ID);
    expect(second.created).toEqual([]);
    expect(second.reused).toHaveLength(CONTACT_PROPERTIES.length + COMPANY_PROPERTIES.length);
    expect(hubspot.writes.length).toBe(writesBefore);
  });

  it('reuses compatible existing properties and reports incompatible ones on /healthz without touching them', async () => {
    const hubspot = fakeHubSpotSchema({
      // An admin's own nps_score, as text: NPS Loop must not change it.
      'contacts/nps_score': {
        name: 'nps_score',
        label: 'Score (old tool)',
        type: 'string',
        fieldType: 'text',
        groupName: 'contactinformation',
      },
      'contacts/nps_category': {
        name: 'nps_category',
        label: 'NPS',
        type: 'enumeration',
        fieldType: 'radio',
        groupName: 'contactinformation',
        options: [
          { label: 'Promoter', value: 'promoter' },
          { label: 'Detractor', value: 'detractor' },
        ],
      },
      'contacts/nps_last_comment': {
        name: 'nps_last_comment',
        label: 'Comment',
        type: 'string',
        fieldType: 'text',
        groupName: 'contactinformation',
      },
    });
    const result = await ensureProperties(server().deps, TEST_PORTAL_ID);
    expect(result.incompatible).toEqual([
      { objectType: 'contacts', name: 'nps_score', problem: 'has type "string", NPS Loop writes "number"' },
      { objectType: 'contacts', name: 'nps_category', problem: 'lacks the option "passive"' },
    ]);
    expect(result.reused).toContain('contacts.nps_last_comment');
    const touched = hubspot.writes.filter(
      (w) =>
        /nps_score|nps_category|nps_last_comment/.test(w.path) ||
        ['nps_score', 'nps_category', 'nps_last_comment'].includes(w.body?.name),
    );
    expect(touched).toEqual([]);

    const health = await fetch(`${server().url}/healthz`).then((r) => r.json());
    expect(health.status).toBe('degraded');
    const messages = health.problems.map((p: { message: string }) => p.message);
    expect(messages).toContainEqual(
      expect.stringContaining('contacts.nps_score has type "string", NPS Loop writes "number"'),
    );
    expect(messages).toContainEqual(expect.stringContaining('contacts.nps_category lacks the option "passive"'));
  });

  it('portal setup marks the portal set up once properties and lists exist', async () => {
    fakeHubSpotSchema();
    const result = await setupPortal(server().deps, TEST_PORTAL_ID);
    expect(result!.lists.map((l) => l.name)).toEqual([
      'NPS Promoters',
      'NPS Passives',
      'NPS Detractors',
      'NPS At risk',
    ]);
    const row = await server().deps.db.query<{ setup_completed_at: Date | null }>(
      'SELECT setup_completed_at FROM portals WHERE portal_id = $1',
      [TEST_PORTAL_ID],
    );
    expect(row.rows[0]!.setup_completed_at).not.toBeNull();
  });
});

describe('portal setup at start-up', () => {
  afterEach(() => nock.cleanAll());

  it('does not hold up start-up during a HubSpot outage, and lands once HubSpot answers again', async () => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    const hubspot = fakeHubSpotSchema();
    hubspot.setDown(true);
    const server = await startTestServer({}, { features: [opsFeature, responsesFeature] });
    try {
      // Start-up finished while HubSpot answered nothing but 503s: it did not wait for the setup.
      const setUp = await server.deps.db.query<{ done: boolean }>(
        'SELECT setup_completed_at IS NOT NULL AS done FROM portals WHERE portal_id = $1',
        [TEST_PORTAL_ID],
      );
      expect(setUp.rows[0]!.done).toBe(false);
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1500));
      hubspot.setDown(false);
      await waitFor(
        async () =>
          (
            await server.deps.db.query<{ done: boolean }>(
              'SELECT setup_completed_at IS NOT NULL AS done FROM portals WHERE portal_id = $1',
              [TEST_PORTAL_ID],
            )
          ).rows[0]?.done,
        { timeoutMs: 45_000, what: 'portal setup to complete after the outage' },
      );
      expect(hubspot.writes.filter((w) => w.body?.name === 'nps_score')).toHaveLength(1);
    } finally {
      await server.close();
      nock.enableNetConnect();
    }
  });
});
