import { z } from 'zod';
import { LANGUAGES, WORDING_KEYS, type LanguageWording, type Settings } from '../core';
import { parseInput } from '../shared';
import type { SurveyLanguage } from '../surveys';

// The preview's draft, from a query string (frames, live updates) or a form body (no JavaScript, test sends):
// the language, the trigger rule, and the wording being edited. Nothing here is saved.

const MAX: Record<(typeof WORDING_KEYS)[number], number> = {
  question: 300,
  reasonQuestion: 300,
  emailSubject: 200,
  emailIntro: 1000,
  thankYou: 1000,
};

const draftText = (max: number) =>
  z
    .string()
    .max(max, `at most ${max} characters`)
    .optional()
    .transform((s) => s?.trim() || undefined);

const draftSchema = z.object({
  lang: z.enum(LANGUAGES, { error: `use one of ${LANGUAGES.join(', ')}` }).optional(),
  rule: z
    .string()
    .max(64)
    .regex(/^[a-z0-9_-]*$/, 'not a trigger rule id')
    .optional(),
  question: draftText(MAX.question),
  reasonQuestion: draftText(MAX.reasonQuestion),
  emailSubject: draftText(MAX.emailSubject),
  emailIntro: draftText(MAX.emailIntro),
  thankYou: draftText(MAX.thankYou),
  to: z.union([z.literal(''), z.email({ error: 'not an email address' })]).optional(),
});

export interface Draft {
  lang: SurveyLanguage;
  ruleId: string | null;
  wording: LanguageWording;
  to?: string;
}

/** Parses a draft; a bad field is a 400 naming it. An unknown rule id is refused too (the rule must exist). */
export function parseDraft(input: unknown, settings: Settings): Draft {
  const d = parseInput(draftSchema, input ?? {}, 'preview');
  if (d.rule && !settings.triggers.some((r) => r.id === d.rule))
    parseInput(z.object({ rule: z.never({ error: 'no trigger rule with this id' }) }), { rule: d.rule }, 'preview');
  const wording: LanguageWording = {};
  for (const key of WORDING_KEYS) if (d[key]) wording[key] = d[key];
  return { lang: d.lang ?? settings.defaultLanguage, ruleId: d.rule || null, wording, to: d.to || undefined };
}

/** The draft as a query string, for the frames' addresses. */
export function draftQuery(draft: Draft): string {
  const q = new URLSearchParams({ lang: draft.lang });
  if (draft.ruleId) q.set('rule', draft.ruleId);
  for (const key of WORDING_KEYS) {
    const value = draft.wording[key];
    if (value) q.set(key, value);
  }
  return q.toString();
}
