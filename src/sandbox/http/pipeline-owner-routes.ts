import { Router } from 'express';
import { resolveObjectType } from '../crm/object-types';
import { ownerToWire } from '../crm/owners';
import type { PipelineObject } from '../crm/pipelines';
import { portalOf } from './context';
import { badRequest, notFound } from '../errors';
import { firstString, parseBool, parseLimit } from './parse';

function pipelineObject(name: string): PipelineObject {
  const type = resolveObjectType(name);
  if (type !== 'deals' && type !== 'tickets') throw badRequest(`Object type ${name} has no pipelines in this sandbox`);
  return type;
}

/** `/crm/v3/pipelines/{deals|tickets}` (read-only) and `/crm/v3/owners`. */
export function pipelinesAndOwnersRouter(): Router {
  const router = Router();

  router.get('/pipelines/:objectType', (req, res) => {
    const catalog = portalOf(res).pipelines;
    res.json({ results: catalog.list(pipelineObject(req.params.objectType)).map((p) => catalog.toWire(p)) });
  });

  router.get('/pipelines/:objectType/:pipelineId', (req, res) => {
    const catalog = portalOf(res).pipelines;
    res.json(catalog.toWire(catalog.get(pipelineObject(req.params.objectType), req.params.pipelineId)));
  });

  router.get('/pipelines/:objectType/:pipelineId/stages', (req, res) => {
    const catalog = portalOf(res).pipelines;
    const pipeline = catalog.get(pipelineObject(req.params.objectType), req.params.pipelineId);
    res.json({ results: pipeline.stages.map((s) => catalog.stageToWire(s)) });
  });

  router.get('/owners', (req, res) => {
    const email = firstString(req.query.email)?.toLowerCase();
    const archived = parseBool(req.query.archived);
    const limit = parseLimit(req.query.limit, 100, 500);
    const after = Number(firstString(req.query.after) ?? 0) || 0;
    const owners = portalOf(res)
      .owners.filter((o) => o.archived === archived && (!email || o.email === email))
      .filter((o) => Number(o.id) >= after);
    res.json({
      results: owners.slice(0, limit).map(ownerToWire),
      ...(owners.length > limit ? { paging: { next: { after: owners[limit]!.id } } } : {}),
    });
  });

  router.get('/owners/:ownerId', (req, res) => {
    const byUser = firstString(req.query.idProperty) === 'userId';
    const owner = portalOf(res).owners.find((o) => (byUser ? String(o.userId) : o.id) === req.params.ownerId);
    if (!owner) throw notFound(`Owner ${req.params.ownerId} does not exist`);
    res.json(ownerToWire(owner));
  });

  return router;
}
