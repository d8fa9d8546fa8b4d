import type { Response, Router } from 'express';
import type { AppDeps, Settings } from '../core';
import { defaultSettings, getSettings } from '../core';
import { normaliseLanguage, sendSurveyPage, type SurveyLanguage } from '../surveys';
import { linkState, parseEnpsForm, recordEnpsAnswer, type LinkState } from './answer';
import { enpsTranslator, type EnpsTranslate } from './enps.i18n';
import { effectiveThreshold } from './enps.rules';
import { questionFor, whyQuestionFor } from './mail';
import { messageBody, renderEnpsForm, type EnpsDraft, type EnpsProblem } from './survey.view';

// The employee's survey page, /e/:token. A GET never records (mail scanners open links); the form's POST does.
// A link that never existed is a 404; a closed wave, or a link whose person already answered through their other
// link, a 410. None of these pages say anything about anyone.

export function enpsSurveyRoutes(router: Router, deps: AppDeps): void {
  router.get('/e/:token', async (req, res) => {
    const token = req.params.token as string;
    const state = await linkState(deps, token);
    if (state.kind !== 'open') return sendState(res, state);
    const page = await pageFor(deps, state);
    const draft: EnpsDraft = { score: scoreFromQuery(req.query.score), why: '', custom: ['', ''] };
    sendForm(res, 200, page, token, draft, state.answered, []);
  });

  router.post('/e/:token', async (req, res) => {
    const token = req.params.token as string;
    const state = await linkState(deps, token);
    if (state.kind !== 'open') return sendState(res, state);
    const page = await pageFor(deps, state);
    const parsed = parseEnpsForm(req.body, page.t);
    if (!parsed.answer) return sendForm(res, 400, page, token, parsed.draft, state.answered, parsed.problems);
    const outcome = await recordEnpsAnswer(deps, token, parsed.answer);
    if (outcome.kind === 'recorded' || outcome.kind === 'replaced')
      return res.redirect(303, `/e/${encodeURIComponent(token)}/thanks`);
    sendState(res, outcome);
  });

  router.get('/e/:token/thanks', async (req, res) => {
    const state = await linkState(deps, req.params.token as string);
    if (state.kind !== 'open') return sendState(res, state);
    const page = await pageFor(deps, state);
    sendSurveyPage(res, 200, {
      ...frame(page),
      title: page.t('thanksTitle'),
      body: messageBody(page.t('thanksTitle'), page.t('thanks', { date: state.target.closesOn })),
    });
  });
}

interface PageContext {
  settings: Settings;
  lang: SurveyLanguage;
  t: EnpsTranslate;
  questions: string[];
}

async function pageFor(deps: AppDeps, state: Extract<LinkState, { kind: 'open' }>): Promise<PageContext> {
  const settings = await getSettings(deps.db, state.target.portalId);
  const lang = normaliseLanguage(state.target.language, settings.defaultLanguage);
  return { settings, lang, t: enpsTranslator(lang), questions: state.target.questions };
}

function frame(page: PageContext) {
  return { lang: page.lang, brandName: page.settings.brand.name, brandColor: page.settings.brand.color };
}

function sendForm(
  res: Response,
  status: number,
  page: PageContext,
  token: string,
  draft: EnpsDraft,
  answered: boolean,
  problems: EnpsProblem[],
): void {
  const question = questionFor(page.settings, page.lang);
  sendSurveyPage(res, status, {
    ...frame(page),
    title: question,
    body: renderEnpsForm({
      t: page.t,
      token,
      question,
      whyQuestion: whyQuestionFor(page.settings, page.lang),
      customQuestions: page.questions,
      draft,
      answered,
      threshold: effectiveThreshold(page.settings.enps.minGroupSize),
      problems,
    }),
  });
}

/** A link that cannot take an answer: said plainly, in English (the link no longer tells us the person's language). */
function sendState(res: Response, state: Exclude<LinkState, { kind: 'open' }>): void {
  const t = enpsTranslator('en');
  const settings = defaultSettings();
  const [status, title, text] =
    state.kind === 'not-found'
      ? [404, t('notFoundTitle'), t('notFound')]
      : state.kind === 'closed'
        ? [410, t('goneTitle'), t('gone')]
        : [410, t('usedOtherTitle'), t('usedOther')];
  sendSurveyPage(res, status, {
    lang: 'en',
    brandName: settings.brand.name,
    brandColor: settings.brand.color,
    title,
    body: messageBody(title, text),
  });
}

function scoreFromQuery(value: unknown): number | undefined {
  return typeof value === 'string' && /^(10|[0-9])$/.test(value) ? Number(value) : undefined;
}
