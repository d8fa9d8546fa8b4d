import { Router } from 'express';
import { z } from 'zod';
import type { CallbackLog } from '../workflow/callbacks';
import { portalOf } from './context';
import { parseBody } from './parse';

const completion = z.object({ outputFields: z.record(z.string(), z.unknown()) });
const batch = z.object({ inputs: z.array(completion.extend({ callbackId: z.string() })) });

/** Completing blocked workflow-action executions (`/automation/v4/actions/callbacks`). */
export function automationRouter(callbacks: CallbackLog): Router {
  const router = Router();

  router.post('/actions/callbacks/complete', (req, res) => {
    const portal = portalOf(res);
    const { inputs } = parseBody(batch, req.body);
    callbacks.complete(portal.portalId, inputs);
    res.status(204).end();
  });

  router.post('/actions/callbacks/:callbackId/complete', (req, res) => {
    const { outputFields } = parseBody(completion, req.body);
    callbacks.complete(portalOf(res).portalId, [{ callbackId: req.params.callbackId, outputFields }]);
    res.status(204).end();
  });

  return router;
}
