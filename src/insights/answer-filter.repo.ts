import { isCustomDimension, type AnswerFilters, type SegmentDimension } from './filters';
import { FACT_COLUMNS } from './scores.repo';
import { addDays } from './math';

// The WHERE clause shared by the comments list and the CSV export: period, category, one segment, text search
// (comment and follow-up answer),
// and "latest answer per person". Responses are aliased r, their facts f (joined only when a segment is filtered).

/** Escapes LIKE wildcards so a search for "50%" or "a_b" matches those characters literally (ESCAPE '\'). */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export interface AnswerWhere {
  /** JOIN clause for the facts table (empty when no segment filter needs it). */
  join: string;
  /** Conditions, starting with the portal, joined with AND. */
  where: string;
  params: unknown[];
}

/** Builds the filter for responses r of one portal; parameters are numbered from $1. */
export function answerWhere(portalId: number, f: AnswerFilters): AnswerWhere {
  const params: unknown[] = [portalId, `${f.period.from}T00:00:00Z`, `${addDays(f.period.to, 1)}T00:00:00Z`];
  const conditions = ['r.portal_id = $1', 'r.answered_at >= $2::timestamptz', 'r.answered_at < $3::timestamptz'];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    conditions.push(sql(`$${params.length}`));
  };
  if (f.category) add((p) => `r.category = ${p}`, f.category);
  let join = '';
  if (f.segment && isCustomDimension(f.segment.name)) {
    // The contact's current value (one primary-key probe); date dimensions band the date against the answer's time.
    params.push(f.segment.name);
    const dim = `$${params.length}`;
    add(
      (
        p,
      ) => `coalesce((SELECT CASE WHEN v.since IS NOT NULL THEN insight_tenure_band(v.since, r.answered_at) ELSE v.value END
          FROM segment_values v WHERE v.portal_id = r.portal_id AND v.contact_id = r.contact_id AND v.dimension = ${dim}), '') = ${p}`,
      f.segment.value,
    );
  } else if (f.segment) {
    join = 'JOIN insight_answer_facts f ON f.response_id = r.id';
    const column = `f.${FACT_COLUMNS[f.segment.name as SegmentDimension]}`;
    if (f.segment.name === 'company') {
      if (f.segment.value === '') conditions.push(`${column} IS NULL`);
      else add((p) => `${column} = ${p}::bigint`, f.segment.value);
    } else add((p) => `${column} = ${p}`, f.segment.value);
  }
  // The search covers what the person wrote: the comment and the follow-up answer.
  if (f.q)
    add((p) => `(r.comment ILIKE ${p} ESCAPE '\\' OR r.follow_up_answer ILIKE ${p} ESCAPE '\\')`, likePattern(f.q));
  if (f.mode === 'latest') {
    conditions.push(`NOT EXISTS (SELECT 1 FROM responses newer
      WHERE newer.portal_id = r.portal_id AND newer.contact_id = r.contact_id
        AND newer.answered_at >= $2::timestamptz AND newer.answered_at < $3::timestamptz
        AND (newer.answered_at, newer.id) > (r.answered_at, r.id))`);
  }
  return { join, where: conditions.join(' AND '), params };
}
