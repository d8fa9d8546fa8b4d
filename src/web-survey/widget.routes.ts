import type { Request, RequestHandler, Response, Router } from 'express';
import type { AppDeps, Settings } from '../core';
import { BadRequestError, ForbiddenError, TooManyRequestsError, refuseUnsafeText } from '../shared';
import { identityKey, readIdentity, verifyIdentity, type ClaimedIdentity } from './identity';
import { createRateLimiter } from './rate-limit';
import { dismissWidget, recordWidgetAnswer, whatIsDue } from './service';
import { createPortalConfigReader } from './portal-config';
import { createVisitRecorder } from './visits';

// The widget's API: POST /widget/v1/:portalId/{due,answer,dismiss} with the host's signed identity in the JSON
// body. Only origins the portal lists get CORS headers (and an answer at all): a request from anywhere else, for
// an unknown portal, or without an Origin is refused with the same 403, so the API tells nothing about portals.
// Requests are counted per portal and per claimed identity before the identity is checked, so forging is
// throttled too.

const ACTIONS = ['due', 'answer', 'dismiss'] as const;
const PORTAL_ID = /^\d{1,15}$/;
const WINDOW_MS = 60_000;
/** A page view asks once; an answer and a dismissal add one each. 30 a minute leaves room for busy tabs. */
const PER_IDENTITY = 30;
/** Far above the benchmark's 200 requests a second for one portal; stops a runaway host. */
const PER_PORTAL = 30_000;

interface WidgetRequest {
  portalId: number;
  settings: Settings;
  secret: string | null;
}

export function registerWidgetRoutes(router: Router, deps: AppDeps): void {
  const perIdentity = createRateLimiter(PER_IDENTITY, WINDOW_MS);
  const perPortal = createRateLimiter(PER_PORTAL, WINDOW_MS);
  const portalConfig = createPortalConfigReader(deps);
  const visits = createVisitRecorder(deps);

  /** Resolves the portal and checks the Origin against its list; sets the CORS headers when it is listed. */
  async function allowedOrigin(req: Request, res: Response): Promise<WidgetRequest> {
    res.setHeader('cache-control', 'no-store');
    res.setHeader('vary', 'Origin');
    const raw = String(req.params.portalId ?? '');
    const origin = req.get('origin');
    const portalId = PORTAL_ID.test(raw) ? Number(raw) : NaN;
    const config = origin && Number.isFinite(portalId) ? await portalConfig(portalId) : null;
    if (!origin || !config || !config.settings.webSurvey.allowedOrigins.includes(origin))
      throw new ForbiddenError('this origin may not use the web survey', 'origin_not_allowed');
    res.setHeader('access-control-allow-origin', origin);
    return { portalId, ...config };
  }

  const preflight: RequestHandler = async (req, res) => {
    await allowedOrigin(req, res);
    res.setHeader('access-control-allow-methods', 'POST');
    res.setHeader('access-control-allow-headers', 'content-type');
    res.setHeader('access-control-max-age', '600');
    res.status(204).end();
  };

  async function verified(req: Request, w: WidgetRequest): Promise<ClaimedIdentity> {
    const nowMs = deps.clock.now().getTime();
    if (!perPortal.take(String(w.portalId), nowMs))
      throw new TooManyRequestsError(
        'too many web survey requests',
        perPortal.retryAfterSeconds(nowMs),
        'rate_limited',
      );
    const body: unknown = req.body ?? {};
    refuseUnsafeText(body, 'widget request', 'invalid_input');
    const claimed = readIdentity(body);
    if (!claimed)
      throw new BadRequestError(
        'invalid widget request: give email or hubspotContactId, and userHash (hex HMAC-SHA256)',
        undefined,
        'invalid_identity',
      );
    if (!perIdentity.take(identityKey(w.portalId, claimed), nowMs))
      throw new TooManyRequestsError(
        'too many web survey requests',
        perIdentity.retryAfterSeconds(nowMs),
        'rate_limited',
      );
    if (!w.secret || !verifyIdentity(w.secret, claimed))
      throw new ForbiddenError('the identity is not signed with this portal’s secret', 'identity_not_verified');
    return claimed;
  }

  for (const action of ACTIONS) {
    const path = `/widget/v1/:portalId/${action}`;
    router.options(path, preflight);
    router.post(path, async (req, res) => {
      const w = await allowedOrigin(req, res);
      const claimed = await verified(req, w);
      const body = req.body as Record<string, unknown>;
      if (action === 'due') {
        const { answer, contactId } = await whatIsDue(deps, w.portalId, w.settings, claimed.identity);
        res.json(answer);
        if (contactId) visits.record(w.portalId, contactId, deps.clock.now());
        return;
      }
      if (action === 'answer') return void res.json(await recordWidgetAnswer(deps, w.portalId, claimed.identity, body));
      res.json(await dismissWidget(deps, w.portalId, w.settings, claimed.identity, body));
    });
  }
}
