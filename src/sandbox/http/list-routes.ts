import { Router } from 'express';
import { z } from 'zod';
import type { FilterBranch } from '../crm/list-filters';
import { listToWire, type CandidateRecord, type ListDefinition } from '../crm/lists';
import { findObjectType } from '../crm/object-types';
import type { Portal } from '../crm/portal';
import { propertyValue } from '../crm/serialize';
import { portalOf } from './context';
import { badRequest, notFound } from '../errors';
import { firstString, parseBool, parseBody, parseLimit } from './parse';

const filterBranch: z.ZodType<FilterBranch> = z.lazy(() =>
  z.object({
    filterBranchType: z.string(),
    filterBranchOperator: z.string().optional(),
    filters: z
      .array(
        z.object({
          filterType: z.string(),
          property: z.string().optional(),
          operation: z.any().optional(),
        }),
      )
      .optional(),
    filterBranches: z.array(filterBranch).optional(),
  }),
);
const listCreate = z.object({
  name: z.string().min(1),
  objectTypeId: z.string(),
  processingType: z.enum(['DYNAMIC', 'MANUAL', 'SNAPSHOT']),
  filterBranch: filterBranch.optional(),
});
const listSearch = z.object({
  query: z.string().optional(),
  offset: z.number().optional(),
  count: z.number().optional(),
  processingTypes: z.array(z.string()).optional(),
  listIds: z.array(z.string()).optional(),
});
const ids = z.array(z.union([z.string(), z.number()]).transform(String));

/** Lists v3 (`/crm/v3/lists`): definitions, search, and memberships evaluated against current records. */
export function listsRouter(): Router {
  const router = Router();

  router.post('/', (req, res) => {
    const portal = portalOf(res);
    const input = parseBody(listCreate, req.body);
    objectTypeOf(input.objectTypeId); // rejects unknown object types before anything is stored
    const list = portal.lists.create(input);
    if (list.processingType === 'SNAPSHOT') portal.lists.snapshot(list, candidatesOf(portal, list.objectTypeId));
    res.json({ list: listToWire(list, sizeOf(portal, list)) });
  });

  router.post('/search', (req, res) => {
    const portal = portalOf(res);
    const input = parseBody(listSearch, req.body);
    const query = input.query?.toLowerCase() ?? '';
    const matches = portal.lists
      .all()
      .filter(
        (l) =>
          l.name.toLowerCase().includes(query) &&
          (!input.processingTypes?.length || input.processingTypes.includes(l.processingType)) &&
          (!input.listIds?.length || input.listIds.includes(l.listId)),
      );
    const offset = input.offset ?? 0;
    const count = Math.min(input.count ?? 20, 500);
    res.json({
      lists: matches.slice(offset, offset + count).map((l) => ({ ...listToWire(l), additionalProperties: {} })),
      offset: offset + count,
      hasMore: offset + count < matches.length,
      total: matches.length,
    });
  });

  router.get('/object-type-id/:objectTypeId/name/:listName', (req, res) => {
    const portal = portalOf(res);
    const list = portal.lists.byName(req.params.objectTypeId, req.params.listName);
    if (!list) throw notFound(`List with name ${req.params.listName} does not exist.`);
    res.json({ list: withFilters(portal, list, parseBool(req.query.includeFilters)) });
  });

  router.get('/records/:objectTypeId/:recordId/memberships', (req, res) => {
    const portal = portalOf(res);
    const recordId = Number(req.params.recordId);
    const results = portal.lists
      .all()
      .filter((l) => l.objectTypeId === req.params.objectTypeId)
      .filter((l) => memberships(portal, l).some(([id]) => id === recordId))
      .map((l) => ({
        listId: l.listId,
        listVersion: l.listVersion,
        firstAddedTimestamp: new Date(l.createdAt).toISOString(),
      }));
    res.json({ results, total: results.length });
  });

  router.get('/:listId', (req, res) => {
    const portal = portalOf(res);
    res.json({ list: withFilters(portal, portal.lists.get(req.params.listId), parseBool(req.query.includeFilters)) });
  });

  router.delete('/:listId', (req, res) => {
    portalOf(res).lists.delete(req.params.listId);
    res.status(204).end();
  });

  router.put('/:listId/update-list-filters', (req, res) => {
    const portal = portalOf(res);
    const { filterBranch: branch } = parseBody(z.object({ filterBranch }), req.body);
    res.json({ updatedList: listToWire(portal.lists.updateFilters(req.params.listId, branch)) });
  });

  router.get('/:listId/memberships', (req, res) => {
    const portal = portalOf(res);
    const members = memberships(portal, portal.lists.get(req.params.listId));
    const limit = parseLimit(req.query.limit, 100, 250);
    const after = Number(firstString(req.query.after) ?? 0) || 0;
    const rest = members.filter(([id]) => id >= after);
    res.json({
      results: rest
        .slice(0, limit)
        .map(([id, at]) => ({ recordId: String(id), membershipTimestamp: new Date(at).toISOString() })),
      ...(rest.length > limit ? { paging: { next: { after: String(rest[limit]![0]) } } } : {}),
      total: members.length,
    });
  });

  for (const action of ['add', 'remove'] as const) {
    router.put(`/:listId/memberships/${action}`, (req, res) => {
      const portal = portalOf(res);
      const list = portal.lists.get(req.params.listId);
      const type = objectTypeOf(list.objectTypeId);
      const requested = parseBody(ids, req.body);
      const present = requested.filter((id) => portal.find(type, id)).map(Number);
      const missing = requested.filter((id) => !portal.find(type, id));
      if (action === 'add') portal.lists.addMembers(list, present);
      else portal.lists.removeMembers(list, present);
      res.json({
        [action === 'add' ? 'recordIdsAdded' : 'recordIdsRemoved']: present.map(String),
        recordIdsMissing: missing,
      });
    });
  }

  return router;
}

function objectTypeOf(objectTypeId: string) {
  const type = findObjectType(objectTypeId);
  if (!type) throw badRequest(`Unknown objectTypeId ${objectTypeId}`);
  return type;
}

function* candidatesOf(portal: Portal, objectTypeId: string): Generator<CandidateRecord> {
  const type = objectTypeOf(objectTypeId);
  for (const record of portal.tables[type].all()) {
    yield { id: record.id, valueOf: (name) => propertyValue(type, record, name) };
  }
}

function memberships(portal: Portal, list: ListDefinition): Array<[number, number]> {
  const type = objectTypeOf(list.objectTypeId);
  const members = portal.lists.members(list, candidatesOf(portal, list.objectTypeId));
  return members.filter(([id]) => portal.tables[type].live(id));
}

function sizeOf(portal: Portal, list: ListDefinition): number {
  return memberships(portal, list).length;
}

function withFilters(portal: Portal, list: ListDefinition, includeFilters: boolean) {
  const { filterBranch: branch, ...rest } = listToWire(list, sizeOf(portal, list));
  return includeFilters ? { ...rest, filterBranch: branch } : rest;
}
