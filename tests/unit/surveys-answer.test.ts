import { describe, expect, it } from 'vitest';
import { parseAnswer, scoreFromQuery } from '../../src/surveys/answer';

describe('survey form answers', () => {
  it.each([
    ['score 0', { score: '0' }, 0],
    ['score 10', { score: '10' }, 10],
    ['score with spaces', { score: ' 7 ' }, 7],
  ])('accepts %s', (_what, body, score) => {
    const r = parseAnswer(body, { hasFollowUp: false });
    expect(r).toEqual({ ok: true, answer: { score, comment: null, followUp: null } });
  });

  it.each([
    ['no score', {}, 'error.scoreMissing'],
    ['an empty score', { score: '' }, 'error.scoreMissing'],
    ['11', { score: '11' }, 'error.scoreInvalid'],
    ['-1', { score: '-1' }, 'error.scoreInvalid'],
    ['7.5', { score: '7.5' }, 'error.scoreInvalid'],
    ['07', { score: '07' }, 'error.scoreInvalid'],
    ['1e1', { score: '1e1' }, 'error.scoreInvalid'],
    ['a word', { score: 'ten' }, 'error.scoreInvalid'],
    ['a repeated score', { score: ['3', '9'] }, 'error.scoreInvalid'],
  ])('refuses %s', (_what, body, key) => {
    const r = parseAnswer(body, { hasFollowUp: false });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems).toEqual([{ field: 'score', key }]);
  });

  it('accepts a reason of exactly 5,000 characters, counting CRLF as one and emoji as one', () => {
    const comment = `${'a'.repeat(4997)}\r\n😀b`;
    const r = parseAnswer({ score: '8', comment }, { hasFollowUp: false });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.answer.comment).toBe(`${'a'.repeat(4997)}\n😀b`);
  });

  it('refuses a reason over 5,000 characters and keeps the draft to show it again', () => {
    const comment = 'x'.repeat(5001);
    const r = parseAnswer({ score: '3', comment }, { hasFollowUp: false });
    expect(r).toEqual({
      ok: false,
      problems: [{ field: 'comment', key: 'error.commentTooLong', vars: { max: 5000, count: 5001 } }],
      draft: { score: 3, comment, followUp: '' },
    });
  });

  it('reads the follow-up answer only when the survey asks a follow-up question', () => {
    expect(parseAnswer({ score: '9', followUp: 'yes' }, { hasFollowUp: true })).toEqual({
      ok: true,
      answer: { score: 9, comment: null, followUp: 'yes' },
    });
    expect(parseAnswer({ score: '9', followUp: 'yes' }, { hasFollowUp: false })).toEqual({
      ok: true,
      answer: { score: 9, comment: null, followUp: null },
    });
    const long = parseAnswer({ score: '9', followUp: 'y'.repeat(5001) }, { hasFollowUp: true });
    expect(long.ok ? [] : long.problems.map((p) => p.key)).toEqual(['error.followUpTooLong']);
  });

  it('refuses a repeated text field instead of guessing which one was meant', () => {
    const r = parseAnswer({ score: '5', comment: ['a', 'b'] }, { hasFollowUp: false });
    expect(r.ok ? [] : r.problems).toEqual([{ field: 'comment', key: 'error.textInvalid' }]);
  });

  it('stores a blank reason as no reason', () => {
    expect(parseAnswer({ score: '5', comment: '  \r\n ' }, { hasFollowUp: false })).toEqual({
      ok: true,
      answer: { score: 5, comment: null, followUp: null },
    });
  });

  it.each([
    ['7', 7],
    ['0', 0],
    ['10', 10],
    ['11', undefined],
    ['abc', undefined],
    [undefined, undefined],
    [['1', '2'], undefined],
  ])('preselects from ?score=%s → %s', (value, expected) => {
    expect(scoreFromQuery(value)).toBe(expected);
  });
});
