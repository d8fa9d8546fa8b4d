import { Router, type Response } from 'express';
import { API_SOURCE } from '../crm/events';
import { OBJECT_TYPE_INFO, resolveObjectType, type ObjectType } from '../crm/object-types';
import type { Portal } from '../crm/portal';
import {
  applyCreate,
  applyUpdate,
  archiveRecord,
  prepareCreate,
  prepareUpdate,
  type PreparedCreate,
  type PreparedUpdate,
} from '../crm/record-ops';
import type { CrmRecord } from '../crm/records';
import { recordToWire } from '../crm/serialize';
import { portalOf } from './context';
import { badRequest, conflict } from '../errors';
import { findRecord, writeResponse } from './objects-routes';
import { parseBool, parseBody } from './parse';
import { batchArchiveBody, batchCreateBody, batchReadBody, batchUpdateBody, batchUpsertBody } from './schemas';

const MAX_INPUTS = 100;

/**
 * `/crm/v3/objects/{type}/batch/*`. Every input is validated before anything is written, so a 400 or
 * 409 leaves the portal untouched; missing ids become a 207 with `errors[]` next to `results[]`.
 */
export function batchRouter(): Router {
  const router = Router();

  router.post('/:objectType/batch/read', (req, res) => {
    const portal = portalOf(res);
    const type = resolveObjectType(req.params.objectType);
    const body = parseBody(batchReadBody, req.body);
    checkInputs(body.inputs.map((i) => i.id));
    const archived = parseBool(req.query.archived);
    const { found, missing } = lookup(
      portal,
      type,
      body.inputs.map((i) => i.id),
      body.idProperty,
      archived,
    );
    const results = found.map((r) => recordToWire(portal, type, r, { properties: body.properties }));
    sendBatch(
      res,
      200,
      results,
      missing,
      `Could not get some ${label(type)} objects, they may be deleted or not exist. Check that ids are valid.`,
    );
  });

  router.post('/:objectType/batch/create', (req, res) => {
    const portal = portalOf(res);
    const type = resolveObjectType(req.params.objectType);
    const { inputs } = parseBody(batchCreateBody, req.body);
    checkSize(inputs.length);
    const emails = new Set<string>();
    const prepared: PreparedCreate[] = inputs.map((input) => {
      const plan = prepareCreate(portal, type, input.properties, input.associations);
      const email = plan.values.email;
      if (type === 'contacts' && email) {
        if (emails.has(email)) throw conflict(`Duplicate email in batch input: ${email}`);
        emails.add(email);
      }
      return plan;
    });
    const results = prepared.map((plan, i) =>
      writeResponse(portal, type, applyCreate(portal, plan, API_SOURCE), Object.keys(inputs[i]!.properties)),
    );
    sendBatch(res, 201, results, [], '');
  });

  router.post('/:objectType/batch/update', (req, res) => {
    const portal = portalOf(res);
    const type = resolveObjectType(req.params.objectType);
    const { inputs } = parseBody(batchUpdateBody, req.body);
    checkInputs(inputs.map((i) => i.id));
    const missing: string[] = [];
    const prepared: Array<[PreparedUpdate, string[]]> = [];
    for (const input of inputs) {
      const record = tryFind(portal, type, input.id, input.idProperty);
      if (!record) missing.push(input.id);
      else prepared.push([prepareUpdate(portal, type, record, input.properties), Object.keys(input.properties)]);
    }
    const results = prepared.map(([plan, written]) =>
      writeResponse(portal, type, applyUpdate(portal, plan, API_SOURCE), written),
    );
    sendBatch(
      res,
      200,
      results,
      missing,
      `Could not update some ${label(type)} objects, they may be deleted or not exist. Check that ids are valid.`,
    );
  });

  router.post('/:objectType/batch/upsert', (req, res) => {
    const portal = portalOf(res);
    const type = resolveObjectType(req.params.objectType);
    const { inputs } = parseBody(batchUpsertBody, req.body);
    checkInputs(inputs.map((i) => `${i.idProperty}:${i.id.toLowerCase()}`));
    const plans = inputs.map((input) => {
      const def = portal.registry.get(type, input.idProperty);
      if (!def?.hasUniqueValue) throw badRequest(`${input.idProperty} is not a unique identifier property for ${type}`);
      const record = tryFind(portal, type, input.id, input.idProperty);
      const written = Object.keys(input.properties);
      return record
        ? { isNew: false, written, update: prepareUpdate(portal, type, record, input.properties) }
        : {
            isNew: true,
            written,
            create: prepareCreate(portal, type, { ...input.properties, [input.idProperty]: input.id }),
          };
    });
    const results = plans.map((plan) => {
      const record = plan.isNew
        ? applyCreate(portal, plan.create!, API_SOURCE)
        : applyUpdate(portal, plan.update!, API_SOURCE);
      return { ...writeResponse(portal, type, record, plan.written), new: plan.isNew };
    });
    sendBatch(res, 200, results, [], '');
  });

  router.post('/:objectType/batch/archive', (req, res) => {
    const portal = portalOf(res);
    const type = resolveObjectType(req.params.objectType);
    const { inputs } = parseBody(batchArchiveBody, req.body);
    checkInputs(inputs.map((i) => i.id));
    for (const input of inputs) {
      const record = portal.find(type, input.id);
      if (record) archiveRecord(portal, type, record, API_SOURCE);
    }
    res.status(204).end();
  });

  return router;
}

function checkSize(count: number): void {
  if (count > MAX_INPUTS) throw badRequest(`Too many inputs: a batch takes at most ${MAX_INPUTS}, got ${count}`);
}

function checkInputs(ids: string[]): void {
  checkSize(ids.length);
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const id of ids) (seen.has(id) ? duplicates : seen).add(id);
  if (duplicates.size > 0)
    throw badRequest(`Duplicate IDs found in batch input: [${[...duplicates].join(', ')}]. IDs must be unique`);
}

function tryFind(portal: Portal, type: ObjectType, id: string, idProperty?: string): CrmRecord | undefined {
  try {
    return findRecord(portal, type, id, idProperty);
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

function lookup(portal: Portal, type: ObjectType, ids: string[], idProperty: string | undefined, archived: boolean) {
  const found: CrmRecord[] = [];
  const missing: string[] = [];
  for (const id of ids) {
    const record = archived ? portal.find(type, id, true) : tryFind(portal, type, id, idProperty);
    if (record && record.archived === archived) found.push(record);
    else missing.push(id);
  }
  return { found, missing };
}

function label(type: ObjectType): string {
  return OBJECT_TYPE_INFO[type].singular.toUpperCase();
}

function sendBatch(res: Response, okStatus: number, results: unknown[], missing: string[], message: string): void {
  const startedAt = (res.locals as { startedAt?: string }).startedAt ?? new Date().toISOString();
  const body: Record<string, unknown> = {
    status: 'COMPLETE',
    results,
    startedAt,
    completedAt: new Date().toISOString(),
  };
  if (missing.length > 0) {
    body.numErrors = 1;
    body.errors = [{ status: 'error', category: 'OBJECT_NOT_FOUND', message, context: { ids: missing } }];
  }
  res.status(missing.length > 0 ? 207 : okStatus).json(body);
}
