import { describe, expect, it } from 'vitest';
import {
  contactProperties,
  expiryCutoff,
  latestAnswer,
  surveyStatusOf,
  type Answer,
  type ContactState,
  type InvitationStatus,
} from '../../src/responses/contact-properties';

const NOW = new Date('2025-06-15T12:00:00Z');
const at = (iso: string) => new Date(iso);
const answer = (score: number, answeredAt: string, extra: Partial<Answer> = {}): Answer => ({
  score,
  comment: null,
  answeredAt: at(answeredAt),
  updatedAt: at(answeredAt),
  ...extra,
});
const state = (over: Partial<ContactState> = {}): ContactState => ({
  answers: [],
  latestInvitationStatus: null,
  lastSurveySentAt: null,
  surveyLink: null,
  ...over,
});

describe('contact properties written back to HubSpot', () => {
  it('a contact who answered 9 yesterday is a promoter with that score, comment and date', () => {
    const props = contactProperties(
      state({
        answers: [answer(9, '2025-06-14T08:30:00Z', { comment: 'Great "support", thanks' })],
        latestInvitationStatus: 'answered',
        lastSurveySentAt: at('2025-06-13T09:00:00Z'),
      }),
      NOW,
      12,
    );
    expect(props).toEqual({
      nps_score: '9',
      nps_category: 'promoter',
      nps_last_response_at: String(Date.parse('2025-06-14T08:30:00Z')),
      nps_last_comment: 'Great "support", thanks',
      nps_response_count: '1',
      nps_last_survey_sent_at: String(Date.parse('2025-06-13T09:00:00Z')),
      nps_survey_status: 'answered',
      nps_survey_link: '',
      nps_review_link_clicked_at: '',
      nps_last_follow_up_answer: '',
      nps_previous_score: '',
      nps_score_change: '',
      nps_trend: 'first',
    });
  });

  it.each([
    { scores: [3, 10], dates: ['2025-01-01T00:00:00Z', '2025-05-01T00:00:00Z'], want: ['10', 'promoter'] },
    { scores: [10, 3], dates: ['2025-01-01T00:00:00Z', '2025-05-01T00:00:00Z'], want: ['3', 'detractor'] },
    // An imported answer dated in the past does not override a more recent one, whatever the row order.
    { scores: [8, 2], dates: ['2025-05-01T00:00:00Z', '2024-12-01T00:00:00Z'], want: ['8', 'passive'] },
  ])('the latest answer wins: $scores answered at $dates → $want', ({ scores, dates, want }) => {
    const props = contactProperties(state({ answers: scores.map((s, i) => answer(s, dates[i]!)) }), NOW, 12);
    expect([props.nps_score, props.nps_category]).toEqual(want);
    expect(props.nps_response_count).toBe(String(scores.length));
  });

  it('of two answers at the same instant, the one written last wins (a changed answer)', () => {
    const first = answer(4, '2025-06-01T00:00:00Z', { updatedAt: at('2025-06-01T00:00:00Z') });
    const changed = answer(9, '2025-06-01T00:00:00Z', { updatedAt: at('2025-06-01T00:05:00Z') });
    expect(latestAnswer([changed, first])).toBe(changed);
    expect(latestAnswer([first, changed])).toBe(changed);
  });

  it.each([
    { answeredAt: '2024-06-15T12:00:00Z', months: 12, current: true, why: 'exactly 12 months old still counts' },
    { answeredAt: '2024-06-15T11:59:59Z', months: 12, current: false, why: 'one second past 12 months has expired' },
    { answeredAt: '2025-01-10T00:00:00Z', months: 6, current: true, why: 'five months old under a 6-month rule' },
    {
      answeredAt: '2024-12-10T00:00:00Z',
      months: 6,
      current: false,
      why: 'six months and five days old under a 6-month rule',
    },
  ])('expiry rule: $why', ({ answeredAt, months, current }) => {
    const props = contactProperties(state({ answers: [answer(7, answeredAt, { comment: 'ok' })] }), NOW, months);
    expect(props.nps_score).toBe(current ? '7' : '');
    expect(props.nps_category).toBe(current ? 'passive' : '');
    // The history stays: the last response date, comment and count describe what happened, expired or not.
    expect(props.nps_last_response_at).toBe(String(Date.parse(answeredAt)));
    expect(props.nps_last_comment).toBe('ok');
    expect(props.nps_response_count).toBe('1');
  });

  it('an expired latest answer empties the score even when an older answer exists (no fallback to older answers)', () => {
    const props = contactProperties(
      state({ answers: [answer(10, '2023-01-01T00:00:00Z'), answer(2, '2024-01-01T00:00:00Z')] }),
      NOW,
      12,
    );
    expect(props.nps_score).toBe('');
    expect(props.nps_category).toBe('');
  });

  it.each([
    ['2025-03-31T10:00:00Z', 1, '2025-02-28T10:00:00.000Z'],
    ['2024-03-31T10:00:00Z', 1, '2024-02-29T10:00:00.000Z'],
    ['2025-06-15T12:00:00Z', 12, '2024-06-15T12:00:00.000Z'],
    ['2025-01-31T00:00:00Z', 2, '2024-11-30T00:00:00.000Z'],
  ])('expiry cutoff %s minus %i month(s) is %s (calendar months, clamped to the month end)', (now, months, want) => {
    expect(expiryCutoff(at(now), months).toISOString()).toBe(want);
  });

  it.each<[InvitationStatus | null, number, string]>([
    ['sent', 0, 'pending'],
    ['reminded', 1, 'pending'],
    ['answered', 1, 'answered'],
    ['expired', 0, 'expired'],
    ['skipped', 2, 'skipped'],
    [null, 0, 'none'],
    [null, 1, 'answered'],
  ])('survey status from latest invitation %s with %i answers is %s', (invitation, answers, want) => {
    expect(surveyStatusOf(invitation, answers)).toBe(want);
  });

  it('a contact with an open HubSpot-sent survey gets its link; nothing yet gives empty values and status none', () => {
    expect(
      contactProperties(state({ latestInvitationStatus: 'sent', surveyLink: 'https://nps.test/s/abc' }), NOW, 12)
        .nps_survey_link,
    ).toBe('https://nps.test/s/abc');
    expect(contactProperties(state(), NOW, 12)).toEqual({
      nps_score: '',
      nps_category: '',
      nps_last_response_at: '',
      nps_last_comment: '',
      nps_response_count: '0',
      nps_last_survey_sent_at: '',
      nps_survey_status: 'none',
      nps_survey_link: '',
      nps_review_link_clicked_at: '',
      nps_last_follow_up_answer: '',
      nps_previous_score: '',
      nps_score_change: '',
      nps_trend: '',
    });
  });
});
