import { z } from 'zod';

/** Request bodies HubSpot's CRM endpoints take, validated loosely (unknown keys are ignored, like HubSpot). */
export const recordId = z.union([z.string(), z.number()]).transform(String);
const propertyValues = z.record(z.string(), z.unknown());

const associationInput = z.object({
  to: z.object({ id: recordId }),
  types: z.array(z.object({ associationCategory: z.string(), associationTypeId: z.coerce.number() })),
});

export const createBody = z.object({
  properties: propertyValues.default({}),
  associations: z.array(associationInput).optional(),
});

export const updateBody = z.object({ properties: propertyValues });

export const batchReadBody = z.object({
  inputs: z.array(z.object({ id: recordId })),
  properties: z.array(z.string()).optional(),
  idProperty: z.string().optional(),
});

export const batchCreateBody = z.object({ inputs: z.array(createBody) });

export const batchUpdateBody = z.object({
  inputs: z.array(z.object({ id: recordId, idProperty: z.string().optional(), properties: propertyValues })),
});

export const batchUpsertBody = z.object({
  inputs: z.array(z.object({ id: recordId, idProperty: z.string(), properties: propertyValues })),
});

export const batchArchiveBody = z.object({ inputs: z.array(z.object({ id: recordId })) });

export const mergeBody = z.object({ primaryObjectId: recordId, objectIdToMerge: recordId });

export const gdprDeleteBody = z.object({ objectId: recordId, idProperty: z.string().optional() });

export const associationSpec = z.object({
  associationCategory: z.string(),
  associationTypeId: z.coerce.number(),
});

export const searchBody = z.object({
  filterGroups: z
    .array(
      z.object({
        filters: z
          .array(
            z.object({
              propertyName: z.string(),
              operator: z.string(),
              value: z.unknown().optional(),
              highValue: z.unknown().optional(),
              values: z.array(z.unknown()).optional(),
            }),
          )
          .optional(),
      }),
    )
    .optional(),
  sorts: z
    .array(z.union([z.string(), z.object({ propertyName: z.string(), direction: z.string().optional() })]))
    .optional(),
  query: z.string().optional(),
  properties: z.array(z.string()).optional(),
  limit: z.coerce.number().optional(),
  after: z.union([z.string(), z.number()]).optional(),
});
