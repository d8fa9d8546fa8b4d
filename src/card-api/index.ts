import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import {
  cardOutcomeSchema,
  excludeAnswerBodySchema,
  logResponseBodySchema,
  sendSurveyBodySchema,
  type CardOutcome,
} from '../../extensions/app/cards/contract';
import { isPortalAdmin, type Feature } from '../core';
import { excludeFromCard } from '../exclusions';
import { AppError, BadRequestError, NotFoundError, UnauthorizedError, parseInput, refuseUnsafeText } from '../shared';
import { requireHubSpotSignature } from '../shared';
import { logManualResponse, sendSurveyNow } from './actions';
import { buildCompanyCard } from './company-card';
import { buildContactCard } from './contact-card';
import { registerDashboardLinkRoutes } from './dashboard-link.routes';
import { createFollowUpReader } from './follow-ups';
import { recordCardRequest } from './diagnostics';
import { signedCardContext, type SignedCardContext } from './signed-context';

export { lastSignedCardRequest } from './diagnostics';

// The endpoints the CRM cards call through hubspot.fetch (ARCHITECTURE.md §3). Every request must carry a valid
// v3 signature (over the decoded or the raw URI; under `hs project dev` also over HUBSPOT_SIGNED_BASE_URL); the
// portal comes only from the signed query string (signed-context.ts). Business outcomes the card shows answer 200
// `{ outcome, message }`: HubSpot's proxy hides the body of any 3xx–5xx from the card.

const recordId = (name: string) => z.string().regex(/^\d{1,18}$/, `${name} must be a numeric HubSpot record id`);
// Built once: zod compiles a schema on first use, and these run on every card request.
const PATH_SCHEMAS = {
  contactId: z.object({ contactId: recordId('contactId') }),
  companyId: z.object({ companyId: recordId('companyId') }),
};

/** Who excluded an answer from the card, for the audit trail: the HubSpot user the signed request names. */
function cardActor(ctx: SignedCardContext): string {
  if (!ctx.userId && !ctx.userEmail)
    throw new UnauthorizedError('the signed request does not name a user (userId or userEmail)', 'missing_user');
  const id = ctx.userId ? `HubSpot user ${ctx.userId}` : 'HubSpot user';
  return `${id}${ctx.userEmail ? ` <${ctx.userEmail}>` : ''} (CRM card)`;
}

function param(req: Request, name: 'contactId' | 'companyId'): string {
  const schema: z.ZodType<Record<string, string>> = PATH_SCHEMAS[name];
  return parseInput(schema, req.params, 'path')[name]!;
}

function answerOutcome(res: Response, outcome: CardOutcome): void {
  res.status(200).json(cardOutcomeSchema.parse(outcome));
}

/** A body the user can fix, or a record NPS Loop does not know, is an outcome; anything else stays an error. */
function asOutcome(err: unknown): CardOutcome | undefined {
  if (err instanceof NotFoundError) return { outcome: 'not_found', message: err.message };
  if (err instanceof BadRequestError && err.code === 'invalid_input')
    return { outcome: 'invalid_input', message: err.message };
  return undefined;
}

export const cardApiFeature: Feature = {
  name: 'card-api',
  routes(router, deps) {
    const verify = requireHubSpotSignature({
      clientSecret: deps.config.hubspot.clientSecret,
      publicBaseUrl: deps.config.publicBaseUrl,
      signedBaseUrl: deps.config.hubspot.signedBaseUrl,
      now: () => deps.clock.now().getTime(),
    });
    // After the signature: the signed query names the portal (and user); /healthz shows what it carried.
    const signed: RequestHandler = (req, res, next) =>
      verify(req, res, (err?: unknown) => {
        if (err) return next(err);
        try {
          res.locals.cardContext = signedCardContext(req, deps.config.hubspot.appId);
          recordCardRequest(deps, req, 'accepted');
          next();
        } catch (refusal) {
          recordCardRequest(deps, req, refusal instanceof AppError ? refusal.code : 'error');
          next(refusal);
        }
      });
    const portalOf = (res: Response): number => (res.locals.cardContext as SignedCardContext).portalId;
    const followUps = createFollowUpReader(deps);
    const noStore = (res: Response) => res.set('cache-control', 'no-store');
    /** Runs a card route; outcomes the card shows go out as 200 `{ outcome, message }`. */
    const route =
      (handler: (req: Request, res: Response) => Promise<void>): RequestHandler =>
      async (req, res) => {
        try {
          await handler(req, noStore(res));
        } catch (err) {
          const outcome = asOutcome(err);
          if (!outcome) throw err;
          answerOutcome(res, outcome);
        }
      };
    registerDashboardLinkRoutes(router, deps, signed, (res) => res.locals.cardContext as SignedCardContext);

    router.get(
      '/api/card/contacts/:contactId',
      signed,
      route(async (req, res) => {
        const contactId = param(req, 'contactId');
        res.json(await buildContactCard({ db: deps.db, followUps }, portalOf(res), contactId, deps.clock.now()));
      }),
    );

    router.get(
      '/api/card/companies/:companyId',
      signed,
      route(async (req, res) => {
        const companyId = param(req, 'companyId');
        res.json(await buildCompanyCard({ db: deps.db, followUps }, portalOf(res), companyId, deps.clock.now()));
      }),
    );

    router.post(
      '/api/card/contacts/:contactId/surveys',
      signed,
      route(async (req, res) => {
        const portalId = portalOf(res);
        const contactId = param(req, 'contactId');
        const body = parseInput(sendSurveyBodySchema, req.body ?? {}, 'survey request');
        const outcome = await sendSurveyNow(deps, {
          portalId,
          contactId,
          confirm: body.confirm === true,
          requestKey: body.requestKey,
        });
        if (outcome.refused) {
          const { code, message, quietUntil } = outcome;
          return answerOutcome(res, { outcome: code, message, ...(quietUntil ? { quietUntil } : {}) });
        }
        req.log?.info(
          { portalId, contactId, invitationId: outcome.result.invitationId, status: outcome.result.status },
          'survey requested from the card',
        );
        res.status(outcome.created ? 202 : 200).json(outcome.result);
      }),
    );

    router.post(
      '/api/card/contacts/:contactId/responses',
      signed,
      route(async (req, res) => {
        const portalId = portalOf(res);
        const contactId = param(req, 'contactId');
        const body = parseInput(logResponseBodySchema, req.body ?? {}, 'response');
        const result = await logManualResponse(deps, {
          portalId,
          contactId,
          score: body.score,
          comment: body.comment,
          requestKey: body.requestKey,
        });
        // New answers open follow-up tasks: the next card view must not serve task reads cached before them.
        followUps.forget(portalId);
        req.log?.info(
          { portalId, contactId, responseId: result.responseId, created: result.created },
          'response logged from the card',
        );
        res.status(result.created ? 201 : 200).json(result);
      }),
    );

    // "Exclude" on a history row, for NPS Loop admins (as on the dashboard). Another contact's or another portal's answer is a plain 404 with nothing about
    // it (not an outcome: there is nothing the user can fix). A repeat of a done exclusion answers like the first.
    router.post(
      '/api/card/contacts/:contactId/answers/:responseId/exclude',
      signed,
      route(async (req, res) => {
        const ctx = res.locals.cardContext as SignedCardContext;
        const contactId = param(req, 'contactId');
        const responseId = String(req.params.responseId).toLowerCase();
        const body = parseInput(excludeAnswerBodySchema, req.body ?? {}, 'exclusion');
        refuseUnsafeText(body, 'exclusion');
        const who = { portalId: ctx.portalId, actor: cardActor(ctx), reason: body.reason, now: deps.clock.now() };
        const user = { hubspotUserId: ctx.userId ? Number(ctx.userId) : null, email: ctx.userEmail ?? null };
        if (!(await isPortalAdmin(deps.db, ctx.portalId, user)))
          return answerOutcome(res, {
            outcome: 'admin_required',
            message:
              'Only an NPS Loop admin of this HubSpot account can exclude answers: ask an admin to add you under Settings → Admins.',
          });
        if ((await excludeFromCard(deps.db, who, contactId, responseId)) === 'not_found')
          return void res.status(404).json({ error: { code: 'answer_not_found', message: 'no such answer' } });
        followUps.forget(ctx.portalId); // its follow-up task left the open list with it
        req.log?.info({ portalId: ctx.portalId, contactId, responseId }, 'answer excluded from the card');
        res.json({ responseId, excluded: true });
      }),
    );
  },
};
