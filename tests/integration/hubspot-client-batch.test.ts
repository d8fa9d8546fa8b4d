import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHubSpotClient } from '../../src/hubspot/sdk-client';
import type { BatchInput, CrmObject, HubSpotPortal } from '../../src/hubspot/client';
import type { Timing } from '../../src/hubspot/timing';
import { silentLogger } from '../../src/shared/logger';
import { createMetrics } from '../../src/shared/metrics';

// Batches, paging, search and associations as HubSpot sees them: we capture every request body nock receives.

const BASE = 'https://api.hubapi.com';

function manualTiming(): Timing {
  let t = Date.parse('2026-03-02T10:00:00Z');
  return { now: () => t, sleep: async (ms) => void (t += ms), random: () => 0.5 };
}

let portal: HubSpotPortal;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});

beforeEach(() => {
  portal = createHubSpotClient({
    baseUrl: BASE,
    tokens: { getAccessToken: async () => 'pat-token' },
    logger: silentLogger,
    metrics: createMetrics(),
    timing: manualTiming(),
    maxAttempts: 2,
  }).forPortal(7);
});

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

type Inputs = { inputs: Array<{ id: string; properties: Record<string, string> }> };
const asRecord = (i: { id: string; properties: Record<string, string> }): CrmObject => ({
  id: i.id,
  properties: i.properties,
});

/** A HubSpot batch/update endpoint that refuses any batch containing one of `missing` with a bare 404. */
function batchUpdateEndpoint(missing: string[], sent: string[][], namesTheId = false) {
  nock(BASE)
    .persist()
    .post('/crm/v3/objects/contacts/batch/update')
    .reply((_uri, body) => {
      const ids = (body as Inputs).inputs.map((i) => i.id);
      sent.push(ids);
      const bad = ids.filter((id) => missing.includes(id));
      if (bad.length) {
        return [
          404,
          {
            status: 'error',
            message: 'One or more objects could not be found',
            category: 'OBJECT_NOT_FOUND',
            ...(namesTheId ? { context: { ids: bad } } : {}),
          },
        ];
      }
      return [200, { status: 'COMPLETE', results: (body as Inputs).inputs.map(asRecord) }];
    });
}

const inputs = (n: number): BatchInput[] =>
  Array.from({ length: n }, (_, i) => ({
    id: String(i + 1),
    properties: { nps_score: i % 11, nps_last_comment: null },
  }));

describe('batch writes', () => {
  it('sends 250 updates as three calls of 100, 100 and 50, values as strings and null as ""', async () => {
    const bodies: Inputs[] = [];
    nock(BASE)
      .post('/crm/v3/objects/contacts/batch/update')
      .times(3)
      .reply((_uri, body) => {
        bodies.push(body as Inputs);
        return [200, { status: 'COMPLETE', results: (body as Inputs).inputs.map(asRecord) }];
      });

    const result = await portal.batchUpdate('contacts', inputs(250));

    expect(bodies.map((b) => b.inputs.length)).toEqual([100, 100, 50]);
    expect(bodies.flatMap((b) => b.inputs.map((i) => i.id))).toEqual(inputs(250).map((i) => i.id));
    expect(bodies[0]?.inputs[3]).toEqual({ id: '4', properties: { nps_score: '3', nps_last_comment: '' } });
    expect(result.succeeded).toHaveLength(250);
    expect(result.failed).toEqual([]);
  });

  it('lands every other update when HubSpot refuses a chunk because one contact was deleted', async () => {
    const sent: string[][] = [];
    batchUpdateEndpoint(['7'], sent);

    const result = await portal.batchUpdate('contacts', inputs(10));

    expect(result.failed).toEqual([
      {
        id: '7',
        index: 6,
        status: 404,
        category: 'OBJECT_NOT_FOUND',
        message: 'One or more objects could not be found',
      },
    ]);
    expect(result.succeeded.map((o) => o.id).sort((a, b) => Number(a) - Number(b))).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '8',
      '9',
      '10',
    ]);
    // Bisection: each half that still holds the missing id is split again, so the rest lands in a few calls.
    expect(sent.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(10)) + 1);
    expect(sent.filter((ids) => ids.length === 1 && ids[0] === '7')).toHaveLength(1);
  });

  it('drops the ids HubSpot names and resends the rest in one call', async () => {
    const sent: string[][] = [];
    batchUpdateEndpoint(['3', '9'], sent, true);

    const result = await portal.batchUpdate('contacts', inputs(10));

    expect(result.failed.map((f) => f.id)).toEqual(['3', '9']);
    expect(result.succeeded).toHaveLength(8);
    expect(sent).toEqual([inputs(10).map((i) => i.id), ['1', '2', '4', '5', '6', '7', '8', '10']]);
  });

  it('fails only the inputs that carry a property HubSpot does not know', async () => {
    const details = [
      {
        isValid: false,
        message: 'Property "nps_bogus" does not exist',
        error: 'PROPERTY_DOESNT_EXIST',
        name: 'nps_bogus',
      },
    ];
    const sent: string[][] = [];
    nock(BASE)
      .post('/crm/v3/objects/contacts/batch/update')
      .times(2)
      .reply((_uri, body) => {
        const b = body as Inputs;
        sent.push(b.inputs.map((i) => i.id));
        if (b.inputs.some((i) => 'nps_bogus' in i.properties)) {
          return [
            400,
            {
              status: 'error',
              category: 'VALIDATION_ERROR',
              message: `Property values were not valid: ${JSON.stringify(details)}`,
            },
          ];
        }
        return [200, { status: 'COMPLETE', results: b.inputs.map(asRecord) }];
      });
    const batch = inputs(4);
    batch[1] = { id: '2', properties: { nps_bogus: 'x' } };

    const result = await portal.batchUpdate('contacts', batch);

    expect(result.failed).toMatchObject([{ id: '2', index: 1, status: 400, category: 'VALIDATION_ERROR' }]);
    expect(sent).toEqual([
      ['1', '2', '3', '4'],
      ['1', '3', '4'],
    ]);
  });

  it('reports per-input failures from a 207 multi-status answer', async () => {
    nock(BASE)
      .post('/crm/v3/objects/contacts/batch/update')
      .reply(207, {
        status: 'COMPLETE',
        results: [{ id: '1', properties: { nps_score: '0' } }],
        numErrors: 1,
        errors: [
          {
            status: 'error',
            category: 'OBJECT_NOT_FOUND',
            message: 'Object not found. objectId are usually numeric.',
            context: { ids: ['2'] },
          },
        ],
      });

    const result = await portal.batchUpdate('contacts', inputs(2));

    expect(result.succeeded.map((o) => o.id)).toEqual(['1']);
    expect(result.failed).toEqual([
      {
        id: '2',
        index: 1,
        status: 404,
        category: 'OBJECT_NOT_FOUND',
        message: 'Object not found. objectId are usually numeric.',
      },
    ]);
  });

  it("creates tasks with their contact associations in HubSpot's shape", async () => {
    let body: unknown;
    nock(BASE)
      .post('/crm/v3/objects/tasks/batch/create')
      .reply(
        201,
        (_uri, b) => (
          (body = b),
          { status: 'COMPLETE', results: [{ id: '900', properties: { hs_task_subject: 'Call Ana' } }] }
        ),
      );

    const result = await portal.batchCreate('tasks', [
      {
        properties: { hs_task_subject: 'Call Ana', hs_timestamp: 1767225600000 },
        associations: [{ toObjectType: 'contacts', toId: '51', associationTypeId: 204 }],
      },
    ]);

    expect(body).toEqual({
      inputs: [
        {
          properties: { hs_task_subject: 'Call Ana', hs_timestamp: '1767225600000' },
          associations: [
            { to: { id: '51' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 204 }] },
          ],
        },
      ],
    });
    expect(result.succeeded.map((o) => o.id)).toEqual(['900']);
  });
});

describe('reads', () => {
  it('pages through every contact by following paging.next.after', async () => {
    const afters: Array<string | undefined> = [];
    const page = (from: number, n: number, next?: string) => ({
      results: Array.from({ length: n }, (_, i) => ({
        id: String(from + i),
        properties: { email: `c${from + i}@example.com` },
      })),
      ...(next ? { paging: { next: { after: next, link: '?after=' + next } } } : {}),
    });
    nock(BASE)
      .get('/crm/v3/objects/contacts')
      .times(3)
      .query((q) => (afters.push(q.after as string | undefined), q.limit === '100' && q.properties === 'email'))
      .reply((uri) => {
        const after = new URL(uri, BASE).searchParams.get('after');
        return [200, after === null ? page(1, 100, '101') : after === '101' ? page(101, 100, '201') : page(201, 30)];
      });

    const seen: string[] = [];
    for await (const p of portal.iterateObjects('contacts', ['email'])) seen.push(...p.results.map((r) => r.id));

    expect(afters).toEqual([undefined, '101', '201']);
    expect(seen).toHaveLength(230);
    expect(new Set(seen).size).toBe(230);
  });

  it('batch-reads in chunks of 100 and leaves out ids HubSpot does not know', async () => {
    const bodies: Array<{ inputs: Array<{ id: string }>; properties: string[] }> = [];
    nock(BASE)
      .post('/crm/v3/objects/contacts/batch/read')
      .times(2)
      .reply((_uri, body) => {
        const b = body as { inputs: Array<{ id: string }>; properties: string[] };
        bodies.push(b);
        const known = b.inputs.filter((i) => Number(i.id) % 2 === 0);
        const missing = b.inputs.filter((i) => Number(i.id) % 2 === 1).map((i) => i.id);
        return [
          207,
          {
            status: 'COMPLETE',
            results: known.map((i) => ({ id: i.id, properties: {} })),
            errors: [
              { status: 'error', category: 'OBJECT_NOT_FOUND', message: 'not found', context: { ids: missing } },
            ],
          },
        ];
      });

    const found = await portal.batchRead(
      'contacts',
      Array.from({ length: 150 }, (_, i) => String(i + 1)),
      ['email'],
    );

    expect(bodies.map((b) => b.inputs.length)).toEqual([100, 50]);
    expect(bodies[0]?.properties).toEqual(['email']);
    expect(found).toHaveLength(75);
  });

  it("searches with HubSpot's sort objects and returns the total", async () => {
    let body: unknown;
    nock(BASE)
      .post('/crm/v3/objects/contacts/search')
      .reply(
        200,
        (_uri, b) => ((body = b), { total: 1, results: [{ id: '51', properties: { email: 'ana@example.com' } }] }),
      );

    const page = await portal.search('contacts', {
      filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: 'ana@example.com' }] }],
      properties: ['email'],
      sorts: ['-createdate'],
      limit: 10,
    });

    expect(body).toEqual({
      filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: 'ana@example.com' }] }],
      properties: ['email'],
      sorts: [{ propertyName: 'createdate', direction: 'DESCENDING' }],
      limit: 10,
    });
    expect(page).toMatchObject({ total: 1, results: [{ id: '51' }], after: undefined });
  });

  it('reads associations for many records in one v4 batch call', async () => {
    let body: unknown;
    nock(BASE)
      .post('/crm/v4/associations/deals/contacts/batch/read')
      .reply(
        200,
        (_uri, b) => (
          (body = b),
          {
            status: 'COMPLETE',
            results: [
              {
                from: { id: '10' },
                to: [{ toObjectId: 51, associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 3, label: null }] }],
              },
              { from: { id: '11' }, to: [] },
            ],
          }
        ),
      );

    const map = await portal.batchGetAssociatedIds('deals', ['10', '11', '10'], 'contacts');

    expect(body).toEqual({ inputs: [{ id: '10' }, { id: '11' }] });
    expect(Object.fromEntries(map)).toEqual({ '10': ['51'], '11': [] });
  });
});
