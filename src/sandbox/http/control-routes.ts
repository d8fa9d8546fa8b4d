import { Router, type ErrorRequestHandler } from 'express';
import { z } from 'zod';
import type { Sandbox } from '../sandbox-contract';
import { badRequest, HubSpotError } from '../errors';
import { firstString, parseBody } from './parse';

/**
 * Control API (no authentication, never faulted or rate limited). `portalId` is optional everywhere
 * (query or body) and defaults to the first portal. Writes act like a person in HubSpot's UI:
 * they emit webhooks with changeSource CRM_UI and may set HubSpot-reserved values (hs_email_optout).
 *
 *   GET    /_sandbox/state                          portals, counts, webhook queue, faults, limits
 *   POST   /_sandbox/seed        {portalId?, seed?, contacts?, companies?, owners?, deals?, tickets?, tasks?} → seed report
 *   GET    /_sandbox/seed-report?portalId           the last seed report
 *   POST   /_sandbox/reset       {portalId?}        empty portal(s); clear deliveries, callbacks, faults, limits
 *   POST   /_sandbox/portals     {portalId, accessToken?, seed?}   add a portal
 *   GET    /_sandbox/faults | PUT (replace) | PATCH (merge) | DELETE (clear all)
 *   POST   /_sandbox/faults/outage {seconds?}  ·  DELETE /_sandbox/faults/outage
 *   POST   /_sandbox/faults/fail-next {count, status}
 *   GET    /_sandbox/rate-limits | PUT {tenSecondlyMax?, oauthTenSecondlyMax?, dailyMax?, searchPerSecond?, enabled?}
 *   POST   /_sandbox/rate-limits/reset
 *   POST   /_sandbox/contacts {properties}         GET|PATCH|DELETE /_sandbox/contacts/:id
 *   POST   /_sandbox/contacts/merge {primaryId, mergedId}
 *   POST   /_sandbox/contacts/:id/privacy-delete
 *   POST   /_sandbox/objects/:type {properties, associations?}  GET|PATCH|DELETE /_sandbox/objects/:type/:id
 *   POST   /_sandbox/deals/:id/stage {stage, pipeline?}    POST /_sandbox/tickets/:id/stage {stage, pipeline?}
 *   GET    /_sandbox/tasks?contactId=                tasks with their associations
 *   GET    /_sandbox/callbacks                      workflow-action executions and completions
 *   POST   /_sandbox/workflow-actions/execute {targetUrl, objectId, objectType?, inputFields?, properties?, callbackId?}
 *   GET    /_sandbox/webhooks/config | PUT {targetUrl?, clientSecret?, appId?, subscriptions?, retryDelayMs?, ...}
 *   GET    /_sandbox/webhooks/deliveries | DELETE (clear the log)
 *   POST   /_sandbox/webhooks/flush {timeoutMs?}    waits until nothing is queued, in flight or awaiting retry
 *   POST   /_sandbox/oauth/uninstall {portalId}     refresh and access tokens stop working, webhooks stop
 */
const properties = z.object({ properties: z.record(z.string(), z.unknown()) });
const stage = z.object({ stage: z.string(), pipeline: z.string().optional() });

export function controlRouter(sandboxOf: () => Sandbox): Router {
  const router = Router();
  const portalId = (req: { query: Record<string, unknown>; body?: unknown }): number | undefined => {
    const raw = (req.body as { portalId?: unknown } | undefined)?.portalId ?? firstString(req.query.portalId);
    return raw === undefined ? undefined : Number(raw);
  };
  const opts = (req: { query: Record<string, unknown>; body?: unknown }) => ({ portalId: portalId(req) });

  router.get('/state', (_req, res) => res.json(sandboxOf().state()));
  router.post('/seed', (req, res) => res.json(sandboxOf().seed({ ...(req.body ?? {}), portalId: portalId(req) })));
  router.get('/seed-report', (req, res) => res.json(sandboxOf().seedReport(portalId(req)) ?? null));
  router.post('/reset', (req, res) => {
    sandboxOf().reset(portalId(req));
    res.json(sandboxOf().state());
  });
  router.post('/portals', (req, res) => {
    const body = parseBody(
      z.object({ portalId: z.number(), accessToken: z.string().optional(), seed: z.any().optional() }),
      req.body,
    );
    res.status(201).json({ seedReport: sandboxOf().addPortal(body) ?? null });
  });

  router.get('/faults', (_req, res) => res.json(sandboxOf().faults.state()));
  router.put('/faults', (req, res) => {
    sandboxOf().faults.set(req.body ?? {});
    res.json(sandboxOf().faults.state());
  });
  router.patch('/faults', (req, res) => {
    sandboxOf().faults.update(req.body ?? {});
    res.json(sandboxOf().faults.state());
  });
  router.delete('/faults', (_req, res) => {
    sandboxOf().faults.clear();
    res.json(sandboxOf().faults.state());
  });
  router.post('/faults/outage', (req, res) => {
    const seconds = (req.body as { seconds?: number } | undefined)?.seconds;
    sandboxOf().faults.startOutage(seconds);
    res.json(sandboxOf().faults.state());
  });
  router.delete('/faults/outage', (_req, res) => {
    sandboxOf().faults.endOutage();
    res.json(sandboxOf().faults.state());
  });
  router.post('/faults/fail-next', (req, res) => {
    const body = parseBody(
      z.object({
        count: z.number().int().positive(),
        status: z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503)]).optional(),
      }),
      req.body,
    );
    sandboxOf().faults.failNext(body.count, body.status);
    res.json(sandboxOf().faults.state());
  });

  router.get('/rate-limits', (_req, res) => res.json(sandboxOf().rateLimits.settings()));
  router.put('/rate-limits', (req, res) => {
    sandboxOf().rateLimits.configure(req.body ?? {});
    res.json(sandboxOf().rateLimits.settings());
  });
  router.post('/rate-limits/reset', (_req, res) => {
    sandboxOf().rateLimits.reset();
    res.json(sandboxOf().rateLimits.settings());
  });

  router.post('/contacts/merge', (req, res) => {
    const body = parseBody(
      z.object({ primaryId: z.union([z.string(), z.number()]), mergedId: z.union([z.string(), z.number()]) }),
      req.body,
    );
    res.json(sandboxOf().crm.mergeContacts(body.primaryId, body.mergedId, opts(req)));
  });
  router.post('/contacts/:id/privacy-delete', (req, res) => {
    sandboxOf().crm.privacyDeleteContact(req.params.id, opts(req));
    res.status(204).end();
  });
  router.post('/contacts', (req, res) => {
    res.status(201).json(sandboxOf().crm.createContact(parseBody(properties, req.body).properties, opts(req)));
  });
  router.get('/contacts/:id', (req, res) => res.json(sandboxOf().crm.getContact(req.params.id, opts(req))));
  router.patch('/contacts/:id', (req, res) => {
    res.json(sandboxOf().crm.updateContact(req.params.id, parseBody(properties, req.body).properties, opts(req)));
  });
  router.delete('/contacts/:id', (req, res) => {
    sandboxOf().crm.deleteContact(req.params.id, opts(req));
    res.status(204).end();
  });

  router.post('/objects/:type', (req, res) => {
    const body = parseBody(properties.extend({ associations: z.array(z.any()).optional() }), req.body);
    res.status(201).json(
      sandboxOf().crm.createRecord(req.params.type, body.properties, {
        ...opts(req),
        associations: body.associations,
      }),
    );
  });
  router.get('/objects/:type/:id', (req, res) =>
    res.json(sandboxOf().crm.getRecord(req.params.type, req.params.id, opts(req))),
  );
  router.patch('/objects/:type/:id', (req, res) => {
    res.json(
      sandboxOf().crm.updateRecord(
        req.params.type,
        req.params.id,
        parseBody(properties, req.body).properties,
        opts(req),
      ),
    );
  });
  router.delete('/objects/:type/:id', (req, res) => {
    sandboxOf().crm.deleteRecord(req.params.type, req.params.id, opts(req));
    res.status(204).end();
  });

  router.post('/deals/:id/stage', (req, res) => {
    const body = parseBody(stage, req.body);
    res.json(sandboxOf().crm.moveDealToStage(req.params.id, body.stage, { ...opts(req), pipeline: body.pipeline }));
  });
  router.post('/tickets/:id/stage', (req, res) => {
    const body = parseBody(stage, req.body);
    res.json(sandboxOf().crm.moveTicketToStage(req.params.id, body.stage, { ...opts(req), pipeline: body.pipeline }));
  });
  router.get('/tasks', (req, res) => {
    res.json({ results: sandboxOf().crm.listTasks({ ...opts(req), contactId: firstString(req.query.contactId) }) });
  });

  router.get('/callbacks', (_req, res) => {
    res.json({ completions: sandboxOf().callbacks.completed(), executions: sandboxOf().callbacks.executions() });
  });
  router.post('/workflow-actions/execute', async (req, res) => {
    const body = parseBody(
      z.object({
        targetUrl: z.string().url(),
        objectId: z.union([z.string(), z.number()]),
        portalId: z.number().optional(),
        objectType: z.string().optional(),
        inputFields: z.record(z.string(), z.unknown()).optional(),
        inputsFromProperties: z.record(z.string(), z.string()).optional(),
        retry: z
          .object({ attempts: z.number().int().min(1).max(20), delayMs: z.number().min(0).optional() })
          .optional(),
        properties: z.array(z.string()).optional(),
        callbackId: z.string().optional(),
        timeoutMs: z.number().optional(),
      }),
      req.body,
    );
    res.json(await sandboxOf().workflowActions.execute(body));
  });

  router.get('/webhooks/config', (_req, res) => res.json(sandboxOf().webhooks.settings()));
  router.put('/webhooks/config', (req, res) => {
    sandboxOf().webhooks.configure(req.body ?? {});
    res.json(sandboxOf().webhooks.settings());
  });
  router.get('/webhooks/deliveries', (_req, res) => res.json({ results: sandboxOf().webhooks.deliveries() }));
  router.delete('/webhooks/deliveries', (_req, res) => {
    sandboxOf().webhooks.clear();
    res.status(204).end();
  });
  router.post('/webhooks/flush', async (req, res) => {
    await sandboxOf().webhooks.flush((req.body as { timeoutMs?: number } | undefined)?.timeoutMs);
    res.json({ pending: 0, deliveries: sandboxOf().webhooks.deliveries().length });
  });

  router.post('/oauth/uninstall', (req, res) => {
    const id = portalId(req) ?? sandboxOf().defaultPortalId;
    sandboxOf().oauth.uninstall(id);
    res.json({ portalId: id, installed: false });
  });

  // Configuration mistakes (a bad subscription, an unknown portal) are the caller's: answer 400, not 500.
  const toBadRequest: ErrorRequestHandler = (error, _req, _res, next) => {
    next(error instanceof HubSpotError || !(error instanceof Error) ? error : badRequest(error.message));
  };
  router.use(toBadRequest);
  return router;
}
