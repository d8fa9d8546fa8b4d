import { Router, type Request } from 'express';
import { mergeContacts, privacyDeleteContact } from '../crm/contact-ops';
import { API_SOURCE } from '../crm/events';
import { OBJECT_TYPE_INFO, resolveObjectType, type ObjectType } from '../crm/object-types';
import type { Portal } from '../crm/portal';
import { archiveRecord, createRecord, updateRecord } from '../crm/record-ops';
import type { CrmRecord } from '../crm/records';
import { recordToWire } from '../crm/serialize';
import { portalOf } from './context';
import { apiError, badRequest } from '../errors';
import { firstString, parseBool, parseBody, parseLimit, parseList } from './parse';
import { createBody, gdprDeleteBody, mergeBody, updateBody } from './schemas';

/** `/crm/v3/objects/{type}`: list, read, create, update, archive, plus contact merge and GDPR delete. */
export function objectsRouter(): Router {
  const router = Router();

  router.get('/:objectType', (req, res) => {
    const portal = portalOf(res);
    const type = resolveObjectType(req.params.objectType);
    const limit = parseLimit(req.query.limit, 10, 100);
    const page = portal.tables[type].page(firstString(req.query.after), limit, parseBool(req.query.archived));
    const options = { properties: parseList(req.query.properties), associations: parseList(req.query.associations) };
    res.json({
      results: page.records.map((r) => recordToWire(portal, type, r, options)),
      ...(page.next ? { paging: { next: { after: page.next, link: nextLink(req, page.next) } } } : {}),
    });
  });

  router.post('/:objectType', (req, res) => {
    const portal = portalOf(res);
    const type = resolveObjectType(req.params.objectType);
    const body = parseBody(createBody, req.body);
    const record = createRecord(portal, type, body.properties, body.associations, API_SOURCE);
    res.status(201).json(writeResponse(portal, type, record, Object.keys(body.properties)));
  });

  router.post('/:objectType/merge', (req, res) => {
    const portal = portalOf(res);
    if (resolveObjectType(req.params.objectType) !== 'contacts') throw badRequest('The sandbox merges contacts only');
    const body = parseBody(mergeBody, req.body);
    const record = mergeContacts(portal, body.primaryObjectId, body.objectIdToMerge, API_SOURCE);
    res.json(recordToWire(portal, 'contacts', record));
  });

  router.post('/:objectType/gdpr-delete', (req, res) => {
    const portal = portalOf(res);
    if (resolveObjectType(req.params.objectType) !== 'contacts')
      throw badRequest('GDPR deletion applies to contacts only');
    const body = parseBody(gdprDeleteBody, req.body);
    // Archived contacts can be GDPR-deleted too, so the id lookup includes them.
    const record = body.idProperty
      ? findRecord(portal, 'contacts', body.objectId, body.idProperty)
      : portal.find('contacts', body.objectId, true);
    if (!record) throw objectNotFound(body.objectId);
    privacyDeleteContact(portal, record.id, API_SOURCE);
    res.status(204).end();
  });

  router.get('/:objectType/:objectId', (req, res) => {
    const portal = portalOf(res);
    const type = resolveObjectType(req.params.objectType);
    const record = findRecord(
      portal,
      type,
      req.params.objectId,
      firstString(req.query.idProperty),
      parseBool(req.query.archived),
    );
    res.json(
      recordToWire(portal, type, record, {
        properties: parseList(req.query.properties),
        associations: parseList(req.query.associations),
      }),
    );
  });

  router.patch('/:objectType/:objectId', (req, res) => {
    const portal = portalOf(res);
    const type = resolveObjectType(req.params.objectType);
    const body = parseBody(updateBody, req.body);
    const record = findRecord(portal, type, req.params.objectId, firstString(req.query.idProperty));
    updateRecord(portal, type, record, body.properties, API_SOURCE);
    res.json(writeResponse(portal, type, record, Object.keys(body.properties)));
  });

  router.delete('/:objectType/:objectId', (req, res) => {
    const portal = portalOf(res);
    const type = resolveObjectType(req.params.objectType);
    const record = portal.find(type, req.params.objectId);
    // HubSpot answers 204 for ids that are already gone, so archiving is idempotent.
    if (record) archiveRecord(portal, type, record, API_SOURCE);
    res.status(204).end();
  });

  return router;
}

/** Looks a record up by id or by a unique property (`idProperty=email`), 404 in HubSpot's shape otherwise. */
export function findRecord(
  portal: Portal,
  type: ObjectType,
  id: string,
  idProperty?: string,
  archived = false,
): CrmRecord {
  if (idProperty && idProperty !== 'hs_object_id') {
    const def = portal.registry.get(type, idProperty);
    if (!def || !def.hasUniqueValue) throw badRequest(`${idProperty} is not a unique identifier property for ${type}`);
    const record = portal.findByUniqueProperty(type, idProperty, idProperty === 'email' ? id.toLowerCase() : id);
    if (!record) throw objectNotFound(id);
    return record;
  }
  const record = portal.find(type, id, archived);
  if (!record || record.archived !== archived) throw objectNotFound(id);
  return record;
}

function objectNotFound(id: string) {
  return apiError(404, 'OBJECT_NOT_FOUND', 'Object not found.  objectId are usually numeric.', {
    context: { id: [id] },
  });
}

/** Create and update responses echo the written properties next to the type's defaults. */
export function writeResponse(portal: Portal, type: ObjectType, record: CrmRecord, written: string[]) {
  return recordToWire(portal, type, record, { properties: [...OBJECT_TYPE_INFO[type].defaultProperties, ...written] });
}

function nextLink(req: Request, after: string): string {
  const url = new URL(`${req.protocol}://${req.get('host')}${req.originalUrl}`);
  url.searchParams.set('after', after);
  return url.toString();
}
