import { z } from 'zod';
import { BadRequestError, NotFoundError, parseInput } from '../shared';
import { addDays, daysIn, isoDay, type Granularity, type Period } from './math';

// The query parameters of every insights endpoint, parsed at the edge. Each endpoint accepts exactly the filters
// that change its answer: anything else is an unknown filter and a 400 that names it.

export const SEGMENT_DIMENSIONS = [
  'trigger',
  'pipeline',
  'stage',
  'owner',
  'company',
  'industry',
  'lifecycle',
  'language',
  'tenure',
] as const;
export type SegmentDimension = (typeof SEGMENT_DIMENSIONS)[number];
/** A custom dimension (src/segments): `contact.<property>` or `company.<property>`. */
export type CustomDimensionName = `${'contact' | 'company'}.${string}`;
export type SegmentName = SegmentDimension | CustomDimensionName;
const CUSTOM_DIMENSION = /^(contact|company)\.[a-z][a-z0-9_]{0,99}$/;

export function isCustomDimension(name: string): name is CustomDimensionName {
  return CUSTOM_DIMENSION.test(name);
}
const isSegmentName = (name: string): name is SegmentName =>
  (SEGMENT_DIMENSIONS as readonly string[]).includes(name) || isCustomDimension(name);

export const CATEGORIES = ['promoter', 'passive', 'detractor'] as const;
export type CategoryName = (typeof CATEGORIES)[number];

export type Mode = 'all' | 'latest';

/** Default period: the last 90 days, today included. */
const DEFAULT_PERIOD_DAYS = 90;
const MAX_PERIOD_DAYS = 5 * 366;
const EARLIEST_DAY = '2000-01-01';
const LATEST_DAY = '2100-12-31';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'use an ISO date such as 2026-03-31')
  .refine(
    (v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && isoDay(new Date(`${v}T00:00:00Z`)) === v,
    'is not a calendar date',
  )
  .refine((v) => v >= EARLIEST_DAY && v <= LATEST_DAY, `must lie between ${EARLIEST_DAY} and ${LATEST_DAY}`);

const segmentNames = `${SEGMENT_DIMENSIONS.join(', ')} or a custom dimension (contact.<property>, company.<property>)`;

// Custom names are checked against the portal's configured dimensions once the portal is known (service.ts).
const dimension = z
  .string()
  .max(120)
  .refine(isSegmentName, { error: (issue) => `unknown segment "${String(issue.input)}"; use one of ${segmentNames}` })
  .transform((v) => v as SegmentName);

/** The built-in dimensions only (the movers panel reads them from its own query). */
const builtInDimension = z.enum(SEGMENT_DIMENSIONS, {
  error: (issue) => `unknown segment "${String(issue.input)}"; use one of ${SEGMENT_DIMENSIONS.join(', ')}`,
});

/** `name:value`, e.g. owner:123 or industry:Retail; an empty value selects answers where the segment is unknown. */
const segmentFilter = z
  .string()
  .max(300)
  .transform((v, ctx) => {
    const colon = v.indexOf(':');
    const name = colon < 0 ? v : v.slice(0, colon);
    if (colon < 0 || !isSegmentName(name)) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown segment "${name}"; use <segment>:<value> with one of ${segmentNames}`,
      });
      return z.NEVER;
    }
    const value = v.slice(colon + 1);
    if (name === 'company' && value !== '' && !/^\d{1,18}$/.test(value)) {
      ctx.addIssue({ code: 'custom', message: 'company:<id> needs a numeric HubSpot company id' });
      return z.NEVER;
    }
    return { name, value };
  });

const common = {
  from: isoDate.optional(),
  to: isoDate.optional(),
  // Accepted only to refuse it: the portal always comes from the sign-in (see assertOwnPortal).
  portalId: z
    .string()
    .regex(/^\d{1,18}$/, 'a numeric portal id')
    .optional(),
};
const mode = z.enum(['all', 'latest'], { error: 'use all or latest' }).default('all');
const limit = (max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,4}$/, 'a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1, 'at least 1').max(max, `at most ${max}`))
    .default(fallback);

const strict = <T extends z.ZodRawShape>(shape: T) =>
  z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `unknown filter ${issue.keys.map((k) => `"${k}"`).join(', ')}` : undefined,
  });

export const headlineQuery = strict({ ...common, mode });
const granularity = z.enum(['week', 'month', 'quarter'], { error: 'use week, month or quarter' }).default('month');
export const trendQuery = strict({ ...common, mode, granularity });
export const distributionQuery = strict({ ...common, mode });
/** Channels count every answer in the period (no mode): see channels.ts. */
export const channelsQuery = strict({ ...common });
export const segmentsQuery = strict({ ...common, mode, segment: dimension.optional(), limit: limit(500, 50) });
export const heroesQuery = strict({ ...common, mode, limit: limit(500, 50) });
/** Movers compare each person's latest answer with their previous one, so there is no mode. */
export const moversQuery = strict({ ...common, segment: builtInDimension.default('trigger'), limit: limit(200, 25) });
const answerFilters = {
  ...common,
  mode,
  category: z.enum(CATEGORIES, { error: 'use promoter, passive or detractor' }).optional(),
  segment: segmentFilter.optional(),
  q: z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters').optional(),
};
export const commentsQuery = strict({ ...answerFilters, limit: limit(200, 50) });
export const exportQuery = strict(answerFilters);
/** The dashboard page: every filter at once, plus which dimension the segments table splits by. */
export const dashboardQuery = strict({ ...answerFilters, granularity, split: dimension.default('trigger') });

type SegmentFilter = { name: SegmentName; value: string };

export interface AnswerFilters {
  period: Period;
  mode: Mode;
  category?: CategoryName;
  segment?: SegmentFilter;
  q?: string;
}

/**
 * The period from the `from`/`to` parameters: both days included; `to` defaults to today and `from` to 90 days
 * before `to`. Inverted or longer-than-five-years ranges are a 400.
 */
export function resolvePeriod(q: { from?: string; to?: string }, today: Date): Period {
  const to = q.to ?? isoDay(today);
  const from = q.from ?? addDays(to, -(DEFAULT_PERIOD_DAYS - 1));
  if (from > to)
    throw new BadRequestError(`invalid period: from (${from}) is after to (${to})`, undefined, 'invalid_period');
  if (daysIn({ from, to }) > MAX_PERIOD_DAYS)
    throw new BadRequestError(`invalid period: ${from}..${to} is longer than 5 years`, undefined, 'invalid_period');
  return { from, to };
}

/** A dashboard request naming another portal than the signed-in one gets a 404 and no data. */
export function assertOwnPortal(q: { portalId?: string }, portalId: number): void {
  if (q.portalId !== undefined && Number(q.portalId) !== portalId)
    throw new NotFoundError('no insights for that portal', 'portal_not_found');
}

/** Parses the query of an insights request and resolves its period against today. */
export function parseQuery<S extends z.ZodType<{ from?: string; to?: string; portalId?: string }>>(
  schema: S,
  query: unknown,
  portalId: number,
  today: Date,
): z.output<S> & { period: Period } {
  // An empty field is a filter left blank (as HTML forms send it), not a filter for the empty string.
  const given = Object.fromEntries(
    Object.entries((query ?? {}) as Record<string, unknown>).filter(([, v]) => v !== ''),
  );
  const parsed = parseInput(schema, given, 'filters') as z.output<S>;
  assertOwnPortal(parsed, portalId);
  return { ...parsed, period: resolvePeriod(parsed, today) };
}

export type { Granularity };
