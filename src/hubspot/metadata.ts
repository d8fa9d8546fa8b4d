import { chunk } from './batch';
import { HubSpotNotFoundError } from './errors';
import type { HubSpotPortal, ObjectType } from './client';
import type { ApiCall } from './transport';
import type { Send } from './objects';
import {
  associationBatchSchema,
  associationPageSchema,
  listAnswerSchema,
  ownersPageSchema,
  parseAnswer,
  pipelinesSchema,
  propertyGroupSchema,
  propertyListSchema,
  propertySchema,
  toList,
  toOwner,
  toPipeline,
  toProperty,
  toPropertyGroup,
} from './wire';

// Everything that is not a CRM record: associations v4, pipelines, owners, properties, lists, workflow callbacks.

type MetadataMethods = Omit<
  HubSpotPortal,
  | 'portalId'
  | 'getObject'
  | 'listObjects'
  | 'iterateObjects'
  | 'batchRead'
  | 'batchUpdate'
  | 'batchCreate'
  | 'createObject'
  | 'updateObject'
  | 'search'
>;

const ASSOCIATION_PAGE_LIMIT = '500';
const OWNER_PAGE_LIMIT = '500';
const CONTACTS_OBJECT_TYPE_ID = '0-1';

/** GET that answers null on 404 (a definition that does not exist yet). */
async function getOrNull(send: Send, call: ApiCall): Promise<unknown | null> {
  try {
    return (await send(call)).body;
  } catch (err) {
    if (err instanceof HubSpotNotFoundError) return null;
    throw err;
  }
}

export function metadataMethods(send: Send): MetadataMethods {
  const methods: MetadataMethods = {
    async getAssociatedIds(fromType: ObjectType, fromId: string, toType: ObjectType) {
      const ids: string[] = [];
      let after: string | undefined;
      do {
        const query: Record<string, string> = { limit: ASSOCIATION_PAGE_LIMIT };
        if (after) query.after = after;
        const call: ApiCall = {
          method: 'GET',
          path: `/crm/v4/objects/${fromType}/${encodeURIComponent(fromId)}/associations/${toType}`,
          query,
        };
        const body = await getOrNull(send, call);
        if (body === null) return ids;
        const page = parseAnswer(associationPageSchema, body, call);
        ids.push(...page.results.map((r) => r.toObjectId));
        after = page.paging?.next?.after;
      } while (after);
      return [...new Set(ids)];
    },

    async batchGetAssociatedIds(fromType, fromIds, toType) {
      const out = new Map<string, string[]>();
      for (const part of chunk([...new Set(fromIds)])) {
        const call: ApiCall = {
          method: 'POST',
          path: `/crm/v4/associations/${fromType}/${toType}/batch/read`,
          body: { inputs: part.map((id) => ({ id })) },
        };
        const body = await getOrNull(send, call);
        if (body === null) continue;
        for (const r of parseAnswer(associationBatchSchema, body, call).results) {
          // A record with many associations comes back with a cursor; the rest is read one record at a time.
          const ids = r.paging?.next?.after
            ? await methods.getAssociatedIds(fromType, r.from.id, toType)
            : [...new Set(r.to.map((t) => t.toObjectId))];
          out.set(r.from.id, ids);
        }
      }
      return out;
    },

    async getPipelines(objectType) {
      const call: ApiCall = { method: 'GET', path: `/crm/v3/pipelines/${objectType}` };
      return parseAnswer(pipelinesSchema, (await send(call)).body, call).results.map(toPipeline);
    },

    async listOwners() {
      const owners = [];
      let after: string | undefined;
      do {
        const query: Record<string, string> = { limit: OWNER_PAGE_LIMIT, archived: 'false' };
        if (after) query.after = after;
        const call: ApiCall = { method: 'GET', path: '/crm/v3/owners', query };
        const page = parseAnswer(ownersPageSchema, (await send(call)).body, call);
        owners.push(...page.results.map(toOwner));
        after = page.paging?.next?.after;
      } while (after);
      return owners;
    },

    async getPropertyGroup(objectType, name) {
      const call: ApiCall = {
        method: 'GET',
        path: `/crm/v3/properties/${objectType}/groups/${encodeURIComponent(name)}`,
      };
      const body = await getOrNull(send, call);
      return body === null ? null : toPropertyGroup(parseAnswer(propertyGroupSchema, body, call));
    },

    async createPropertyGroup(objectType, group) {
      const call: ApiCall = {
        method: 'POST',
        path: `/crm/v3/properties/${objectType}/groups`,
        body: group,
        idempotent: false,
      };
      return toPropertyGroup(parseAnswer(propertyGroupSchema, (await send(call)).body, call));
    },

    async getProperty(objectType, name) {
      const call: ApiCall = { method: 'GET', path: `/crm/v3/properties/${objectType}/${encodeURIComponent(name)}` };
      const body = await getOrNull(send, call);
      return body === null ? null : toProperty(parseAnswer(propertySchema, body, call));
    },

    async listProperties(objectType) {
      const call: ApiCall = { method: 'GET', path: `/crm/v3/properties/${objectType}` };
      return parseAnswer(propertyListSchema, (await send(call)).body, call).results.map(toProperty);
    },

    async createProperty(objectType, property) {
      const call: ApiCall = {
        method: 'POST',
        path: `/crm/v3/properties/${objectType}`,
        body: property,
        idempotent: false,
      };
      return toProperty(parseAnswer(propertySchema, (await send(call)).body, call));
    },

    async findListByName(name) {
      const call: ApiCall = {
        method: 'GET',
        path: `/crm/v3/lists/object-type-id/${CONTACTS_OBJECT_TYPE_ID}/name/${encodeURIComponent(name)}`,
      };
      const body = await getOrNull(send, call);
      return body === null ? null : toList(parseAnswer(listAnswerSchema, body, call));
    },

    async createList(name, filterBranch) {
      const call: ApiCall = {
        method: 'POST',
        path: '/crm/v3/lists/',
        body: { name, objectTypeId: CONTACTS_OBJECT_TYPE_ID, processingType: 'DYNAMIC', filterBranch },
        idempotent: false,
      };
      return toList(parseAnswer(listAnswerSchema, (await send(call)).body, call));
    },

    async completeWorkflowCallback(callbackId, outputFields) {
      await send({
        method: 'POST',
        path: `/automation/v4/actions/callbacks/${encodeURIComponent(callbackId)}/complete`,
        body: { outputFields },
      });
    },
  };
  return methods;
}
