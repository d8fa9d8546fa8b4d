import { Router } from 'express';
import { z } from 'zod';
import { associate, disassociate } from '../crm/association-ops';
import {
  allAssociationTypes,
  associationType,
  defaultAssociationType,
  type AssociationType,
} from '../crm/association-types';
import { API_SOURCE } from '../crm/events';
import { OBJECT_TYPE_INFO, resolveObjectType, type ObjectType } from '../crm/object-types';
import type { Portal } from '../crm/portal';
import type { CrmRecord } from '../crm/records';
import { associationTypesToWire } from '../crm/serialize';
import { portalOf } from './context';
import { apiError, badRequest } from '../errors';
import { firstString, parseBody, parseLimit } from './parse';
import { associationSpec, recordId } from './schemas';

const pairInputs = z.object({
  inputs: z.array(z.object({ from: z.object({ id: recordId }), to: z.object({ id: recordId }) })),
});
const labelledInputs = z.object({
  inputs: z.array(
    z.object({ from: z.object({ id: recordId }), to: z.object({ id: recordId }), types: z.array(associationSpec) }),
  ),
});
const archiveInputs = z.object({
  inputs: z.array(z.object({ from: z.object({ id: recordId }), to: z.array(z.object({ id: recordId })) })),
});
const readInputs = z.object({ inputs: z.array(z.object({ id: recordId, after: z.string().optional() })) });

/** Associations v4: per-record reads and writes under /crm/v4/objects, batch calls under /crm/v4/associations. */
export function associationsRouter(): Router {
  const router = Router();

  router.get('/objects/:fromType/:objectId/associations/:toType', (req, res) => {
    const portal = portalOf(res);
    const fromType = resolveObjectType(req.params.fromType);
    const toType = resolveObjectType(req.params.toType);
    const from = portal.find(fromType, req.params.objectId);
    const limit = parseLimit(req.query.limit, 500, 500);
    const after = Number(firstString(req.query.after) ?? 0) || 0;
    const all = from ? portal.liveAssociations(fromType, from.id, toType).filter(([toId]) => toId >= after) : [];
    const page = all.slice(0, limit);
    res.json({
      results: page.map(([toId, typeIds]) => ({
        toObjectId: toId,
        associationTypes: associationTypesToWire(fromType, toType, typeIds),
      })),
      ...(all.length > limit ? { paging: { next: { after: String(all[limit]![0]) } } } : {}),
    });
  });

  router.put('/objects/:fromType/:objectId/associations/default/:toType/:toId', (req, res) => {
    const portal = portalOf(res);
    const [fromType, toType] = [resolveObjectType(req.params.fromType), resolveObjectType(req.params.toType)];
    const [from, to] = [
      requireRecord(portal, fromType, req.params.objectId),
      requireRecord(portal, toType, req.params.toId),
    ];
    res.json(batchEnvelope(associateDefault(portal, fromType, from, toType, to)));
  });

  router.put('/objects/:fromType/:objectId/associations/:toType/:toId', (req, res) => {
    const portal = portalOf(res);
    const [fromType, toType] = [resolveObjectType(req.params.fromType), resolveObjectType(req.params.toType)];
    const specs = parseBody(z.array(associationSpec), req.body);
    const [from, to] = [
      requireRecord(portal, fromType, req.params.objectId),
      requireRecord(portal, toType, req.params.toId),
    ];
    const types = specs.map((s) => requireType(fromType, toType, s.associationCategory, s.associationTypeId));
    for (const type of types) associate(portal, fromType, from.id, toType, to.id, type, API_SOURCE);
    res.status(201).json(labelsBetween(portal, fromType, from.id, toType, to.id));
  });

  router.delete('/objects/:fromType/:objectId/associations/:toType/:toId', (req, res) => {
    const portal = portalOf(res);
    const [fromType, toType] = [resolveObjectType(req.params.fromType), resolveObjectType(req.params.toType)];
    const [from, to] = [portal.find(fromType, req.params.objectId), portal.find(toType, req.params.toId)];
    if (from && to) disassociate(portal, fromType, from.id, toType, to.id, undefined, API_SOURCE);
    res.status(204).end();
  });

  router.get('/associations/:fromType/:toType/labels', (req, res) => {
    const [fromType, toType] = [resolveObjectType(req.params.fromType), resolveObjectType(req.params.toType)];
    res.json({
      results: allAssociationTypes(fromType, toType).map((t) => ({
        category: t.category,
        typeId: t.typeId,
        label: t.label,
      })),
    });
  });

  router.post('/associations/:fromType/:toType/batch/read', (req, res) => {
    const portal = portalOf(res);
    const [fromType, toType] = [resolveObjectType(req.params.fromType), resolveObjectType(req.params.toType)];
    const { inputs } = parseBody(readInputs, req.body);
    if (inputs.length > 1000) throw badRequest(`Too many inputs: at most 1000, got ${inputs.length}`);
    const results = [];
    const empty: string[] = [];
    for (const input of inputs) {
      const from = portal.find(fromType, input.id);
      const links = from ? portal.liveAssociations(fromType, from.id, toType) : [];
      if (links.length === 0) empty.push(input.id);
      else
        results.push({
          from: { id: input.id },
          to: links.map(([toId, typeIds]) => ({
            toObjectId: toId,
            associationTypes: associationTypesToWire(fromType, toType, typeIds),
          })),
        });
    }
    // Like HubSpot, ids without associations are reported as errors, turning the answer into a 207.
    const errors =
      empty.length === 0
        ? []
        : [
            {
              status: 'error',
              category: 'OBJECT_NOT_FOUND',
              subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
              message: `No ${OBJECT_TYPE_INFO[toType].singular} is associated with ${OBJECT_TYPE_INFO[fromType].singular} ${empty.join(', ')}.`,
              context: { fromObjectId: empty },
            },
          ];
    res
      .status(errors.length ? 207 : 200)
      .json({ ...batchEnvelope(results), ...(errors.length ? { errors, numErrors: errors.length } : {}) });
  });

  router.post('/associations/:fromType/:toType/batch/associate/default', (req, res) => {
    const portal = portalOf(res);
    const [fromType, toType] = [resolveObjectType(req.params.fromType), resolveObjectType(req.params.toType)];
    const pairs = parseBody(pairInputs, req.body).inputs.map(
      (i) => [requireRecord(portal, fromType, i.from.id), requireRecord(portal, toType, i.to.id)] as const,
    );
    res.json(batchEnvelope(pairs.flatMap(([from, to]) => associateDefault(portal, fromType, from, toType, to))));
  });

  router.post('/associations/:fromType/:toType/batch/create', (req, res) => {
    const portal = portalOf(res);
    const [fromType, toType] = [resolveObjectType(req.params.fromType), resolveObjectType(req.params.toType)];
    const planned = parseBody(labelledInputs, req.body).inputs.map((i) => ({
      from: requireRecord(portal, fromType, i.from.id),
      to: requireRecord(portal, toType, i.to.id),
      types: i.types.map((s) => requireType(fromType, toType, s.associationCategory, s.associationTypeId)),
    }));
    const results = planned.map(({ from, to, types }) => {
      for (const type of types) associate(portal, fromType, from.id, toType, to.id, type, API_SOURCE);
      return labelsBetween(portal, fromType, from.id, toType, to.id);
    });
    res.status(201).json(batchEnvelope(results));
  });

  for (const path of ['batch/archive', 'batch/labels/archive']) {
    router.post(`/associations/:fromType/:toType/${path}`, (req, res) => {
      const portal = portalOf(res);
      const [fromType, toType] = [resolveObjectType(req.params.fromType), resolveObjectType(req.params.toType)];
      const labelled = path.includes('labels');
      const inputs = labelled
        ? parseBody(labelledInputs, req.body).inputs.map((i) => ({
            from: i.from,
            to: [i.to],
            typeIds: i.types.map((t) => t.associationTypeId),
          }))
        : parseBody(archiveInputs, req.body).inputs.map((i) => ({ ...i, typeIds: undefined }));
      for (const input of inputs) {
        const from = portal.find(fromType, input.from.id);
        for (const target of input.to) {
          const to = portal.find(toType, target.id);
          if (from && to) disassociate(portal, fromType, from.id, toType, to.id, input.typeIds, API_SOURCE);
        }
      }
      res.status(204).end();
    });
  }

  return router;
}

function associateDefault(portal: Portal, fromType: ObjectType, from: CrmRecord, toType: ObjectType, to: CrmRecord) {
  const type = defaultAssociationType(fromType, toType);
  if (!type) throw badRequest(`${fromType} cannot be associated with ${toType}`);
  associate(portal, fromType, from.id, toType, to.id, type, API_SOURCE);
  const reverse = associationType(toType, fromType, type.reverseTypeId)!;
  return [
    { from: { id: String(from.id) }, to: { id: String(to.id) }, associationSpec: spec(type) },
    { from: { id: String(to.id) }, to: { id: String(from.id) }, associationSpec: spec(reverse) },
  ];
}

const spec = (t: AssociationType) => ({ associationCategory: t.category, associationTypeId: t.typeId });

function requireRecord(portal: Portal, type: ObjectType, id: string): CrmRecord {
  const record = portal.find(type, id);
  if (!record)
    throw apiError(404, 'OBJECT_NOT_FOUND', `No ${OBJECT_TYPE_INFO[type].singular} with id ${id} exists`, {
      context: { id: [id] },
    });
  return record;
}

function requireType(fromType: ObjectType, toType: ObjectType, category: string, typeId: number): AssociationType {
  const type = associationType(fromType, toType, typeId);
  if (!type || type.category !== category) {
    throw badRequest(`${category} ${typeId} is not a valid association type from ${fromType} to ${toType}`);
  }
  return type;
}

function labelsBetween(portal: Portal, fromType: ObjectType, fromId: number, toType: ObjectType, toId: number) {
  const typeIds = portal.associations.typesBetween(fromType, fromId, toType, toId);
  return {
    fromObjectTypeId: OBJECT_TYPE_INFO[fromType].objectTypeId,
    fromObjectId: fromId,
    toObjectTypeId: OBJECT_TYPE_INFO[toType].objectTypeId,
    toObjectId: toId,
    labels: associationTypesToWire(fromType, toType, typeIds)
      .map((t) => t.label)
      .filter((l) => l !== null),
  };
}

function batchEnvelope(results: unknown[]) {
  const now = new Date().toISOString();
  return { status: 'COMPLETE', results, startedAt: now, completedAt: now };
}
