import type { Queryable } from '../storage';
import type { AnswerFilters } from './filters';
import { catchUpInsights } from './catch-up';
import { commentsUnder, type CommentRow } from './answers.repo';

export type { CommentRow } from './answers.repo';

/** The newest comments (and follow-up answers) under the filters, with who said it and about what. Text is raw: escape on output. */
export async function latestComments(
  db: Queryable,
  portalId: number,
  filters: AnswerFilters,
  limit: number,
  opts: { withFollowUpOnly?: boolean } = {},
): Promise<CommentRow[]> {
  // Only a segment filter reads the answer facts, which the catch-up keeps current.
  if (filters.segment) await catchUpInsights(db, portalId);
  return commentsUnder(db, portalId, filters, limit, opts);
}
