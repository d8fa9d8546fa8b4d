import { Router } from 'express';
import { z } from 'zod';
import type { CallbackLog } from '../workflow/callbacks';
import { portalOf } from './context';
import { parseBody } from './parse';

// CallbackCompletionRequest.outputFields is typed { [key]: string } (HubSpot's SDK): the sandbox holds the app
// to that and refuses other value types, rather than guess how HubSpot would coerce them.
const completion = z.object({
  outputFields: z.record(
    z.string(),
    z.string({
      error: (i) => `outputFields values must be strings, got ${i.input === null ? 'null' : typeof i.input}`,
    }),
  ),
});
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
