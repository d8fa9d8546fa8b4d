import { createRng } from '../../src/sandbox/platform/random';

// The write-back proof's own record of what every respondent answered, kept apart from the app: the plan of
// survey POSTs, and from it what HubSpot must show at the end. Pure.
//
// Each contact has three open surveys (a, b, c). Round 1 answers a, round 2 answers b, round 3 answers c, and
// round 4 changes an earlier answer: c for two contacts in three, b for the others. A changed answer is the
// latest (it is given last), so after round 4 a contact whose b changed shows b, not c.

export const SURVEYS_PER_CONTACT = 3;
export const ROUNDS = 4;

export interface PlannedPost {
  contactId: string;
  /** 0, 1 or 2: which of the contact's three surveys. */
  survey: number;
  round: number;
  score: number;
  comment: string;
}

/** The posts of each round, in order; the posts of one round are for distinct contacts. */
export function planPosts(contactIds: string[], seed: number): PlannedPost[][] {
  const rng = createRng(seed);
  const rounds: PlannedPost[][] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    rounds.push(
      contactIds.map((contactId) => {
        const survey = round <= SURVEYS_PER_CONTACT ? round - 1 : rng() < 2 / 3 ? 2 : 1;
        const score = Math.floor(rng() * 11);
        // Quotes, an ampersand, angle brackets and accents: the comment must arrive in HubSpot as typed.
        const comment = `Round ${round} from ${contactId}: “${score}” & <fine> é`;
        return { contactId, survey, round, score, comment };
      }),
    );
  }
  return rounds;
}

export interface FinalAnswer {
  score: number;
  comment: string;
  /** The round of the survey's last post: the later, the more recent the answer. */
  round: number;
}

/** Every survey's final answer, by contact: the last post to each survey wins. */
export function finalAnswers(rounds: PlannedPost[][]): Map<string, FinalAnswer[]> {
  const out = new Map<string, FinalAnswer[]>();
  for (const posts of rounds) {
    for (const p of posts) {
      const surveys = out.get(p.contactId) ?? [];
      surveys[p.survey] = { score: p.score, comment: p.comment, round: p.round };
      out.set(p.contactId, surveys);
    }
  }
  return out;
}

function categoryOfScore(score: number): 'detractor' | 'passive' | 'promoter' {
  return score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
}

/** What the contact's NPS properties must be, given its final answers (all three surveys answered). */
export function expectedProperties(answers: FinalAnswer[]): Record<string, string> {
  const byRecency = [...answers].sort((x, y) => y.round - x.round);
  const latest = byRecency[0]!;
  const previous = byRecency[1]!;
  return {
    nps_score: String(latest.score),
    nps_category: categoryOfScore(latest.score),
    nps_last_comment: latest.comment,
    nps_response_count: String(answers.length),
    nps_survey_status: 'answered',
    nps_previous_score: String(previous.score),
  };
}

/** The surveys' index of the latest answer (the one nps_last_response_at must equal). */
export function latestSurvey(answers: FinalAnswer[]): number {
  let best = 0;
  for (let i = 1; i < answers.length; i++) if (answers[i]!.round > answers[best]!.round) best = i;
  return best;
}
