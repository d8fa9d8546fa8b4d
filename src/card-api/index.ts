import type { Request, Response } from 'express';
import { z } from 'zod';
import { logResponseBodySchema, sendSurveyBodySchema } from '../../extensions/app/cards/contract';
import type { Feature } from '../core';
import { parseInput, UnauthorizedError } from '../shared';
import { requireHubSpotSignature } from '../shared';
import { logManualResponse, sendSurveyNow, type Refusal } from './actions';
import { buildCompanyCard } from './company-card';
import { buildContactCard } from './contact-card';
import { registerDashboardLinkRoutes } from './dashboard-link.routes';
import { createFollowUpReader } from './follow-ups';

// The endpoints the CRM cards call through hubspot.fetch (ARCHITECTURE.md §3). Every request must carry a valid
// v3 signature; the portal comes only from the signed query string (HubSpot appends portalId, userId,
// userEmail and appId to every hubspot.fetch URL, and the v3 signature covers the whole URI).

const recordId = (name: string) => z.string().regex(/^\d{1,18}$/, `${name} must be a numeric HubSpot record id`);
// Built once: zod compiles a schema on first use, and these run on every card request.
const PATH_SCHEMAS = {
  contactId: z.object({ contactId: recordId('contactId') }),
  companyId: z.object({ companyId: recordId('companyId') }),
};
const signedQuerySchema = z.object({ portalId: z.string().regex(/^\d{1,15}$/) });

/** The portal named in the signed query; anything else could be forged by whoever holds a signed URL. */
function signedPortalId(req: Request): number {
  const parsed = signedQuerySchema.safeParse(req.query);
  if (!parsed.success)
    throw new UnauthorizedError(
      'the signed request does not name a portal (portalId query parameter)',
      'missing_portal',
    );
  return Number(parsed.data.portalId);
}

function param(req: Request, name: 'contactId' | 'companyId'): string {
  const schema: z.ZodType<Record<string, string>> = PATH_SCHEMAS[name];
  return parseInput(schema, req.params, 'path')[name]!;
}

function refuse(res: Response, r: Refusal): void {
  res
    .status(r.status)
    .json({ error: { code: r.code, message: r.message, ...(r.quietUntil ? { quietUntil: r.quietUntil } : {}) } });
}

export const cardApiFeature: Feature = {
  name: 'card-api',
  routes(router, deps) {
    const signed = requireHubSpotSignature({
      clientSecret: deps.config.hubspot.clientSecret,
      publicBaseUrl: deps.config.publicBaseUrl,
      now: () => deps.clock.now().getTime(),
    });
    const followUps = createFollowUpReader(deps);
    const noStore = (res: Response) => res.set('cache-control', 'no-store');
    registerDashboardLinkRoutes(router, deps, signed, signedPortalId);

    router.get('/api/card/contacts/:contactId', signed, async (req, res) => {
      const portalId = signedPortalId(req);
      const card = await buildContactCard(
        { db: deps.db, followUps },
        portalId,
        param(req, 'contactId'),
        deps.clock.now(),
      );
      noStore(res).json(card);
    });

    router.get('/api/card/companies/:companyId', signed, async (req, res) => {
      const portalId = signedPortalId(req);
      const card = await buildCompanyCard(
        { db: deps.db, followUps },
        portalId,
        param(req, 'companyId'),
        deps.clock.now(),
      );
      noStore(res).json(card);
    });

    router.post('/api/card/contacts/:contactId/surveys', signed, async (req, res) => {
      const portalId = signedPortalId(req);
      const contactId = param(req, 'contactId');
      const body = parseInput(sendSurveyBodySchema, req.body ?? {}, 'survey request');
      const outcome = await sendSurveyNow(deps, {
        portalId,
        contactId,
        confirm: body.confirm === true,
        requestKey: body.requestKey,
      });
      if (outcome.refused) return refuse(noStore(res), outcome);
      req.log?.info(
        { portalId, contactId, invitationId: outcome.result.invitationId, status: outcome.result.status },
        'survey requested from the card',
      );
      noStore(res)
        .status(outcome.created ? 202 : 200)
        .json(outcome.result);
    });

    router.post('/api/card/contacts/:contactId/responses', signed, async (req, res) => {
      const portalId = signedPortalId(req);
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
      noStore(res)
        .status(result.created ? 201 : 200)
        .json(result);
    });
  },
};
