import type { AppDeps } from '../core';
import { categoryOf } from '../core';
import { insertAnswer, type Recorded, type RecordInput, type RecordParams } from './answers.repo';

/** How long a company's NPS waits after an answer before it is recomputed and written. */
export const COMPANY_ROLLUP_DELAY_MS = 60_000;

export type { Recorded, RecordInput } from './answers.repo';

export async function recordResponse(deps: Pick<AppDeps, 'db' | 'clock'>, input: RecordInput): Promise<Recorded> {
  const recorded = await runRecord(deps, input, false);
  return recorded!;
}

export interface SurveyAnswerInput {
  portalId: number;
  invitationId: string;
  score: number;
  comment: string | null;
  /** Kept only when the invitation's survey asked a follow-up question. */
  followUpAnswer: string | null;
  /**
   * The thank-you email's outbox kind: given, a first answer marks the email in the same statement when the portal
   * has it on (a changed answer gets none).
   */
  thankYouEmailKind?: string;
}

/**
 * A survey page answer in one round trip: stored with the invitation's contact and channel ('email' for an
 * emailed survey, else 'page') if the survey is still open; null, with nothing stored, when it is not.
 */
export async function recordSurveyAnswer(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  input: SurveyAnswerInput,
): Promise<Recorded | null> {
  return runRecord(deps, { ...input, contactId: null, channel: null }, true);
}

async function runRecord(
  deps: Pick<AppDeps, 'db' | 'clock'>,
  input: RecordParams & { thankYouEmailKind?: string },
  surveyAnswer: boolean,
): Promise<Recorded | null> {
  const category = categoryOf(input.score);
  const answeredAt = input.answeredAt ?? deps.clock.now();
  const companyRollupDue = new Date(deps.clock.now().getTime() + COMPANY_ROLLUP_DELAY_MS);
  return insertAnswer(deps.db, { ...input, category, answeredAt, companyRollupDue, surveyAnswer });
}
