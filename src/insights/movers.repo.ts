import type { Queryable } from '../storage';
import { AT_RISK_DROP } from '../responses';
import type { SegmentDimension } from './filters';
import type { Period } from './math';
import { FACT_COLUMNS, latestFacts } from './scores.repo';

// The score changes behind the movers panel: each person's latest answer of the period next to the answer they gave
// before it (at any earlier time), read from the answer facts, so answers left out of the insights stay out here.
// The previous score is kept beside each person's latest answer (migration 660). Counted per segment and ranked in
// the database, in one statement: only the counts and the listed movers travel.

/**
 * score-change.rules.ts's at-risk rule over two score columns: fell from 7 or more (promoter or passive) to 6 or
 * less (detractor), or dropped AT_RISK_DROP points or more. tests/integration/score-signals-insights.test.ts
 * checks it against the rule for every pair of scores.
 */
export function atRiskSql(prev: string, cur: string): string {
  return `((${prev} >= 7 AND ${cur} <= 6) OR ${cur} - ${prev} <= -${Number(AT_RISK_DROP)})`;
}

export interface SegmentMovementRow {
  /** The stored value ('' = unknown). */
  value: string;
  companyName: string | null;
  improved: number;
  declined: number;
  unchanged: number;
  atRisk: number;
  points: number;
}

export interface MoverRow {
  contactId: string;
  name: string | null;
  email: string | null;
  score: number;
  previousScore: number;
  answeredAt: string;
  segment: string;
  companyName: string | null;
}

interface RawMovement {
  segments: Array<Omit<SegmentMovementRow, 'companyName'> & { companyName?: string | null }> | null;
  movers: Array<Omit<MoverRow, 'contactId'> & { contactId: string | number }> | null;
}

/** Movement per segment of `dimension`, and the `limit` first movers (at risk, then largest drops, then rises). */
export async function movementUnder(
  db: Queryable,
  portalId: number,
  period: Period,
  dimension: SegmentDimension,
  limit: number,
): Promise<{ segments: SegmentMovementRow[]; movers: MoverRow[] }> {
  const column = `cur.${FACT_COLUMNS[dimension]}`;
  const company = dimension === 'company';
  // Companies are named after counting and ranking: one probe per listed segment and mover, not per person.
  const companyOf = (value: string) =>
    company
      ? `LEFT JOIN companies co ON co.portal_id = $1 AND co.company_id = CASE WHEN ${value} <> '' THEN ${value}::bigint END`
      : '';
  const companyName = company ? 'co.name' : 'NULL::text';
  const order = (m: string) =>
    `${atRiskSql(`${m}.prev`, `${m}.cur`)} DESC, (${m}.cur > ${m}.prev), abs(${m}.cur - ${m}.prev) DESC, ${m}.answered_at DESC, ${m}.contact_id`;
  const r = await db.query<{ movement: RawMovement | string }>(
    `WITH compared AS MATERIALIZED (
       SELECT cur.contact_id, cur.score AS cur, cur.previous_score AS prev, cur.answered_at,
              ${company ? `coalesce(${column}::text, '')` : column} AS segment
         FROM (${latestFacts('$1', '$2', '$3', { withPrevious: true })}) cur
        WHERE cur.previous_score IS NOT NULL
     ), counted AS (
       SELECT segment AS value,
              count(*) FILTER (WHERE cur > prev)::int AS improved, count(*) FILTER (WHERE cur < prev)::int AS declined,
              count(*) FILTER (WHERE cur = prev)::int AS unchanged, count(*) FILTER (WHERE ${atRiskSql('prev', 'cur')})::int AS "atRisk",
              coalesce(sum(cur - prev), 0)::int AS points
         FROM compared GROUP BY segment
     ), segments AS (
       SELECT s.*, ${companyName} AS "companyName" FROM counted s ${companyOf('s.value')}
     ), listed AS (
       SELECT * FROM compared m WHERE m.cur <> m.prev ORDER BY ${order('m')} LIMIT ${Number(limit)}
     ), movers AS (
       SELECT m.contact_id::text AS "contactId", nullif(concat_ws(' ', c.firstname, c.lastname), '') AS name, c.email,
              m.cur AS score, m.prev AS "previousScore", m.answered_at AS "answeredAt", m.segment, ${companyName} AS "companyName"
         FROM listed m LEFT JOIN contacts c ON c.portal_id = $1 AND c.contact_id = m.contact_id ${companyOf('m.segment')}
        ORDER BY ${order('m')}
     )
     SELECT json_build_object('segments', (SELECT json_agg(segments) FROM segments),
                              'movers', (SELECT json_agg(movers) FROM movers)) AS movement`,
    [portalId, period.from, period.to],
  );
  const value = r.rows[0]?.movement;
  const raw: RawMovement = typeof value === 'string' ? JSON.parse(value) : (value as RawMovement);
  return {
    segments: (raw.segments ?? []).map((s) => ({ ...s, value: s.value ?? '', companyName: s.companyName ?? null })),
    movers: (raw.movers ?? []).map((m) => ({
      ...m,
      contactId: String(m.contactId),
      segment: m.segment ?? '',
      answeredAt: new Date(m.answeredAt).toISOString(),
    })),
  };
}
