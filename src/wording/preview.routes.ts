import type { Request, Response, Router } from 'express';
import { requireDashboardSession } from '../auth';
import { WORDING_KEYS, getSettings, sendPage, type AppDeps, type Assets, type Settings } from '../core';
import { scoreFromQuery, sendSurveyPage, translator } from '../surveys';
import { draftQuery, parseDraft, type Draft } from './draft';
import { previewPage } from './preview.view';
import { draftEmail, draftForm, draftWording, expiryFrom } from './render';

// The live preview (/dashboard/settings/preview): the email (HTML and text part) and the survey page rendered from
// the draft wording by the functions that render real ones. The frames come from routes of their own with a CSP
// that lets only this app frame them, allows the email's inline styles and runs no script; nothing is saved.

const PREVIEW_ID = '00000000-0000-4000-8000-000000000000';

export function previewRoutes(router: Router, deps: AppDeps, assets: Assets): void {
  const signedIn = requireDashboardSession(deps);

  router.get('/dashboard/settings/preview', signedIn, async (req, res) => {
    const settings = await getSettings(deps.db, req.portalId as number);
    const typed = WORDING_KEYS.some((k) => k in req.query);
    const draft = parseDraft(req.query, settings);
    // Opened or switched language/rule: start from the saved wording of that language.
    if (!typed) draft.wording = { ...settings.wording[draft.lang] };
    sendPreviewPage(req, res, deps, assets, settings, draft);
  });

  // The same page after "Update preview" without JavaScript (a POST so the draft never lands in a URL bar).
  router.post('/dashboard/settings/preview', signedIn, async (req, res) => {
    const settings = await getSettings(deps.db, req.portalId as number);
    sendPreviewPage(req, res, deps, assets, settings, parseDraft(req.body, settings));
  });

  router.get('/dashboard/settings/preview/email', signedIn, async (req, res) => {
    const { mail } = await previewEmail(deps, req);
    frameHeaders(res, "style-src 'unsafe-inline'; img-src https: data:");
    res.status(200).type('html').send(mail.html);
  });

  router.get('/dashboard/settings/preview/email.json', signedIn, async (req, res) => {
    const { mail } = await previewEmail(deps, req);
    res.setHeader('cache-control', 'no-store');
    res.json({ subject: mail.subject, text: mail.text, html: mail.html });
  });

  router.get('/dashboard/settings/preview/survey', signedIn, async (req, res) => {
    const settings = await getSettings(deps.db, req.portalId as number);
    const draft = parseDraft(withoutScore(req.query), settings);
    const wording = draftWording(settings, draft);
    const t = translator(draft.lang);
    const expiresAt = expiryFrom(deps.clock.now(), settings);
    sendSurveyPage(res, 200, {
      lang: draft.lang,
      title: t('survey.pageTitle', { brand: settings.brand.name }),
      brandName: settings.brand.name,
      brandColor: settings.brand.color,
      embedded: true,
      body: draftForm(draft.lang, wording, settings.brand.name, {
        token: 'preview',
        action: '#',
        score: scoreFromQuery(req.query.score),
        expiresAt,
      }),
    });
  });
}

function withoutScore(query: Request['query']): Record<string, unknown> {
  const { score: _score, ...rest } = query;
  return rest;
}

async function previewEmail(deps: AppDeps, req: Request) {
  const settings = await getSettings(deps.db, req.portalId as number);
  const draft = parseDraft(req.query, settings);
  return { draft, mail: renderPreviewEmail(deps, settings, draft) };
}

function renderPreviewEmail(deps: AppDeps, settings: Settings, draft: Draft) {
  const wording = draftWording(settings, draft);
  return draftEmail(
    deps.config,
    settings,
    draft.lang,
    wording,
    { email: 'preview@example.com' },
    {
      invitationId: PREVIEW_ID,
      scoreLink: (score) => `#score-${score}`,
      unsubscribeLink: '#unsubscribe',
      expiresAt: expiryFrom(deps.clock.now(), settings),
    },
    false,
  );
}

function sendPreviewPage(req: Request, res: Response, deps: AppDeps, assets: Assets, settings: Settings, draft: Draft) {
  const mail = renderPreviewEmail(deps, settings, draft);
  sendPage(res, {
    title: 'Preview · Settings · NPS Loop',
    styles: [assets.url('dashboard.css'), assets.url('wording-preview.css')],
    scripts: [assets.url('wording-preview.js')],
    framesFromSelf: true,
    body: previewPage({
      settings,
      draft,
      fallback: draftWording(settings, { ...draft, wording: {} }),
      query: draftQuery(draft),
      csrf: req.dashboardSession?.csrfToken ?? '',
      isAdmin: req.portalRole === 'admin',
      adminEmail: req.dashboardSession?.userEmail ?? null,
      email: { subject: mail.subject, text: mail.text },
      sent: req.query.sent === '1',
    }),
  });
}

/** Headers of a preview frame: framable by this app only, no script, no form, nothing cached. */
function frameHeaders(res: Response, allow: string): void {
  res.set({
    'content-security-policy': `default-src 'none'; ${allow}; base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  });
}
