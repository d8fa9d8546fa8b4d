import { z } from 'zod';
import { HubSpotError, type RequestLabel } from './errors';
import type { ContactList, CrmObject, Owner, Pipeline, PropertyDefinition, PropertyGroup } from './client';

// HubSpot's answers are input too: parsed with zod at this edge into the client's types. Schemas are lenient about
// extra fields and about ids arriving as numbers, strict about what we rely on.

const id = z.union([z.string(), z.number()]).transform(String);
const propertyValue = z
  .union([z.string(), z.number(), z.boolean(), z.null()])
  .transform((v) => (v === null ? null : String(v)));

export const crmObjectSchema = z.object({
  id,
  properties: z.record(z.string(), propertyValue).default({}),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  archived: z.boolean().optional(),
});

const paging = z
  .object({ next: z.object({ after: z.union([z.string(), z.number()]).transform(String) }).optional() })
  .optional();

export const pageSchema = z.object({ results: z.array(crmObjectSchema), paging });

export const searchPageSchema = pageSchema.extend({ total: z.number().int().nonnegative() });

const batchErrorSchema = z.object({
  status: z.string().optional(),
  category: z.string().default('UNKNOWN'),
  message: z.string().default(''),
  context: z
    .object({ ids: z.array(id).optional() })
    .loose()
    .optional(),
});

/** Batch answers: 200 with results, or 207 with results plus per-input errors. */
export const batchAnswerSchema = z.object({
  results: z.array(crmObjectSchema).default([]),
  errors: z.array(batchErrorSchema).default([]),
});

export const associationPageSchema = z.object({
  results: z.array(z.object({ toObjectId: id })),
  paging,
});

export const associationBatchSchema = z.object({
  results: z
    .array(z.object({ from: z.object({ id }), to: z.array(z.object({ toObjectId: id })).default([]), paging }))
    .default([]),
});

const stageSchema = z.object({
  id: z.string(),
  label: z.string(),
  displayOrder: z.number().default(0),
  metadata: z.record(z.string(), propertyValue).default({}),
});

export const pipelinesSchema = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      displayOrder: z.number().default(0),
      stages: z.array(stageSchema).default([]),
    }),
  ),
});

export const ownersPageSchema = z.object({
  results: z.array(
    z.object({
      id,
      email: z.string().default(''),
      firstName: z.string().optional(),
      lastName: z.string().optional(),
      userId: z.number().optional(),
      teams: z
        .array(z.object({ id: z.coerce.string(), name: z.string().default(''), primary: z.boolean().optional() }))
        .optional(),
    }),
  ),
  paging,
});

export const propertySchema = z.object({
  name: z.string(),
  label: z.string(),
  // HubSpot has more types than we create (phone_number, object_coordinates…); callers compare names and types.
  type: z.string(),
  fieldType: z.string(),
  groupName: z.string().default(''),
  description: z.string().optional(),
  options: z
    .array(
      z.object({
        label: z.string(),
        value: z.string(),
        displayOrder: z.number().optional(),
        hidden: z.boolean().optional(),
      }),
    )
    .optional(),
});

export const propertyListSchema = z.object({ results: z.array(propertySchema) });

export const propertyGroupSchema = z.object({
  name: z.string(),
  label: z.string(),
  displayOrder: z.number().optional(),
});

const listSchema = z.object({ listId: id, name: z.string(), processingType: z.string().default('DYNAMIC') });
export const listAnswerSchema = z.object({ list: listSchema });

/** Parses an answer; a shape we do not understand is HubSpot's fault, reported with the request it answered. */
export function parseAnswer<S extends z.ZodType>(schema: S, body: unknown, label: RequestLabel): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new HubSpotError({
    ...label,
    status: 200,
    category: 'UNEXPECTED_RESPONSE',
    message: `answer did not match the expected shape (${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'unknown'})`,
  });
}

export const toCrmObject = (o: z.output<typeof crmObjectSchema>): CrmObject => o;

export const toPipeline = (p: z.output<typeof pipelinesSchema>['results'][number]): Pipeline => ({
  id: p.id,
  label: p.label,
  displayOrder: p.displayOrder,
  stages: p.stages.map((s) => ({
    id: s.id,
    label: s.label,
    displayOrder: s.displayOrder,
    metadata: Object.fromEntries(Object.entries(s.metadata).filter((e): e is [string, string] => e[1] !== null)),
  })),
});

export const toOwner = (o: z.output<typeof ownersPageSchema>['results'][number]): Owner => o;

export const toProperty = (p: z.output<typeof propertySchema>): PropertyDefinition => p as PropertyDefinition;

export const toPropertyGroup = (g: z.output<typeof propertyGroupSchema>): PropertyGroup => g;

export const toList = (l: z.output<typeof listAnswerSchema>): ContactList => l.list;
