import type { Queryable } from '../storage';
import type { SegmentDimension } from './filters';
import type { Period } from './math';
import { FACT_COLUMNS, latestFacts } from './scores.repo';

// The score changes behind the movers panel: each person's latest answer of the period next to the answer they gave
// before it (at any earlier time), read from the answer facts, so answers left out of the insights stay out here.

export interface ComparedAnswer {
  contactId: string;
  score: number;
  previousScore: number;
  answeredAt: string;
  /** The stored value of the requested dimension ('' = unknown). */
  segment: string;
  companyName: string | null;
}

interface Row {
  contact_id: string;
  score: number;
  previous_score: number;
  answered_at: Date | string;
  segment: string | null;
  company_name: string | null;
}

/** Every person whose latest answer in the period has an answer before it. */
export async function comparedAnswers(
  db: Queryable,
  portalId: number,
  period: Period,
  dimension: SegmentDimension,
): Promise<ComparedAnswer[]> {
  const column = `cur.${FACT_COLUMNS[dimension]}`;
  const company = dimension === 'company';
  const r = await db.query<Row>(
    `SELECT cur.contact_id, cur.score, prev.score AS previous_score, cur.answered_at,
            ${company ? `coalesce(${column}::text, '')` : column} AS segment,
            ${company ? 'co.name' : 'NULL::text'} AS company_name
       FROM (${latestFacts('$1', '$2', '$3')}) cur
       CROSS JOIN LATERAL (
         SELECT p.score FROM insight_answer_facts p
          WHERE p.portal_id = cur.portal_id AND p.contact_id = cur.contact_id
            AND (p.answered_at, p.response_id) < (cur.answered_at, cur.response_id)
          ORDER BY p.answered_at DESC, p.response_id DESC LIMIT 1) prev
       ${company ? 'LEFT JOIN companies co ON co.portal_id = cur.portal_id AND co.company_id = cur.company_id' : ''}`,
    [portalId, period.from, period.to],
  );
  return r.rows.map((x) => ({
    contactId: String(x.contact_id),
    score: Number(x.score),
    previousScore: Number(x.previous_score),
    answeredAt: new Date(x.answered_at).toISOString(),
    segment: x.segment ?? '',
    companyName: x.company_name,
  }));
}

export interface ContactName {
  name: string | null;
  email: string | null;
}

/** Names of the listed movers (a few dozen), read after the changes are ranked. */
export async function contactNames(
  db: Queryable,
  portalId: number,
  contactIds: string[],
): Promise<Map<string, ContactName>> {
  if (contactIds.length === 0) return new Map();
  const r = await db.query<{
    contact_id: string;
    firstname: string | null;
    lastname: string | null;
    email: string | null;
  }>(
    'SELECT contact_id, firstname, lastname, email FROM contacts WHERE portal_id = $1 AND contact_id = ANY($2::bigint[])',
    [portalId, contactIds],
  );
  return new Map(
    r.rows.map((x) => [
      String(x.contact_id),
      { name: [x.firstname, x.lastname].filter(Boolean).join(' ') || null, email: x.email },
    ]),
  );
}
