import type { Request, Response, Router } from 'express';
import { requireAdminRole, requireDashboardSession } from '../auth';
import { createSurveyToken, getSettings, verifySurveyToken, type AppDeps, type Settings } from '../core';
import { BadRequestError, TooManyRequestsError, escapeHtml as e } from '../shared';
import {
  createMailer,
  expiredBody,
  invalidBody,
  normaliseLanguage,
  parseAnswer,
  scoreFromQuery,
  sendSurveyPage,
  thanksBody,
  translator,
  type Mailer,
  type SurveyLanguage,
} from '../surveys';
import { parseDraft } from './draft';
import { draftEmail, draftForm, draftWording, expiryFrom, TEST_NOTICE } from './render';
import {
  answerTestSurvey,
  countTestSurveysSince,
  insertTestSurvey,
  loadTestSurvey,
  type TestSurvey,
} from './test-surveys.repo';

// "Send me a test survey": a real email through the app's mailer, marked TEST, whose links lead to /s-test/<token>.
// The test and its answer live in test_surveys only; the survey page's answer path (/s/<token>, responses) never
// sees them, so insights, write-back, follow-up tasks, the quiet period and reminders cannot count them.

const TEST_EXPIRY_DAYS = 7;
/** Test sends per portal and hour: enough to try every language, too few to use the app as a mail cannon. */
const TESTS_PER_HOUR = 20;

export function testSurveyRoutes(router: Router, deps: AppDeps): void {
  let mailer: Mailer | undefined;
  const mail = () => (mailer ??= createMailer(deps.config, deps.mailTransport));

  router.post(
    '/dashboard/settings/preview/test',
    requireDashboardSession(deps),
    requireAdminRole(),
    async (req, res) => {
      const portalId = req.portalId as number;
      const settings = await getSettings(deps.db, portalId);
      const draft = parseDraft(req.body, settings);
      const to = draft.to ?? req.dashboardSession?.userEmail ?? undefined;
      if (!to)
        throw new BadRequestError(
          'invalid test survey: to: type the address to send the test to',
          undefined,
          'invalid_input',
        );
      const now = deps.clock.now();
      if ((await countTestSurveysSince(deps.db, portalId, new Date(now.getTime() - 3_600_000))) >= TESTS_PER_HOUR)
        throw new TooManyRequestsError(
          `at most ${TESTS_PER_HOUR} test surveys an hour: try again later`,
          600,
          'too_many_test_surveys',
        );
      const wording = draftWording(settings, draft);
      const expiresAt = new Date(
        Math.min(expiryFrom(now, settings).getTime(), now.getTime() + TEST_EXPIRY_DAYS * 86_400_000),
      );
      const id = await insertTestSurvey(deps.db, {
        portalId,
        sentTo: to,
        sentBy: req.dashboardSession?.userLabel ?? 'admin',
        language: draft.lang,
        wording,
        expiresAt,
        now,
      });
      const token = createSurveyToken(deps.config.surveySigningKey, { portalId, invitationId: id, expiresAt });
      const base = `${deps.config.publicBaseUrl}/s-test/${token}`;
      const message = draftEmail(
        deps.config,
        settings,
        draft.lang,
        wording,
        { email: to },
        {
          invitationId: id,
          scoreLink: (score) => `${base}?score=${score}`,
          unsubscribeLink: base,
          expiresAt,
        },
        true,
      );
      await mail().send(message, now);
      req.log?.info({ portalId, testSurveyId: id }, 'test survey sent');
      if (req.accepts(['html', 'json']) === 'json') return void res.status(201).json({ id, to });
      const back = new URLSearchParams({ lang: draft.lang, sent: '1' });
      if (draft.ruleId) back.set('rule', draft.ruleId);
      res.redirect(303, `/dashboard/settings/preview?${back.toString()}`);
    },
  );

  router.get('/s-test/:token', async (req, res) => {
    const r = await resolve(deps, req);
    if (r.kind !== 'open') return sendClosed(res, r);
    const score = scoreFromQuery(req.query.score) ?? r.test.answer?.score;
    const typed = { comment: r.test.answer?.comment ?? '', followUp: r.test.answer?.followUp ?? '' };
    sendForm(res, 200, r, String(req.params.token), score, typed, []);
  });

  router.post('/s-test/:token', async (req, res) => {
    const token = String(req.params.token);
    const r = await resolve(deps, req);
    if (r.kind !== 'open') return sendClosed(res, r);
    const parsed = parseAnswer(req.body, { hasFollowUp: Boolean(r.test.wording.followUpQuestion) });
    if (!parsed.ok) return sendForm(res, 400, r, token, parsed.draft.score, parsed.draft, parsed.problems);
    if (!(await answerTestSurvey(deps.db, r.test.portalId, r.test.id, parsed.answer, deps.clock.now())))
      return sendClosed(res, { kind: 'expired', settings: r.settings, lang: r.lang });
    res.redirect(303, `/s-test/${encodeURIComponent(token)}/thanks`);
  });

  router.get('/s-test/:token/thanks', async (req, res) => {
    const r = await resolve(deps, req);
    if (r.kind !== 'open') return sendClosed(res, r);
    const token = String(req.params.token);
    const t = translator(r.lang);
    sendSurveyPage(res, 200, {
      ...frame(r.settings, r.lang, t('thanks.pageTitle', { brand: r.settings.brand.name })),
      body:
        banner() +
        thanksBody(r.lang, t, token, r.test.expiresAt, {
          body: r.test.wording.thankYou,
          surveyPath: `/s-test/${token}`,
        }),
    });
  });
}

type Resolved =
  | { kind: 'open'; test: TestSurvey; settings: Settings; lang: SurveyLanguage }
  | { kind: 'expired'; settings: Settings; lang: SurveyLanguage }
  | { kind: 'invalid'; lang: SurveyLanguage };

async function resolve(deps: AppDeps, req: Request): Promise<Resolved> {
  const now = deps.clock.now();
  const check = verifySurveyToken(deps.config.surveySigningKey, String(req.params.token ?? ''), now);
  if (!check.ok && check.reason !== 'expired') return { kind: 'invalid', lang: 'en' };
  const test = await loadTestSurvey(deps.db, check.payload.portalId, check.payload.invitationId);
  if (!test) return { kind: 'invalid', lang: 'en' };
  const settings = await getSettings(deps.db, test.portalId);
  const lang = normaliseLanguage(test.language);
  if (!check.ok || test.expiresAt.getTime() <= now.getTime()) return { kind: 'expired', settings, lang };
  return { kind: 'open', test, settings, lang };
}

function frame(settings: Settings | undefined, lang: SurveyLanguage, title: string) {
  return { lang, title, brandName: settings?.brand.name ?? 'NPS Loop', brandColor: settings?.brand.color ?? '#1f5fbf' };
}

function banner(): string {
  return `<p class="notice" role="note">${e(TEST_NOTICE)}</p>\n`;
}

function sendClosed(res: Response, r: Exclude<Resolved, { kind: 'open' }>): void {
  const t = translator(r.lang);
  if (r.kind === 'invalid')
    return sendSurveyPage(res, 404, { ...frame(undefined, r.lang, t('invalid.pageTitle')), body: invalidBody(t) });
  sendSurveyPage(res, 410, { ...frame(r.settings, r.lang, t('expired.pageTitle')), body: banner() + expiredBody(t) });
}

function sendForm(
  res: Response,
  status: number,
  r: Resolved & { kind: 'open' },
  token: string,
  score: number | undefined,
  typed: { comment: string; followUp: string },
  problems: Parameters<typeof draftForm>[4],
): void {
  const t = translator(r.lang);
  sendSurveyPage(res, status, {
    ...frame(r.settings, r.lang, t('survey.pageTitle', { brand: r.settings.brand.name })),
    body:
      banner() +
      draftForm(
        r.lang,
        r.test.wording,
        r.settings.brand.name,
        { token, action: `/s-test/${token}`, score, expiresAt: r.test.expiresAt, answered: r.test.answer !== null },
        problems,
        typed,
      ),
  });
}
