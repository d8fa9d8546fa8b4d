import type { AppDeps, SegmentDimensionSetting, Settings } from '../core';
import { commitSettings, getSettings, settingsSchema, type SettingsAuthor } from '../core';
import type { PropertyDefinition } from '../hubspot';
import { BadRequestError, describeIssues, refuseUnsafeText } from '../shared';
import { dimensionName, dimensionProblem, dimensionSignature, kindOf } from './banding';
import { BACKFILL_QUEUE } from './backfill';
import { dropDimensionsExcept, listDimensionStatus, relabelDimension, startDimension } from './segments.repo';

// Configuring custom dimensions: each is checked against the portal's property list (it must exist and suit a
// segment), saved in the settings, and a backfill is queued for every new or changed one.

type ConfigDeps = Pick<AppDeps, 'db' | 'hubspot' | 'jobs'>;

const OBJECT_TYPES = { contact: 'contacts', company: 'companies' } as const;

/** The portal's contact and company properties, by object. */
export async function portalProperties(
  deps: Pick<AppDeps, 'hubspot'>,
  portalId: number,
  objects: Array<'contact' | 'company'> = ['contact', 'company'],
): Promise<Map<'contact' | 'company', PropertyDefinition[]>> {
  const portal = deps.hubspot.forPortal(portalId);
  const lists = await Promise.all(objects.map((o) => portal.listProperties(OBJECT_TYPES[o])));
  return new Map(objects.map((o, i) => [o, lists[i]!]));
}

export interface DimensionIssue {
  index: number;
  field: 'property' | 'bands';
  message: string;
}

/** Problems of configured dimensions against the portal's properties (none: all can be saved). */
export async function checkDimensions(
  deps: Pick<AppDeps, 'hubspot'>,
  portalId: number,
  dims: SegmentDimensionSetting[],
): Promise<DimensionIssue[]> {
  if (dims.length === 0) return [];
  const objects = [...new Set(dims.map((d) => d.object))];
  const properties = await portalProperties(deps, portalId, objects);
  return dims.flatMap((d, index) => {
    const property = properties.get(d.object)?.find((p) => p.name === d.property);
    if (!property)
      return [{ index, field: 'property' as const, message: `the portal has no ${d.object} property "${d.property}"` }];
    const problem = dimensionProblem(d, property);
    return problem
      ? [{ index, field: problem.includes('band') ? ('bands' as const) : ('property' as const), message: problem }]
      : [];
  });
}

/** Starts a backfill for new or changed dimensions, relabels the rest, forgets removed ones. */
export async function reconcileDimensions(deps: ConfigDeps, portalId: number, settings: Settings): Promise<void> {
  const dims = settings.segments.dimensions;
  const statuses = new Map((await listDimensionStatus(deps.db, portalId)).map((s) => [s.dimension, s]));
  await dropDimensionsExcept(deps.db, portalId, dims.map(dimensionName));
  const changed = dims.filter((d) => statuses.get(dimensionName(d))?.signature !== dimensionSignature(d));
  const properties = changed.length
    ? await portalProperties(deps, portalId, [...new Set(changed.map((d) => d.object))])
    : new Map<'contact' | 'company', PropertyDefinition[]>();
  for (const d of dims) {
    const name = dimensionName(d);
    const status = statuses.get(name);
    if (status && status.signature === dimensionSignature(d)) {
      const label = d.label ?? status.label;
      if (label !== status.label) await relabelDimension(deps.db, portalId, name, label);
      continue;
    }
    const property = properties.get(d.object)?.find((p) => p.name === d.property);
    const kind = property ? kindOf(property) : 'string';
    await startDimension(deps.db, portalId, {
      dimension: name,
      kind,
      label: d.label ?? property?.label ?? d.property,
      signature: dimensionSignature(d),
    });
    await deps.jobs.send(BACKFILL_QUEUE, { portalId, dimension: name });
  }
}

/** Replaces the portal's custom dimensions: 400 naming the property when the portal lacks it or it cannot be one. */
export async function saveDimensions(
  deps: ConfigDeps,
  portalId: number,
  input: unknown,
  who: SettingsAuthor = { label: 'API', source: 'api' },
): Promise<Settings> {
  const current = await getSettings(deps.db, portalId);
  // The schema checks shape, count and duplicates (400 invalid_settings naming the field).
  refuseUnsafeText(input, 'segments', 'invalid_settings');
  const parsed = parseSettings({ ...current, segments: input });
  const issues = await checkDimensions(deps, portalId, parsed.segments.dimensions);
  if (issues.length > 0)
    throw new BadRequestError(
      `invalid segment dimensions: ${issues.map((i) => `dimensions[${i.index}].${i.field}: ${i.message}`).join('; ')}`,
      undefined,
      'invalid_segment_dimension',
    );
  // Recorded in the settings history as whoever saved (the admin page's user, or the API).
  await commitSettings(deps.db, portalId, parsed, who, new Date());
  await reconcileDimensions(deps, portalId, parsed);
  return parsed;
}

function parseSettings(candidate: unknown): Settings {
  const parsed = settingsSchema.safeParse(candidate);
  if (parsed.success) return parsed.data;
  throw new BadRequestError(`invalid settings: ${describeIssues(parsed.error.issues)}`, undefined, 'invalid_settings');
}
