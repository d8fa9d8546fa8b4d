import type { Queryable } from '../storage';
import type { CustomDimensionName, Mode } from './filters';
import type { Period } from './math';
import { CATEGORY_COUNTS, countsOf, latestFacts } from './scores.repo';
import type { SegmentCounts } from './segments.repo';

// Answer counts per value of custom dimensions (src/segments): each answer's contact's current value, read from
// segment_values by primary key (portal, contact, dimension). Date dimensions store the date and are banded
// against each answer's time, like the built-in tenure. Contacts without a value count as unknown ('').

/** The period's answers (or each person's latest) as (contact_id, answered_at, score): an index-only range scan. */
function answersIn(mode: Mode): string {
  return mode === 'latest'
    ? `SELECT l.contact_id, l.answered_at, l.score FROM (${latestFacts('$1', '$2', '$3')}) l`
    : `SELECT contact_id, answered_at, score FROM insight_answer_facts WHERE portal_id = $1 AND day BETWEEN $2::date AND $3::date`;
}

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
    `WITH f AS MATERIALIZED (${answersIn(opts.mode)}),
     grouped AS (
       SELECT d.dim,
              coalesce(CASE WHEN v.since IS NOT NULL THEN insight_tenure_band(v.since, f.answered_at) ELSE v.value END, '') AS value,
              ${CATEGORY_COUNTS}
         FROM f CROSS JOIN unnest($4::text[]) AS d (dim)
         LEFT JOIN segment_values v ON v.portal_id = $1 AND v.contact_id = f.contact_id AND v.dimension = d.dim
        GROUP BY 1, 2),
     ranked AS (
       SELECT g.*, row_number() OVER (PARTITION BY dim ORDER BY promoters + passives + detractors DESC, value) AS rank,
              count(*) OVER (PARTITION BY dim)::int AS values_total,
              sum(promoters) OVER (PARTITION BY dim)::int AS total_promoters, sum(passives) OVER (PARTITION BY dim)::int AS total_passives,
              sum(detractors) OVER (PARTITION BY dim)::int AS total_detractors
         FROM grouped g)
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
