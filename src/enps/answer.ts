import type { AppDeps } from '../core';
import { getSettings } from '../core';
import { isStorableText } from '../shared';
import type { Queryable } from '../storage';
import { answerKey, invitationHash, looksLikeToken } from './enps.tokens';
import { coarsenBands, dayOf, effectiveThreshold } from './enps.rules';
import {
  bandsOfInvitation,
  hasAnswer,
  inviteeBands,
  linkTarget,
  lockInvitation,
  markAnswered,
  upsertAnswer,
  type LinkTarget,
} from './answers.repo';
import { MAX_TEXT, type EnpsDraft, type EnpsProblem } from './survey.view';
import type { EnpsTranslate } from './enps.i18n';

// Recording an employee's answer. The answer row gets the wave, the score, the texts, the day, and bands coarsened
// so every stored combination stands for at least k invited people; the invitation gets only "answered". The same
// link again replaces the answer (found by the answer key, a different hash of the token), adding no row.

export type LinkState =
  { kind: 'open'; target: LinkTarget; answered: boolean } | { kind: 'closed' | 'used-other' | 'not-found' };

/** What a link can do now (a GET: nothing is recorded). */
export async function linkState(deps: AppDeps, token: string): Promise<LinkState> {
  if (!looksLikeToken(token)) return { kind: 'not-found' };
  const target = await linkTarget(deps.db, invitationHash(token));
  return stateOf(deps.db, deps.clock.now(), token, target);
}

async function stateOf(db: Queryable, now: Date, token: string, target: LinkTarget | undefined): Promise<LinkState> {
  if (!target) return { kind: 'not-found' };
  if (target.status !== 'open' || !target.invitationId || target.closesOn <= dayOf(now)) return { kind: 'closed' };
  const answered = await hasAnswer(db, answerKey(token));
  if (!answered && target.answered) return { kind: 'used-other' };
  return { kind: 'open', target, answered };
}

export type ParsedAnswer = { ok: true; score: number; why: string | null; custom: [string | null, string | null] };

export function parseEnpsForm(
  body: unknown,
  t: EnpsTranslate,
): { draft: EnpsDraft; answer?: ParsedAnswer; problems: EnpsProblem[] } {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const text = (name: string) => (typeof b[name] === 'string' ? (b[name] as string) : '');
  const raw = text('score').trim();
  const score = /^(10|[0-9])$/.test(raw) ? Number(raw) : undefined;
  const draft: EnpsDraft = { score, why: text('why'), custom: [text('custom1'), text('custom2')] };
  const problems: EnpsProblem[] = [];
  if (score === undefined) problems.push({ field: 'score', message: t('scoreRequired') });
  const fields = [
    ['why', draft.why],
    ['custom1', draft.custom[0]],
    ['custom2', draft.custom[1]],
  ] as const;
  for (const [field, value] of fields)
    if (value.length > MAX_TEXT || !isStorableText(value)) problems.push({ field, message: t('tooLong') });
  if (problems.length > 0 || score === undefined) return { draft, problems };
  const clean = (v: string) => v.trim() || null;
  return {
    draft,
    problems,
    answer: { ok: true, score, why: clean(draft.why), custom: [clean(draft.custom[0]), clean(draft.custom[1])] },
  };
}

/** Records (or replaces) an answer; the link's state when it could not be recorded. */
export async function recordEnpsAnswer(
  deps: AppDeps,
  token: string,
  answer: ParsedAnswer,
): Promise<{ kind: 'recorded' } | { kind: 'replaced' } | Exclude<LinkState, { kind: 'open' }>> {
  if (!looksLikeToken(token)) return { kind: 'not-found' };
  return deps.db.transaction(async (tx) => {
    const hash = invitationHash(token);
    const first = await linkTarget(tx, hash, true);
    if (first?.invitationId) await lockInvitation(tx, first.invitationId);
    // Read again under the lock: the person's other link may have answered meanwhile.
    const target = first?.invitationId ? await linkTarget(tx, hash) : first;
    const state = await stateOf(tx, deps.clock.now(), token, target);
    if (state.kind !== 'open') return state;
    const { portalId, waveId, invitationId, questions } = state.target;
    const settings = await getSettings(tx, portalId);
    const own = await bandsOfInvitation(tx, invitationId!);
    if (!own) return { kind: 'closed' as const };
    const bands = coarsenBands(own, await inviteeBands(tx, waveId), effectiveThreshold(settings.enps.minGroupSize));
    const replaced = await upsertAnswer(tx, {
      portalId,
      waveId,
      key: answerKey(token),
      score: answer.score,
      why: answer.why,
      custom: [questions[0] ? answer.custom[0] : null, questions[1] ? answer.custom[1] : null],
      bands,
      day: dayOf(deps.clock.now()),
    });
    await markAnswered(tx, invitationId!);
    return { kind: replaced ? ('replaced' as const) : ('recorded' as const) };
  });
}
