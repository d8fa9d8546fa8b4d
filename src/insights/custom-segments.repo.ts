import type { Queryable } from '../storage';
import type { CustomDimensionName, Mode } from './filters';
import type { Period } from './math';
import { CATEGORY_COUNTS, CATEGORY_SUMS, countsOf, latestFacts, newerThan } from './scores.repo';
import type { SegmentCounts } from './segments.repo';

// Answer counts per value of custom dimensions (src/segments): each answer counted under its contact's current
// value. Date dimensions store the date and are banded against each answer's time, like the built-in tenure.
// Contacts without a value count as unknown ('').
//
// All answers: sums of the daily rollup segment_daily (migration 541), which holds known values only; unknown is
// the period's total (insight_daily 'all') minus them. Latest answer per person: the same from the rollup of
// latest answers (migration 661), or each person's latest answer joined with the values (see GROUPED_LATEST).

const GROUPED_ALL = `
  known AS (
    SELECT dimension AS dim, value, sum(promoters)::int AS promoters, sum(passives)::int AS passives,
           sum(detractors)::int AS detractors FROM segment_daily
     WHERE portal_id = $1 AND dimension = ANY($4::text[]) AND day BETWEEN $2::date AND $3::date GROUP BY 1, 2),
  period_total AS (
    SELECT ${CATEGORY_SUMS} FROM insight_daily WHERE portal_id = $1 AND dim = 'all' AND day BETWEEN $2::date AND $3::date),
  grouped AS (
    SELECT * FROM known
    UNION ALL
    SELECT d.dim, '', t.promoters - coalesce(sum(k.promoters), 0)::int, t.passives - coalesce(sum(k.passives), 0)::int,
           t.detractors - coalesce(sum(k.detractors), 0)::int
      FROM unnest($4::text[]) AS d (dim) CROSS JOIN period_total t LEFT JOIN known k ON k.dim = d.dim
     GROUP BY d.dim, t.promoters, t.passives, t.detractors)`;

// Latest answer per person, period ending on or after the newest answer: the rollup of latest answers (migration
// 661), which holds known values only (unknown is the period's people minus them; a date band of '' merges with it).
const LATEST_ROLLED = `
  latest_known AS (
    SELECT dim, value, sum(promoters)::int AS promoters, sum(passives)::int AS passives, sum(detractors)::int AS detractors
      FROM insight_latest_daily
     WHERE portal_id = $1 AND dim = ANY($4::text[]) AND day BETWEEN $2::date AND $3::date GROUP BY 1, 2),
  latest_total AS (
    SELECT coalesce(sum(promoters), 0)::int AS promoters, coalesce(sum(passives), 0)::int AS passives,
           coalesce(sum(detractors), 0)::int AS detractors
      FROM insight_latest_daily WHERE portal_id = $1 AND dim = 'all' AND day BETWEEN $2::date AND $3::date),
  rolled AS (
    SELECT dim, value, sum(promoters)::int AS promoters, sum(passives)::int AS passives, sum(detractors)::int AS detractors
      FROM (SELECT * FROM latest_known
            UNION ALL
            SELECT d.dim, '', t.promoters - coalesce(sum(k.promoters), 0)::int, t.passives - coalesce(sum(k.passives), 0)::int,
                   t.detractors - coalesce(sum(k.detractors), 0)::int
              FROM unnest($4::text[]) AS d (dim) CROSS JOIN latest_total t LEFT JOIN latest_known k ON k.dim = d.dim
             GROUP BY d.dim, t.promoters, t.passives, t.detractors) x
     GROUP BY dim, value)`;

// Otherwise: each person's latest answer of the period joined (hashed) with the dimensions' values.
const LATEST_FROM_ANSWERS = `
  f AS (SELECT l.contact_id, l.answered_at, l.score FROM (${latestFacts('$1', '$2', '$3')}) l),
  -- One pass over the dimensions' values, hashed, rather than a probe per person and dimension.
  vals AS MATERIALIZED (
    SELECT contact_id, dimension, value, since FROM segment_values WHERE portal_id = $1 AND dimension = ANY($4::text[])),
  from_answers AS (
    SELECT d.dim,
           coalesce(CASE WHEN v.since IS NOT NULL THEN insight_tenure_band(v.since, f.answered_at) ELSE v.value END, '') AS value,
           ${CATEGORY_COUNTS}
      FROM f CROSS JOIN unnest($4::text[]) AS d (dim)
      LEFT JOIN vals v ON v.contact_id = f.contact_id AND v.dimension = d.dim
     GROUP BY 1, 2)`;

const GROUPED_LATEST = `${LATEST_ROLLED}, ${LATEST_FROM_ANSWERS},
  grouped AS (
    SELECT * FROM rolled WHERE NOT ${newerThan('$1', '$3')}
    UNION ALL
    SELECT * FROM from_answers WHERE ${newerThan('$1', '$3')})`;

interface Row {
  dim: CustomDimensionName;
  value: string;
  promoters: number;
  passives: number;
  detractors: number;
  values_total: number;
  total_promoters: number;
  total_passives: number;
  total_detractors: number;
}

/** The `limit` largest values of each custom dimension, largest first. */
export async function customSegmentCounts(
  db: Queryable,
  portalId: number,
  period: Period,
  opts: { mode: Mode; dimensions: CustomDimensionName[]; limit: number },
): Promise<SegmentCounts[]> {
  if (opts.dimensions.length === 0) return [];
  const r = await db.query<Row>(
    `WITH ${opts.mode === 'latest' ? GROUPED_LATEST : GROUPED_ALL},
     ranked AS (
       SELECT g.*, row_number() OVER (PARTITION BY dim ORDER BY promoters + passives + detractors DESC, value) AS rank,
              count(*) OVER (PARTITION BY dim)::int AS values_total,
              sum(promoters) OVER (PARTITION BY dim)::int AS total_promoters, sum(passives) OVER (PARTITION BY dim)::int AS total_passives,
              sum(detractors) OVER (PARTITION BY dim)::int AS total_detractors
         FROM grouped g WHERE promoters + passives + detractors > 0)
     SELECT * FROM ranked WHERE rank <= $5 ORDER BY dim, rank`,
    [portalId, period.from, period.to, opts.dimensions, opts.limit],
  );
  return r.rows.map((row) => ({
    dim: row.dim,
    value: row.value,
    counts: countsOf(row),
    valuesTotal: Number(row.values_total),
    dimensionTotal: {
      promoters: Number(row.total_promoters),
      passives: Number(row.total_passives),
      detractors: Number(row.total_detractors),
    },
    companyName: null,
  }));
}
