import type { Queryable } from '../storage';
import type { CategoryCounts } from '../core';
import type { Mode, SegmentDimension, SegmentName } from './filters';
import type { Period } from './math';
import { CATEGORY_COUNTS, CATEGORY_SUMS, FACT_COLUMNS, countsOf, latestFacts, newerThan } from './scores.repo';

// Answer counts per value of each segment dimension, ranked within the dimension, in one statement.

/** One value of a dimension: its counts, and the totals of the whole dimension it is compared with. */
export interface SegmentCounts {
  dim: SegmentName;
  /** The stored value ('' = unknown). */
  value: string;
  counts: CategoryCounts;
  /** Values of this dimension with answers (all of them, not only the listed ones). */
  valuesTotal: number;
  /** All answers of this dimension. */
  dimensionTotal: CategoryCounts;
  /** The company's name when the dimension is company and the company is known. */
  companyName: string | null;
}

interface GroupRow {
  dim: SegmentDimension;
  value: string;
  promoters: number;
  passives: number;
  detractors: number;
  values_total: number;
  total_promoters: number;
  total_passives: number;
  total_detractors: number;
  company_name: string | null;
}

/** Each person's latest answer, split by every requested dimension in one pass (grouping sets). */
function latestGroupedFromAnswers(dimensions: SegmentDimension[]): string {
  const which = dimensions.map((d) => `WHEN GROUPING(f.${FACT_COLUMNS[d]}) = 0 THEN '${d}'`).join(' ');
  const value = dimensions
    .map(
      (d) =>
        `WHEN GROUPING(f.${FACT_COLUMNS[d]}) = 0 THEN ${d === 'company' ? "coalesce(f.company_id::text, '')" : `f.${FACT_COLUMNS[d]}`}`,
    )
    .join(' ');
  return `SELECT CASE ${which} END AS dim, CASE ${value} END AS value, ${CATEGORY_COUNTS}
            FROM (${latestFacts('$1', '$2', '$3')}) f
           GROUP BY GROUPING SETS (${dimensions.map((d) => `(f.${FACT_COLUMNS[d]})`).join(', ')})`;
}

/**
 * Each person's latest answer split by the dimensions. When the period ends on or after the newest answer, from
 * the rollup of latest answers (migration 661), companies from the latest answers themselves; otherwise grouped
 * from the answers. One statement, both branches guarded, as in latestFacts.
 */
function latestGrouped(dimensions: SegmentDimension[]): string {
  const newer = newerThan('$1', '$3');
  return [
    `SELECT dim, value, coalesce(sum(promoters), 0)::int AS promoters, coalesce(sum(passives), 0)::int AS passives,
            coalesce(sum(detractors), 0)::int AS detractors
       FROM insight_latest_daily
      WHERE portal_id = $1 AND dim = ANY($4::text[]) AND dim <> 'company' AND day BETWEEN $2::date AND $3::date AND NOT ${newer}
      GROUP BY 1, 2`,
    ...(dimensions.includes('company')
      ? [
          `SELECT 'company' AS dim, coalesce(f.company_id::text, '') AS value, ${CATEGORY_COUNTS}
             FROM insight_latest_answers f
            WHERE f.portal_id = $1 AND f.day BETWEEN $2::date AND $3::date AND NOT ${newer}
            GROUP BY f.company_id`,
        ]
      : []),
    `SELECT * FROM (${latestGroupedFromAnswers(dimensions)}) g WHERE ${newer}`,
  ].join(' UNION ALL ');
}

// The daily rollup holds every dimension but company: companies are too many for daily rows. Each company's count
// for the period is its running total at the period's last day minus the one before its first day (migration 415);
// answers without a company are the rest of the period's answers.
const COMPANY_COUNTS = `SELECT 'company' AS dim, c.company_id::text AS value,
    hi.cum_promoters - coalesce(lo.cum_promoters, 0) AS promoters, hi.cum_passives - coalesce(lo.cum_passives, 0) AS passives,
    hi.cum_detractors - coalesce(lo.cum_detractors, 0) AS detractors
  FROM insight_companies c
  CROSS JOIN LATERAL (SELECT cum_promoters, cum_passives, cum_detractors FROM insight_company_days d
                       WHERE d.portal_id = c.portal_id AND d.company_id = c.company_id AND d.day <= $3::date ORDER BY d.day DESC LIMIT 1) hi
  LEFT JOIN LATERAL (SELECT cum_promoters, cum_passives, cum_detractors FROM insight_company_days d
                      WHERE d.portal_id = c.portal_id AND d.company_id = c.company_id AND d.day < $2::date ORDER BY d.day DESC LIMIT 1) lo ON true
  WHERE c.portal_id = $1`;

/** The `limit` largest values of each dimension, largest first, values without answers left out. */
export async function segmentCounts(
  db: Queryable,
  portalId: number,
  period: Period,
  opts: { mode: Mode; dimensions: SegmentDimension[]; limit: number },
): Promise<SegmentCounts[]> {
  const dimensions = opts.dimensions;
  const grouped =
    opts.mode === 'latest'
      ? latestGrouped(dimensions)
      : [
          `SELECT dim, value, ${CATEGORY_SUMS} FROM insight_daily
            WHERE portal_id = $1 AND dim = ANY($4::text[]) AND dim <> 'company' AND day BETWEEN $2::date AND $3::date GROUP BY 1, 2`,
          ...(dimensions.includes('company') ? [COMPANY_COUNTS] : []),
        ].join(' UNION ALL ');
  const withUnknownCompany =
    opts.mode === 'all' && dimensions.includes('company')
      ? `, company_known AS (SELECT * FROM grouped WHERE dim = 'company'),
         period_total AS (SELECT ${CATEGORY_SUMS} FROM insight_daily WHERE portal_id = $1 AND dim = 'all' AND day BETWEEN $2::date AND $3::date),
         all_grouped AS (
           SELECT * FROM grouped
           UNION ALL
           SELECT 'company', '', t.promoters - k.promoters, t.passives - k.passives, t.detractors - k.detractors
             FROM period_total t,
                  (SELECT coalesce(sum(promoters), 0) AS promoters, coalesce(sum(passives), 0) AS passives, coalesce(sum(detractors), 0) AS detractors
                     FROM company_known) k)`
      : ', all_grouped AS (SELECT * FROM grouped)';
  const r = await db.query<GroupRow>(
    `WITH grouped AS (${grouped})${withUnknownCompany},
     ranked AS (
       SELECT g.*, row_number() OVER (PARTITION BY dim ORDER BY promoters + passives + detractors DESC, value) AS rank,
              count(*) OVER (PARTITION BY dim)::int AS values_total,
              sum(promoters) OVER (PARTITION BY dim)::int AS total_promoters, sum(passives) OVER (PARTITION BY dim)::int AS total_passives,
              sum(detractors) OVER (PARTITION BY dim)::int AS total_detractors
         FROM all_grouped g WHERE promoters + passives + detractors > 0)
     SELECT ranked.*, co.name AS company_name
       FROM ranked
       LEFT JOIN companies co ON co.portal_id = $1
        AND co.company_id = CASE WHEN ranked.dim = 'company' AND ranked.value <> '' THEN ranked.value::bigint END
      WHERE rank <= $5 AND dim = ANY($4::text[])
      ORDER BY dim, rank`,
    [portalId, period.from, period.to, dimensions, opts.limit],
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
    companyName: row.company_name,
  }));
}
