import { describe, expect, it } from 'vitest';
import { companyTrend, previousAnswer, scoreChange, type ScoreChange } from '../../src/responses/score-change.rules';
import { contactProperties, type Answer } from '../../src/responses/contact-properties';
import { companyTrends, type CompanyAnswer } from '../../src/responses/company-nps';

const NOW = new Date('2025-06-15T12:00:00Z');
const answer = (score: number, answeredAt: string, extra: Partial<Answer> = {}): Answer => ({
  score,
  comment: null,
  answeredAt: new Date(answeredAt),
  updatedAt: new Date(answeredAt),
  ...extra,
});

describe('score change of a contact', () => {
  it.each<[number, number | null, Partial<ScoreChange>]>([
    [9, null, { trend: 'first', previousScore: null, change: null, atRisk: false }],
    [4, null, { trend: 'first', atRisk: false }],
    [8, 8, { trend: 'unchanged', change: 0, atRisk: false }],
    [0, 0, { trend: 'unchanged', change: 0, atRisk: false }],
    [10, 6, { trend: 'improved', change: 4, atRisk: false }],
    [9, 8, { trend: 'improved', change: 1, previousScore: 8, atRisk: false }],
    // Dropping exactly 3 points is at risk, 2 is not (inside one category or across passive → passive).
    [7, 10, { trend: 'declined', change: -3, atRisk: true }],
    [8, 10, { trend: 'declined', change: -2, atRisk: false }],
    [3, 6, { trend: 'declined', change: -3, atRisk: true }],
    [4, 6, { trend: 'declined', change: -2, atRisk: false }],
    // Falling into detractor from passive or promoter is at risk, whatever the size of the drop.
    [6, 7, { trend: 'declined', change: -1, atRisk: true }],
    [6, 9, { trend: 'declined', change: -3, atRisk: true }],
    // Already a detractor and one point lower: declined, but no category drop and less than 3 points.
    [5, 6, { trend: 'declined', change: -1, atRisk: false }],
  ])('%i after %s', (current, previous, want) => {
    expect(scoreChange(current, previous)).toMatchObject(want);
  });

  it('the previous answer is the one just before the current, not the oldest, whatever the row order', () => {
    const a = answer(9, '2025-01-01T00:00:00Z');
    const b = answer(7, '2025-03-01T00:00:00Z');
    const c = answer(3, '2025-05-01T00:00:00Z');
    expect(previousAnswer([c, a, b], c)).toBe(b);
    expect(previousAnswer([c, a, b], b)).toBe(a);
    expect(previousAnswer([c, a, b], a)).toBeNull();
  });

  it('answers at the same instant are ordered by their last write, like the latest answer', () => {
    const first = answer(9, '2025-05-01T00:00:00Z', { updatedAt: new Date('2025-05-01T00:00:00Z') });
    const second = answer(2, '2025-05-01T00:00:00Z', { updatedAt: new Date('2025-05-01T00:01:00Z') });
    expect(previousAnswer([second, first], second)).toBe(first);
  });
});

describe('score-change contact properties', () => {
  it('a promoter who now answers 6 has previous 9, change −3 and is declined', () => {
    const props = contactProperties(
      {
        answers: [answer(9, '2025-01-01T00:00:00Z'), answer(6, '2025-06-01T00:00:00Z', { followUpAnswer: 'Support' })],
        latestInvitationStatus: 'answered',
        lastSurveySentAt: null,
        surveyLink: null,
      },
      NOW,
      12,
    );
    expect(props).toMatchObject({
      nps_score: '6',
      nps_previous_score: '9',
      nps_score_change: '-3',
      nps_trend: 'declined',
      nps_last_follow_up_answer: 'Support',
    });
  });

  it('a changed answer within one invitation is one answer: still the first, compared with nothing', () => {
    // The row of an invitation is updated in place when the person changes their answer (same answered row).
    const props = contactProperties(
      {
        answers: [answer(3, '2025-06-01T00:00:00Z')],
        latestInvitationStatus: null,
        lastSurveySentAt: null,
        surveyLink: null,
      },
      NOW,
      12,
    );
    expect(props).toMatchObject({ nps_trend: 'first', nps_previous_score: '', nps_score_change: '' });
  });

  it('an expired current answer clears the trend with the score; the previous answer may be old', () => {
    const state = (answers: Answer[]) => ({
      answers,
      latestInvitationStatus: null,
      lastSurveySentAt: null,
      surveyLink: null,
    });
    expect(
      contactProperties(state([answer(9, '2023-01-01T00:00:00Z'), answer(2, '2024-01-01T00:00:00Z')]), NOW, 12),
    ).toMatchObject({ nps_trend: '', nps_previous_score: '', nps_score_change: '' });
    expect(
      contactProperties(state([answer(9, '2023-01-01T00:00:00Z'), answer(9, '2025-06-01T00:00:00Z')]), NOW, 12),
    ).toMatchObject({ nps_trend: 'unchanged', nps_previous_score: '9', nps_score_change: '0' });
  });
});

describe('company trend', () => {
  const change = (current: number, previous: number | null) => scoreChange(current, previous);

  it.each<[string, ScoreChange[], string, number]>([
    ['no respondents', [], '', 0],
    ['only first answers', [change(9, null), change(3, null)], 'first', 0],
    ['more improved than declined', [change(9, 7), change(10, 6), change(6, 7)], 'improved', 1],
    ['more declined than improved', [change(2, 9), change(5, 8), change(9, 8)], 'declined', 2],
    ['as many up as down', [change(9, 8), change(7, 8), change(8, 8)], 'unchanged', 0],
  ])('%s', (_why, changes, trend, atRisk) => {
    expect(companyTrend(changes)).toEqual({ trend, atRiskContacts: atRisk });
  });

  it('takes each contact’s current answer against their previous one, per company', () => {
    const row = (companyId: number, contactId: number, score: number, at: string): CompanyAnswer => ({
      companyId,
      contactId,
      score,
      answeredAt: new Date(at),
      updatedAt: new Date(at),
    });
    const trends = companyTrends(
      [
        row(1, 10, 9, '2025-01-01T00:00:00Z'),
        row(1, 10, 5, '2025-05-01T00:00:00Z'),
        row(1, 11, 8, '2025-05-02T00:00:00Z'),
        row(2, 20, 4, '2025-02-01T00:00:00Z'),
        row(2, 20, 9, '2025-04-01T00:00:00Z'),
      ],
      NOW,
      12,
    );
    expect(trends.get(1)).toEqual({ trend: 'declined', atRiskContacts: 1 });
    expect(trends.get(2)).toEqual({ trend: 'improved', atRiskContacts: 0 });
  });
});
