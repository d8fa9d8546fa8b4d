import { type HubSpotError, apiError } from '../errors';

/** The CRM object types the sandbox models, with HubSpot's names, ids and list-call defaults. */
export type ObjectType = 'contacts' | 'companies' | 'deals' | 'tickets' | 'tasks';

export const OBJECT_TYPES: readonly ObjectType[] = ['contacts', 'companies', 'deals', 'tickets', 'tasks'];

interface ObjectTypeInfo {
  singular: string;
  objectTypeId: string;
  /** First id handed out. Real HubSpot ids are far above 2^31, so int32 storage bugs show up here too. */
  idBase: number;
  createdProperty: string;
  modifiedProperty: string;
  /** Properties returned when a read names none (what HubSpot returns by default). */
  defaultProperties: string[];
  /** Properties the free-text `query` of a search looks in. */
  queryProperties: string[];
}

export const OBJECT_TYPE_INFO: Record<ObjectType, ObjectTypeInfo> = {
  contacts: {
    singular: 'contact',
    objectTypeId: '0-1',
    idBase: 5_100_000_000,
    createdProperty: 'createdate',
    modifiedProperty: 'lastmodifieddate',
    defaultProperties: ['createdate', 'email', 'firstname', 'hs_object_id', 'lastmodifieddate', 'lastname'],
    queryProperties: ['email', 'firstname', 'lastname', 'phone', 'company'],
  },
  companies: {
    singular: 'company',
    objectTypeId: '0-2',
    idBase: 5_200_000_000,
    createdProperty: 'createdate',
    modifiedProperty: 'hs_lastmodifieddate',
    defaultProperties: ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'],
    queryProperties: ['name', 'domain', 'website', 'phone'],
  },
  deals: {
    singular: 'deal',
    objectTypeId: '0-3',
    idBase: 5_300_000_000,
    createdProperty: 'createdate',
    modifiedProperty: 'hs_lastmodifieddate',
    defaultProperties: [
      'amount',
      'closedate',
      'createdate',
      'dealname',
      'dealstage',
      'hs_lastmodifieddate',
      'hs_object_id',
      'pipeline',
    ],
    queryProperties: ['dealname'],
  },
  tickets: {
    singular: 'ticket',
    objectTypeId: '0-5',
    idBase: 5_400_000_000,
    createdProperty: 'createdate',
    modifiedProperty: 'hs_lastmodifieddate',
    defaultProperties: [
      'content',
      'createdate',
      'hs_lastmodifieddate',
      'hs_object_id',
      'hs_pipeline',
      'hs_pipeline_stage',
      'hs_ticket_category',
      'hs_ticket_priority',
      'subject',
    ],
    queryProperties: ['subject', 'content'],
  },
  tasks: {
    singular: 'task',
    objectTypeId: '0-27',
    idBase: 5_500_000_000,
    createdProperty: 'hs_createdate',
    modifiedProperty: 'hs_lastmodifieddate',
    defaultProperties: ['hs_createdate', 'hs_lastmodifieddate', 'hs_object_id'],
    queryProperties: ['hs_task_subject', 'hs_task_body'],
  },
};

const ALIASES = new Map<string, ObjectType>();
for (const type of OBJECT_TYPES) {
  const info = OBJECT_TYPE_INFO[type];
  for (const alias of [type, info.singular, info.objectTypeId]) ALIASES.set(alias, type);
}

export function findObjectType(name: string): ObjectType | undefined {
  return ALIASES.get(name.toLowerCase());
}

/** Resolves `contacts`, `contact` or `0-1`; anything else is HubSpot's "Unable to infer object type" 400. */
export function resolveObjectType(name: string): ObjectType {
  const type = findObjectType(name);
  if (!type) throw unknownType(name);
  return type;
}

function unknownType(name: string): HubSpotError {
  return apiError(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${name}`);
}
