import { Router } from 'express';
import { z } from 'zod';
import { resolveObjectType, type ObjectType } from '../crm/object-types';
import type { Portal } from '../crm/portal';
import { propertyToWire, type PropertyInput } from '../crm/property-registry';
import { portalOf } from './context';
import { HubSpotError } from '../errors';
import { parseBool, parseBody } from './parse';

const option = z.object({
  label: z.string(),
  value: z.string(),
  displayOrder: z.number().optional(),
  hidden: z.boolean().optional(),
  description: z.string().optional(),
});
const propertyCreate = z.object({
  name: z.string(),
  label: z.string(),
  type: z.enum(['string', 'number', 'enumeration', 'datetime', 'date', 'bool']),
  fieldType: z.string(),
  groupName: z.string(),
  description: z.string().optional(),
  options: z.array(option).optional(),
  displayOrder: z.number().optional(),
  hasUniqueValue: z.boolean().optional(),
  hidden: z.boolean().optional(),
  formField: z.boolean().optional(),
});
const propertyUpdate = propertyCreate.omit({ name: true }).partial();
const groupCreate = z.object({ name: z.string(), label: z.string(), displayOrder: z.number().optional() });
const groupUpdate = z.object({ label: z.string().optional(), displayOrder: z.number().optional() });

/** `/crm/v3/properties/{type}`: property definitions and groups. */
export function propertiesRouter(): Router {
  const router = Router();
  const wire = (portal: Portal, type: ObjectType, name: string) =>
    propertyToWire(portal.registry, portal.registry.require(type, name));

  router.get('/:objectType/groups', (req, res) => {
    res.json({ results: portalOf(res).registry.listGroups(resolveObjectType(req.params.objectType)) });
  });

  router.post('/:objectType/groups', (req, res) => {
    const type = resolveObjectType(req.params.objectType);
    res.status(201).json(portalOf(res).registry.createGroup(type, parseBody(groupCreate, req.body)));
  });

  router.get('/:objectType/groups/:groupName', (req, res) => {
    res.json(portalOf(res).registry.getGroup(resolveObjectType(req.params.objectType), req.params.groupName));
  });

  router.patch('/:objectType/groups/:groupName', (req, res) => {
    const type = resolveObjectType(req.params.objectType);
    res.json(portalOf(res).registry.updateGroup(type, req.params.groupName, parseBody(groupUpdate, req.body)));
  });

  router.post('/:objectType/batch/create', (req, res) => {
    const portal = portalOf(res);
    const type = resolveObjectType(req.params.objectType);
    const { inputs } = parseBody(z.object({ inputs: z.array(propertyCreate) }), req.body);
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const input of inputs) {
      try {
        results.push(propertyToWire(portal.registry, portal.registry.create(type, input as PropertyInput)));
      } catch (error) {
        if (!(error instanceof HubSpotError)) throw error;
        errors.push({ ...error.body, context: { name: [input.name] } });
      }
    }
    const now = new Date().toISOString();
    res.status(errors.length ? 207 : 201).json({
      status: 'COMPLETE',
      results,
      startedAt: now,
      completedAt: now,
      ...(errors.length ? { errors, numErrors: errors.length } : {}),
    });
  });

  router.post('/:objectType/batch/read', (req, res) => {
    const portal = portalOf(res);
    const type = resolveObjectType(req.params.objectType);
    const { inputs } = parseBody(z.object({ inputs: z.array(z.object({ name: z.string() })) }), req.body);
    const results = inputs.flatMap((i) => {
      const def = portal.registry.get(type, i.name);
      return def ? [propertyToWire(portal.registry, def)] : [];
    });
    const now = new Date().toISOString();
    res.json({ status: 'COMPLETE', results, startedAt: now, completedAt: now });
  });

  router.get('/:objectType', (req, res) => {
    const portal = portalOf(res);
    const type = resolveObjectType(req.params.objectType);
    res.json({
      results: portal.registry.list(type, parseBool(req.query.archived)).map((p) => propertyToWire(portal.registry, p)),
    });
  });

  router.post('/:objectType', (req, res) => {
    const portal = portalOf(res);
    const type = resolveObjectType(req.params.objectType);
    const def = portal.registry.create(type, parseBody(propertyCreate, req.body) as PropertyInput);
    res.status(201).json(propertyToWire(portal.registry, def));
  });

  router.get('/:objectType/:propertyName', (req, res) => {
    res.json(wire(portalOf(res), resolveObjectType(req.params.objectType), req.params.propertyName));
  });

  router.patch('/:objectType/:propertyName', (req, res) => {
    const portal = portalOf(res);
    const type = resolveObjectType(req.params.objectType);
    portal.registry.update(
      type,
      req.params.propertyName,
      parseBody(propertyUpdate, req.body) as Partial<PropertyInput>,
    );
    res.json(wire(portal, type, req.params.propertyName));
  });

  router.delete('/:objectType/:propertyName', (req, res) => {
    portalOf(res).registry.archive(resolveObjectType(req.params.objectType), req.params.propertyName);
    res.status(204).end();
  });

  return router;
}
