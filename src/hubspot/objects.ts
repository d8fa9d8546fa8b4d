import { chunk, writeInChunks, type ChunkAnswer } from './batch';
import { HubSpotNotFoundError } from './errors';
import type { BatchInput, CreateInput, CrmObject, HubSpotPortal, ObjectType, Page, SearchRequest } from './client';
import type { ApiAnswer, ApiCall } from './transport';
import { batchAnswerSchema, crmObjectSchema, pageSchema, parseAnswer, searchPageSchema, toCrmObject } from './wire';

// CRM objects v3: single reads and writes, list paging, batch read/update/create and search.

export type Send = (call: ApiCall) => Promise<ApiAnswer>;

const PAGE_LIMIT = 100;
const SEARCH_PAGE_LIMIT = 200;

type ObjectMethods = Pick<
  HubSpotPortal,
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

/** HubSpot stores every value as a string; null clears a property, which HubSpot spells "". */
function wireProperties(properties: Record<string, string | number | null>): Record<string, string> {
  return Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

function wireCreate(input: CreateInput) {
  return {
    properties: wireProperties(input.properties),
    associations: (input.associations ?? []).map((a) => ({
      to: { id: a.toId },
      types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: a.associationTypeId }],
    })),
  };
}

/** "-createdate" sorts descending, "createdate" ascending (HubSpot's documented object form). */
function wireSorts(sorts: string[] | undefined) {
  return (sorts ?? []).map((s) =>
    s.startsWith('-')
      ? { propertyName: s.slice(1), direction: 'DESCENDING' }
      : { propertyName: s, direction: 'ASCENDING' },
  );
}

export function objectMethods(send: Send): ObjectMethods {
  const base = (type: ObjectType) => `/crm/v3/objects/${type}`;
  const one = (type: ObjectType, id: string) => `${base(type)}/${encodeURIComponent(id)}`;

  const batchCall = async (type: ObjectType, action: 'update' | 'create', inputs: unknown[]): Promise<ChunkAnswer> => {
    const call: ApiCall = {
      method: 'POST',
      path: `${base(type)}/batch/${action}`,
      body: { inputs },
      idempotent: action !== 'create',
    };
    const answer = await send(call);
    const parsed = parseAnswer(batchAnswerSchema, answer.body ?? {}, call);
    return {
      status: answer.status,
      results: parsed.results.map(toCrmObject),
      errors: parsed.errors.map((e) => ({ category: e.category, message: e.message, ids: e.context?.ids ?? [] })),
    };
  };

  const methods: ObjectMethods = {
    async getObject(type, id, properties) {
      const call: ApiCall = {
        method: 'GET',
        path: one(type, id),
        query: { properties: properties.join(','), archived: 'false' },
      };
      try {
        return parseAnswer(crmObjectSchema, (await send(call)).body, call);
      } catch (err) {
        if (err instanceof HubSpotNotFoundError) return null;
        throw err;
      }
    },

    async listObjects(type, opts): Promise<Page<CrmObject>> {
      const limit = String(Math.min(PAGE_LIMIT, Math.max(1, opts.limit ?? PAGE_LIMIT)));
      const query: Record<string, string> = { limit, properties: opts.properties.join(','), archived: 'false' };
      if (opts.after) query.after = opts.after;
      const call: ApiCall = { method: 'GET', path: base(type), query };
      const page = parseAnswer(pageSchema, (await send(call)).body, call);
      return { results: page.results.map(toCrmObject), after: page.paging?.next?.after };
    },

    async *iterateObjects(type, properties, startAfter) {
      let after = startAfter;
      do {
        const page = await methods.listObjects(type, { after, limit: PAGE_LIMIT, properties });
        yield page;
        after = page.after;
      } while (after);
    },

    async batchRead(type, ids, properties) {
      const out: CrmObject[] = [];
      for (const part of chunk([...new Set(ids)])) {
        const call: ApiCall = {
          method: 'POST',
          path: `${base(type)}/batch/read`,
          body: { properties, inputs: part.map((id) => ({ id })) },
        };
        try {
          // 207 lists the ids HubSpot does not know under errors; they are simply absent here.
          out.push(...parseAnswer(batchAnswerSchema, (await send(call)).body ?? {}, call).results.map(toCrmObject));
        } catch (err) {
          if (!(err instanceof HubSpotNotFoundError)) throw err;
        }
      }
      return out;
    },

    batchUpdate(type, inputs) {
      return writeInChunks<BatchInput>(inputs, {
        send: (part) =>
          batchCall(
            type,
            'update',
            part.map((i) => ({ id: i.id, properties: wireProperties(i.properties) })),
          ),
        idOf: (i) => i.id,
        propertyNames: (i) => Object.keys(i.properties),
      });
    },

    batchCreate(type, inputs) {
      return writeInChunks<CreateInput>(inputs, {
        send: (part) => batchCall(type, 'create', part.map(wireCreate)),
        idOf: () => undefined,
        propertyNames: (i) => Object.keys(i.properties),
      });
    },

    async createObject(type, input) {
      const call: ApiCall = { method: 'POST', path: base(type), body: wireCreate(input), idempotent: false };
      return toCrmObject(parseAnswer(crmObjectSchema, (await send(call)).body, call));
    },

    async updateObject(type, id, properties) {
      const call: ApiCall = { method: 'PATCH', path: one(type, id), body: { properties: wireProperties(properties) } };
      return toCrmObject(parseAnswer(crmObjectSchema, (await send(call)).body, call));
    },

    async search(type, request: SearchRequest) {
      const body = {
        filterGroups: request.filterGroups,
        properties: request.properties ?? [],
        sorts: wireSorts(request.sorts),
        limit: Math.min(SEARCH_PAGE_LIMIT, Math.max(1, request.limit ?? PAGE_LIMIT)),
        ...(request.after ? { after: request.after } : {}),
      };
      const call: ApiCall = { method: 'POST', path: `${base(type)}/search`, body, kind: 'search' };
      const page = parseAnswer(searchPageSchema, (await send(call)).body, call);
      return { total: page.total, results: page.results.map(toCrmObject), after: page.paging?.next?.after };
    },
  };
  return methods;
}
