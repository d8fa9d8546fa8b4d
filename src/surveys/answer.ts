import { z } from 'zod';
import { storableText } from '../shared';
import type { MessageKey } from './i18n';

// The survey form's POST body, parsed at the edge. Problems come back as catalogue keys, so the page can name
// them in the respondent's language next to the field they belong to.

export const MAX_TEXT = 5000;
export const MAX_REFERRAL_TEXT = 1000;

export interface Answer {
  score: number;
  comment: string | null;
  followUp: string | null;
}

export type AnswerField = 'score' | 'comment' | 'followUp';

export interface AnswerProblem {
  field: AnswerField;
  key: MessageKey;
  vars?: Record<string, number>;
}

/** What the form showed, to render it again after a problem (never trusted as an answer). */
export interface AnswerDraft {
  score?: number;
  comment: string;
  followUp: string;
}

/** Browsers submit line breaks as CRLF but count them as one character against maxlength. */
/** NUL characters and unpaired surrogates (no column can hold them) are stripped: the answer is kept, not refused. */
const textField = z.union([z.string(), z.undefined()]).transform((s) => storableText(s ?? '').replace(/\r\n?/g, '\n'));
const scoreField = z.union([z.string(), z.undefined()]);

export type ParsedAnswer = { ok: true; answer: Answer } | { ok: false; problems: AnswerProblem[]; draft: AnswerDraft };

export function parseAnswer(body: unknown, opts: { hasFollowUp: boolean }): ParsedAnswer {
  const form = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const problems: AnswerProblem[] = [];
  // A repeated field (comment=a&comment=b) arrives as an array: refused, never guessed at.
  const readText = (field: 'comment' | 'followUp'): string => {
    const r = textField.safeParse(form[field]);
    if (r.success) return r.data;
    problems.push({ field, key: 'error.textInvalid' });
    return '';
  };
  const comment = readText('comment');
  const followUp = opts.hasFollowUp ? readText('followUp') : '';
  const rawScore = scoreField.safeParse(form.score);
  const score = rawScore.success ? parseScore(rawScore.data) : 'invalid';
  if (score === 'missing') problems.push({ field: 'score', key: 'error.scoreMissing' });
  if (score === 'invalid') problems.push({ field: 'score', key: 'error.scoreInvalid' });
  const commentLength = [...comment].length;
  if (commentLength > MAX_TEXT)
    problems.push({ field: 'comment', key: 'error.commentTooLong', vars: { max: MAX_TEXT, count: commentLength } });
  const followUpLength = [...followUp].length;
  if (followUpLength > MAX_TEXT)
    problems.push({ field: 'followUp', key: 'error.followUpTooLong', vars: { max: MAX_TEXT, count: followUpLength } });
  if (problems.length > 0 || typeof score !== 'number') {
    return { ok: false, problems, draft: { score: typeof score === 'number' ? score : undefined, comment, followUp } };
  }
  return { ok: true, answer: { score, comment: blankToNull(comment), followUp: blankToNull(followUp) } };
}

/** A score from a query string (?score=7): only an exact 0–10 integer preselects anything. */
export function scoreFromQuery(value: unknown): number | undefined {
  const s = parseScore(value);
  return typeof s === 'number' ? s : undefined;
}

function parseScore(value: unknown): number | 'missing' | 'invalid' {
  if (value === undefined || (typeof value === 'string' && value.trim() === '')) return 'missing';
  if (typeof value !== 'string' || !/^\s*(?:[0-9]|10)\s*$/.test(value)) return 'invalid';
  return Number(value.trim());
}

function blankToNull(value: string): string | null {
  return value.trim() === '' ? null : value;
}

/** The referral form's text: stripped like the answer texts, at most 1,000 characters (count given when longer). */
export function parseReferral(
  body: unknown,
): { ok: true; value: string } | { ok: false; value: string; count?: number } {
  const form = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const r = textField.safeParse(form.referral);
  if (!r.success) return { ok: false, value: '' };
  const value = r.data.trim();
  const count = [...value].length;
  return count > MAX_REFERRAL_TEXT ? { ok: false, value, count } : { ok: true, value };
}
