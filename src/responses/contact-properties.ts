import { categoryOf, type Category } from '../core';
import { previousAnswer, scoreChange } from './score-change.rules';

// The contact's `nps_*` properties as a pure function of what the database knows about the contact.
// Values are strings the way HubSpot returns them; '' clears a property.

export type SurveyStatus = 'pending' | 'answered' | 'expired' | 'skipped' | 'none';
export type InvitationStatus = 'scheduled' | 'sent' | 'reminded' | 'answered' | 'expired' | 'skipped';

export interface Answer {
  score: number;
  comment: string | null;
  /** The answer to the survey's follow-up question, when it asked one. */
  followUpAnswer?: string | null;
  answeredAt: Date;
  /** Breaks ties between answers given at the same instant: the last written wins. */
  updatedAt: Date;
}

export interface ContactState {
  answers: Answer[];
  /** Status of the contact's latest invitation that left the schedule (was sent or skipped), if any. */
  latestInvitationStatus: InvitationStatus | null;
  lastSurveySentAt: Date | null;
  /** Signed link of the contact's open HubSpot-sent invitation. */
  surveyLink: string | null;
  /** When the contact last followed a review link from the promoter thank-you page (src/reviews). */
  reviewClickedAt?: Date | null;
}

export type ContactProperties = Record<
  | 'nps_score'
  | 'nps_category'
  | 'nps_last_response_at'
  | 'nps_last_comment'
  | 'nps_response_count'
  | 'nps_last_survey_sent_at'
  | 'nps_survey_status'
  | 'nps_survey_link'
  | 'nps_review_link_clicked_at'
  | 'nps_last_follow_up_answer'
  | 'nps_previous_score'
  | 'nps_score_change'
  | 'nps_trend',
  string
>;

/** The latest answer: by answer time, then by last write (a changed answer is the same row, updated). */
export function latestAnswer<T extends Pick<Answer, 'answeredAt' | 'updatedAt'>>(answers: readonly T[]): T | null {
  let best: T | null = null;
  for (const a of answers) {
    if (!best) best = a;
    else {
      const byTime = a.answeredAt.getTime() - best.answeredAt.getTime();
      if (byTime > 0 || (byTime === 0 && a.updatedAt.getTime() > best.updatedAt.getTime())) best = a;
    }
  }
  return best;
}

/** Answers given before this moment have expired (calendar months, UTC; Jan 31 − 1 month → Dec 31). */
export function expiryCutoff(now: Date, months: number): Date {
  const d = new Date(now.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - months);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return d;
}

function isExpired(answeredAt: Date, now: Date, months: number): boolean {
  return answeredAt.getTime() < expiryCutoff(now, months).getTime();
}

/** The latest answer that has not expired: what "current score" means everywhere (ARCHITECTURE.md §4). */
export function currentAnswer<T extends Pick<Answer, 'answeredAt' | 'updatedAt'>>(
  answers: readonly T[],
  now: Date,
  months: number,
): T | null {
  const latest = latestAnswer(answers);
  return latest && !isExpired(latest.answeredAt, now, months) ? latest : null;
}

export function surveyStatusOf(invitation: InvitationStatus | null, answerCount: number): SurveyStatus {
  switch (invitation) {
    case 'sent':
    case 'reminded':
      return 'pending';
    case 'answered':
    case 'expired':
    case 'skipped':
      return invitation;
    default:
      // No survey went out (manual or imported answers only, or nothing yet).
      return answerCount > 0 ? 'answered' : 'none';
  }
}

function numberOrEmpty(n: number | null | undefined): string {
  return n === null || n === undefined ? '' : String(n);
}

/** HubSpot datetime properties accept epoch milliseconds; '' clears the value. */
function hubspotDateTime(d: Date | null): string {
  return d ? String(d.getTime()) : '';
}

export function contactProperties(state: ContactState, now: Date, answerExpiryMonths: number): ContactProperties {
  const latest = latestAnswer(state.answers);
  const current = latest && !isExpired(latest.answeredAt, now, answerExpiryMonths) ? latest : null;
  const category: Category | '' = current ? categoryOf(current.score) : '';
  // The change describes the current answer: once it expires the contact leaves "NPS At risk" with its score.
  const previous = current ? previousAnswer(state.answers, current) : null;
  const change = current ? scoreChange(current.score, previous?.score ?? null) : null;
  return {
    nps_score: current ? String(current.score) : '',
    nps_category: category,
    // The last response stays a fact after it expires; only the score and category stop counting.
    nps_last_response_at: hubspotDateTime(latest?.answeredAt ?? null),
    nps_last_comment: latest?.comment ?? '',
    nps_response_count: String(state.answers.length),
    nps_last_survey_sent_at: hubspotDateTime(state.lastSurveySentAt),
    nps_survey_status: surveyStatusOf(state.latestInvitationStatus, state.answers.length),
    nps_survey_link: state.surveyLink ?? '',
    nps_review_link_clicked_at: hubspotDateTime(state.reviewClickedAt ?? null),
    nps_last_follow_up_answer: latest?.followUpAnswer ?? '',
    nps_previous_score: numberOrEmpty(change?.previousScore),
    nps_score_change: numberOrEmpty(change?.change),
    nps_trend: change?.trend ?? '',
  };
}
