import type { Request, Response, Router } from 'express';
import type { AppDeps } from '../core';
import { recordSurveyAnswer } from '../responses';
import { getSettings } from '../core';
import { defaultSettings, type Settings } from '../core';
import { parseAnswer, scoreFromQuery, type Answer, type AnswerDraft, type AnswerProblem } from './answer';
import { languageFromAcceptHeader, normaliseLanguage, translator, type SurveyLanguage, type Translate } from './i18n';
import { verifySurveyToken } from '../core';
import { sendPage } from './page-layout.view';
import { loadSurveyView, optOutContact, type SurveyView } from './page.repo';
import {
  expiredBody,
  invalidBody,
  thanksBody,
  unsubscribeBody,
  unsubscribedBody,
  unsubscribeFooter,
} from './status-pages.view';
import { renderSurveyForm } from './survey-form.view';
import { resolveWording } from './wording';
import { thankYouExtras } from './thank-you.view';
import { thankYouEmailOutbox } from './thank-you-email';
import { MAX_REFERRAL_TEXT, parseReferral } from './answer';
import { categoryOf } from '../core';
import { referralFor, reviewLinkPath, reviewSitesOf, saveReferral } from '../reviews';

// The survey page. A GET never records anything (mail security scanners open every link); only the POST of the
// form, a human action, does. A respondent may change the answer until the link expires.

type Resolved =
  | { kind: 'open'; view: SurveyView; expiresAt: Date; lang: SurveyLanguage; t: Translate }
  | { kind: 'expired'; view: SurveyView; lang: SurveyLanguage; t: Translate }
  | { kind: 'invalid'; status: 400 | 404; settings: Settings; lang: SurveyLanguage; t: Translate };

export function surveyPageRoutes(router: Router, deps: AppDeps): void {
  // A link cut off before its token.
  router.all('/s', async (req, res) => sendInvalid(res, await invalid(deps, req, 400)));

  router.get('/s/:token', async (req, res) => {
    const r = await resolve(deps, req);
    if (r.kind !== 'open') return sendClosed(res, r);
    const current = r.view.current;
    const draft: AnswerDraft = {
      score: scoreFromQuery(req.query.score) ?? current?.score,
      comment: current?.comment ?? '',
      followUp: current?.followUp ?? '',
    };
    sendForm(res, 200, r, req.params.token as string, draft, []);
  });

  router.post('/s/:token', async (req, res) => {
    const token = req.params.token as string;
    const thanks = () => res.redirect(303, `/s/${encodeURIComponent(token)}/thanks`);
    // A first answer gets a thank-you email when the portal has it on (a changed answer gets none), marked in the
    // same statement as the answer.
    const record = (portalId: number, invitationId: string, answer: Answer) =>
      recordSurveyAnswer(deps, {
        portalId,
        invitationId,
        score: answer.score,
        comment: answer.comment,
        followUpAnswer: answer.followUp,
        thankYouEmailKind: thankYouEmailOutbox.kind,
      });
    // The usual answer in one round trip: a good link and a well-formed form are recorded if the survey is still
    // open. Anything else (a problem to show, a closed or broken link) takes the full path, which explains itself.
    const check = verifySurveyToken(deps.config.surveySigningKey, token, deps.clock.now());
    const form = check.ok ? parseAnswer(req.body, { hasFollowUp: true }) : undefined;
    if (check.ok && form?.ok && (await record(check.payload.portalId, check.payload.invitationId, form.answer)))
      return thanks();
    const r = await resolve(deps, req);
    if (r.kind !== 'open') return sendClosed(res, r);
    const parsed = parseAnswer(req.body, { hasFollowUp: Boolean(r.view.followUpQuestion) });
    if (!parsed.ok) return sendForm(res, 400, r, token, parsed.draft, parsed.problems);
    // Closed between reading the survey and writing the answer: as good as expired.
    if (!(await record(r.view.portalId, r.view.id, parsed.answer)))
      return sendClosed(res, { kind: 'expired', view: r.view, lang: r.lang, t: r.t });
    thanks();
  });

  router.get('/s/:token/thanks', async (req, res) => {
    const r = await resolve(deps, req);
    if (r.kind !== 'open') return sendClosed(res, r);
    await sendThanks(deps, res, r, req.params.token as string, { saved: req.query.referral === 'saved' });
  });

  // The referral question on the promoter thank-you page ("Who else should know about us?").
  router.post('/s/:token/referral', async (req, res) => {
    const token = req.params.token as string;
    const r = await resolve(deps, req);
    if (r.kind !== 'open') return sendClosed(res, r);
    const parsed = parseReferral(req.body);
    if (!parsed.ok)
      return sendThanks(deps, res, r, token, {
        status: 400,
        value: parsed.value,
        problem:
          parsed.count === undefined
            ? r.t('error.textInvalid')
            : r.t('thanks.referral.tooLong', { max: MAX_REFERRAL_TEXT, count: parsed.count }),
      });
    // Only a promoter is asked, and only while the question is on; anything else is ignored, not stored.
    const asked =
      r.view.settings.thankYou.referralQuestion && r.view.current && categoryOf(r.view.current.score) === 'promoter';
    const saved =
      Boolean(asked && parsed.value) &&
      (await saveReferral(deps.db, r.view.portalId, r.view.id, parsed.value, deps.clock.now()));
    res.redirect(303, `/s/${encodeURIComponent(token)}/thanks${saved ? '?referral=saved' : ''}`);
  });

  // Unsubscribing works with an expired link too: an old email's unsubscribe link must keep working.
  router.get('/s/:token/unsubscribe', async (req, res) => {
    const r = await resolve(deps, req);
    if (r.kind === 'invalid') return sendInvalid(res, r);
    const brand = r.view.settings.brand.name;
    sendPage(res, 200, {
      ...frame(r.view.settings, r.lang, r.t('unsubscribe.pageTitle')),
      body: unsubscribeBody(r.t, req.params.token as string, brand),
    });
  });

  // Also the RFC 8058 one-click target (body "List-Unsubscribe=One-Click"), so it asks nothing more.
  router.post('/s/:token/unsubscribe', async (req, res) => {
    const r = await resolve(deps, req);
    if (r.kind === 'invalid') return sendInvalid(res, r);
    await optOutContact(deps.db, r.view.portalId, r.view.contactId, r.view.id, deps.clock.now());
    req.log?.info({ portalId: r.view.portalId, invitationId: r.view.id }, 'contact unsubscribed from surveys');
    const brand = r.view.settings.brand.name;
    sendPage(res, 200, {
      ...frame(r.view.settings, r.lang, r.t('unsubscribe.pageTitle')),
      body: unsubscribedBody(r.t, brand),
    });
  });
}

async function resolve(deps: AppDeps, req: Request): Promise<Resolved> {
  const now = deps.clock.now();
  const check = verifySurveyToken(deps.config.surveySigningKey, String(req.params.token ?? ''), now);
  if (!check.ok && check.reason !== 'expired') return invalid(deps, req, 404);
  const view = await loadSurveyView(deps.db, check.payload.portalId, check.payload.invitationId);
  // A signed link to an invitation that no longer exists (erased on a privacy request) is just a broken link.
  if (!view || view.status === 'scheduled' || view.status === 'skipped') return invalid(deps, req, 404);
  const lang = normaliseLanguage(view.language ?? view.contactLanguage, view.settings.defaultLanguage);
  const t = translator(lang);
  // The earlier of the token's and the invitation's expiry counts: either one passing closes the survey.
  const expiresAt = new Date(Math.min(check.payload.expiresAt.getTime(), view.expiresAt?.getTime() ?? Infinity));
  if (!check.ok || view.status === 'expired' || expiresAt.getTime() <= now.getTime())
    return { kind: 'expired', view, lang, t };
  return { kind: 'open', view, expiresAt, lang, t };
}

async function invalid(deps: AppDeps, req: Request, status: 400 | 404): Promise<Resolved & { kind: 'invalid' }> {
  // Without a trustworthy invitation: the single portal's brand if there is one, the browser's language.
  const portal = deps.config.hubspot.staticPortal;
  const settings = portal ? await getSettings(deps.db, portal.portalId) : defaultSettings();
  const lang = languageFromAcceptHeader(req.get('accept-language'));
  return { kind: 'invalid', status, settings, lang, t: translator(lang) };
}

function wordingOf(view: SurveyView, lang: SurveyLanguage) {
  return resolveWording({ settings: view.settings, lang, ruleId: view.ruleId, invitation: view });
}

/** The thank-you page: the worded text, then what happens next for the answer's category and the promoter asks. */
async function sendThanks(
  deps: AppDeps,
  res: Response,
  r: Resolved & { kind: 'open' },
  token: string,
  referral: { status?: number; saved?: boolean; value?: string; problem?: string },
): Promise<void> {
  const { settings } = r.view;
  const brand = settings.brand.name;
  const category = r.view.current ? categoryOf(r.view.current.score) : null;
  const asksReferral = category === 'promoter' && settings.thankYou.referralQuestion;
  const given =
    asksReferral && referral.value === undefined ? await referralFor(deps.db, r.view.portalId, r.view.id) : null;
  const extras = thankYouExtras({
    t: r.t,
    brand,
    category,
    reviewLinks: reviewSitesOf(settings).map((s, i) => ({ name: s.name, href: reviewLinkPath(token, i) })),
    referral: asksReferral
      ? {
          action: `/s/${token}/referral`,
          value: referral.value ?? given ?? '',
          saved: Boolean(referral.saved),
          problem: referral.problem,
        }
      : undefined,
  });
  sendPage(res, referral.status ?? 200, {
    ...frame(settings, r.lang, r.t('thanks.pageTitle', { brand })),
    body: thanksBody(r.lang, r.t, token, r.expiresAt, { body: wordingOf(r.view, r.lang).thankYou, extras }),
  });
}

function frame(settings: Settings, lang: SurveyLanguage, title: string) {
  return { lang, title, brandName: settings.brand.name, brandColor: settings.brand.color };
}

function sendInvalid(res: Response, r: Resolved & { kind: 'invalid' }): void {
  sendPage(res, r.status, { ...frame(r.settings, r.lang, r.t('invalid.pageTitle')), body: invalidBody(r.t) });
}

function sendClosed(res: Response, r: Exclude<Resolved, { kind: 'open' }>): void {
  if (r.kind === 'invalid') return sendInvalid(res, r);
  sendPage(res, 410, { ...frame(r.view.settings, r.lang, r.t('expired.pageTitle')), body: expiredBody(r.t) });
}

function sendForm(
  res: Response,
  status: number,
  r: Resolved & { kind: 'open' },
  token: string,
  draft: AnswerDraft,
  problems: AnswerProblem[],
): void {
  const { settings } = r.view;
  const wording = wordingOf(r.view, r.lang);
  sendPage(res, status, {
    ...frame(settings, r.lang, r.t('survey.pageTitle', { brand: settings.brand.name })),
    body: renderSurveyForm({
      lang: r.lang,
      t: r.t,
      token,
      brandName: settings.brand.name,
      question: wording.question,
      reasonQuestion: wording.reasonQuestion,
      followUpQuestion: wording.followUpQuestion,
      draft,
      answered: r.view.current !== null,
      expiresAt: r.expiresAt,
      problems,
    }),
    footer: unsubscribeFooter(r.t, token),
  });
}
