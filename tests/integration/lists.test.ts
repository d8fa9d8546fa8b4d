import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { opsFeature } from '../../src/ops';
import { responsesFeature } from '../../src/responses';
import { ensureLists } from '../../src/responses/lists';
import { TEST_PORTAL_ID } from '../helpers/env';
import { HUBSPOT, useNockedServer } from '../helpers/nocked-server';

/** Lists v3: find by name and create, over an in-memory store that, like HubSpot, refuses a duplicate name. */
function fakeLists(existing: Array<{ listId: string; name: string; processingType: string }> = []) {
  const lists = new Map(existing.map((l) => [l.name.toLowerCase(), l]));
  const created: any[] = [];
  nock(HUBSPOT)
    .persist()
    .get(/^\/crm\/v3\/lists\/object-type-id\/0-1\/name\/.+$/)
    .reply((uri) => {
      const list = lists.get(decodeURIComponent(uri.split('/').pop()!).toLowerCase());
      return list
        ? [200, { list }]
        : [404, { status: 'error', category: 'OBJECT_NOT_FOUND', message: 'List does not exist' }];
    })
    .post('/crm/v3/lists/')
    .reply((_uri, body: any) => {
      if (lists.has(body.name.toLowerCase()))
        return [
          400,
          { status: 'error', category: 'VALIDATION_ERROR', message: `A list named '${body.name}' already exists.` },
        ];
      created.push(body);
      const list = { listId: String(100 + lists.size), name: body.name, processingType: body.processingType };
      lists.set(body.name.toLowerCase(), list);
      return [200, { list }];
    });
  return { created };
}

describe('segmentation lists', () => {
  const server = useNockedServer({
    env: { RUN_WORKERS: 'false' },
    start: { features: [opsFeature, responsesFeature] },
    resetNockAfterEach: true,
  });

  it('creates three dynamic contact lists filtered on nps_category and one on the score change, once', async () => {
    const hubspot = fakeLists();
    const lists = await ensureLists(server().deps, TEST_PORTAL_ID);
    expect(lists.map((l) => [l.name, l.created])).toEqual([
      ['NPS Promoters', true],
      ['NPS Passives', true],
      ['NPS Detractors', true],
      ['NPS At risk', true],
    ]);
    expect(hubspot.created.map((b) => b.name)).toEqual([
      'NPS Promoters',
      'NPS Passives',
      'NPS Detractors',
      'NPS At risk',
    ]);
    expect(hubspot.created[0]).toEqual({
      name: 'NPS Promoters',
      objectTypeId: '0-1',
      processingType: 'DYNAMIC',
      filterBranch: {
        filterBranchType: 'OR',
        filters: [],
        filterBranches: [
          {
            filterBranchType: 'AND',
            filterBranches: [],
            filters: [
              {
                filterType: 'PROPERTY',
                property: 'nps_category',
                operation: {
                  operationType: 'ENUMERATION',
                  operator: 'IS_ANY_OF',
                  values: ['promoter'],
                  includeObjectsWithNoValueSet: false,
                },
              },
            ],
          },
        ],
      },
    });
    expect(hubspot.created[2].filterBranch.filterBranches[0].filters[0].operation.values).toEqual(['detractor']);
    // At risk: fell to detractor from 7 or more, or dropped 3 points or more.
    expect(hubspot.created[3].filterBranch).toEqual({
      filterBranchType: 'OR',
      filters: [],
      filterBranches: [
        {
          filterBranchType: 'AND',
          filterBranches: [],
          filters: [
            {
              filterType: 'PROPERTY',
              property: 'nps_category',
              operation: {
                operationType: 'ENUMERATION',
                operator: 'IS_ANY_OF',
                values: ['detractor'],
                includeObjectsWithNoValueSet: false,
              },
            },
            {
              filterType: 'PROPERTY',
              property: 'nps_previous_score',
              operation: {
                operationType: 'NUMBER',
                operator: 'IS_GREATER_THAN_OR_EQUAL_TO',
                value: 7,
                includeObjectsWithNoValueSet: false,
              },
            },
          ],
        },
        {
          filterBranchType: 'AND',
          filterBranches: [],
          filters: [
            {
              filterType: 'PROPERTY',
              property: 'nps_score_change',
              operation: {
                operationType: 'NUMBER',
                operator: 'IS_LESS_THAN_OR_EQUAL_TO',
                value: -3,
                includeObjectsWithNoValueSet: false,
              },
            },
          ],
        },
      ],
    });

    const again = await ensureLists(server().deps, TEST_PORTAL_ID);
    expect(again.every((l) => !l.created)).toBe(true);
    expect(hubspot.created).toHaveLength(4);
  });

  it('on reinstall finds the lists by name, reuses their ids and records them', async () => {
    const hubspot = fakeLists([
      { listId: '71', name: 'NPS Promoters', processingType: 'DYNAMIC' },
      { listId: '72', name: 'NPS Passives', processingType: 'DYNAMIC' },
      { listId: '73', name: 'NPS Detractors', processingType: 'DYNAMIC' },
      { listId: '74', name: 'NPS At risk', processingType: 'DYNAMIC' },
    ]);
    const lists = await ensureLists(server().deps, TEST_PORTAL_ID);
    expect(hubspot.created).toEqual([]);
    expect(lists.map((l) => l.listId)).toEqual(['71', '72', '73', '74']);
    const stored = await server().deps.db.query<{ category: string; list_id: string }>(
      'SELECT category, list_id FROM segment_lists WHERE portal_id = $1 ORDER BY list_id',
      [TEST_PORTAL_ID],
    );
    expect(stored.rows).toEqual([
      { category: 'promoter', list_id: '71' },
      { category: 'passive', list_id: '72' },
      { category: 'detractor', list_id: '73' },
      { category: 'at_risk', list_id: '74' },
    ]);
  });

  it('reports a same-named list that is not dynamic instead of changing it', async () => {
    const hubspot = fakeLists([{ listId: '80', name: 'NPS Detractors', processingType: 'MANUAL' }]);
    await ensureLists(server().deps, TEST_PORTAL_ID);
    expect(hubspot.created.map((b) => b.name)).toEqual(['NPS Promoters', 'NPS Passives', 'NPS At risk']);
    const health = await fetch(`${server().url}/healthz`).then((r) => r.json());
    expect(health.problems.map((p: { message: string }) => p.message)).toContainEqual(
      expect.stringContaining('"NPS Detractors" (80) exists but is MANUAL'),
    );
  });
});
