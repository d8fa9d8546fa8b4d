import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { sendPage, type AppDeps, type Assets } from '../core';
import { requireAdmin, requireAdminRole, requireDashboardSession } from '../auth';
import { BadRequestError, ConflictError, NotFoundError, describeIssues, refuseUnsafeText } from '../shared';
import { excludeAnswer, exclusionEvents, findAnswer, includeAnswer, listExcluded } from './exclusions.repo';
import { excludeFormBody, excludedListBody } from './exclusions.view';

// Excluding an answer from the dashboard (and back): signed-in admins only, CSRF-protected like every dashboard
// write, never reachable from a survey link. A form post answers with a redirect to the list, a JSON call with
// the outcome. An answer of another portal is "not found", like one that never existed, and nothing about it is
// returned.

const reasonSchema = z.object({
  reason: z
    .string({ error: 'say why (required)' })
    .trim()
    .min(1, 'say why (required)')
    .max(500, 'at most 500 characters'),
});
const includeSchema = z.object({ reason: z.string().trim().max(500, 'at most 500 characters').optional() });

const NOT_FOUND = 'no such answer';

export function exclusionRoutes(router: Router, deps: AppDeps, assets: Assets): void {
  const page = [requireDashboardSession(deps), requireAdminRole()];
  const write = [requireAdmin(deps), requireAdminRole()];
  const frame = (title: string, body: string, status = 200) => ({
    title: `${title} · NPS Loop`,
    styles: [assets.url('dashboard.css')],
    body,
    status,
  });

  router.get('/dashboard/answers/excluded', ...page, async (req, res) => {
    const portalId = req.portalId as number;
    const [excluded, events] = await Promise.all([
      listExcluded(deps.db, portalId, 200),
      exclusionEvents(deps.db, portalId, 200),
    ]);
    sendPage(res, frame('Excluded answers', excludedListBody(excluded, events, csrfOf(req))));
  });

  router.get('/dashboard/answers/:id/exclude', ...page, async (req, res) => {
    const answer = await findAnswer(deps.db, req.portalId as number, String(req.params.id));
    if (!answer) throw new NotFoundError(NOT_FOUND, 'answer_not_found');
    sendPage(res, frame('Exclude an answer', excludeFormBody(answer, csrfOf(req))));
  });

  router.post('/dashboard/answers/:id/exclude', ...write, async (req, res) => {
    const portalId = req.portalId as number;
    const id = String(req.params.id);
    const parsed = reasonSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const message = `invalid exclusion: ${describeIssues(parsed.error.issues)}`;
      const answer = await findAnswer(deps.db, portalId, id);
      if (!answer) throw new NotFoundError(NOT_FOUND, 'answer_not_found');
      if (!isForm(req)) throw new BadRequestError(message, undefined, 'invalid_input');
      return sendPage(res, frame('Exclude an answer', excludeFormBody(answer, csrfOf(req), message), 400));
    }
    refuseUnsafeText(parsed.data, 'exclusion');
    const outcome = await excludeAnswer(deps.db, who(deps, req, parsed.data.reason), id);
    if (outcome === 'not_found') throw new NotFoundError(NOT_FOUND, 'answer_not_found');
    if (outcome === 'already_excluded') throw new ConflictError('the answer is already excluded', 'already_excluded');
    req.log?.info({ portalId, responseId: id }, 'answer excluded');
    done(req, res, { responseId: id, excluded: true });
  });

  router.post('/dashboard/answers/:id/include', ...write, async (req, res) => {
    const portalId = req.portalId as number;
    const id = String(req.params.id);
    const parsed = includeSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw new BadRequestError(`invalid inclusion: ${describeIssues(parsed.error.issues)}`);
    refuseUnsafeText(parsed.data, 'inclusion');
    const outcome = await includeAnswer(deps.db, who(deps, req, parsed.data.reason ?? ''), id);
    if (outcome === 'not_found') throw new NotFoundError(NOT_FOUND, 'answer_not_found');
    if (outcome === 'not_excluded') throw new ConflictError('the answer is not excluded', 'not_excluded');
    if (outcome === 'replaced')
      throw new ConflictError(
        'the respondent answered the same survey again since, and the newer answer counts; this one stays excluded',
        'answer_replaced',
      );
    req.log?.info({ portalId, responseId: id }, 'answer included again');
    done(req, res, { responseId: id, excluded: false });
  });
}

function isForm(req: Request): boolean {
  return Boolean(req.is('application/x-www-form-urlencoded'));
}

function done(req: Request, res: Response, body: { responseId: string; excluded: boolean }): void {
  if (isForm(req)) return void res.redirect(303, `/dashboard/answers/excluded`);
  res.json(body);
}

function csrfOf(req: Request): string {
  return req.dashboardSession?.csrfToken ?? '';
}

/** Who acted, for the audit trail: the signed-in user, or the admin token of single-portal mode. */
function who(deps: AppDeps, req: Request, reason: string) {
  const s = req.dashboardSession;
  const actor = s ? (s.userEmail ? `${s.userLabel} <${s.userEmail}>` : s.userLabel) : 'admin token';
  return { portalId: req.portalId as number, actor, reason, now: deps.clock.now() };
}
