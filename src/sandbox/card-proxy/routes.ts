import { Router } from 'express';
import { z } from 'zod';
import type { Sandbox } from '../sandbox-contract';

// HTTP face of the hubspot.fetch proxy, shaped like the dev server's POST /proxy (so the demo and any client can
// use it): body {requestUri, method, requestTimeoutMillis?, requestBody?, requestHeaders?, context?}; answers the
// envelope with the status the dev server would. PUT /_sandbox/card-proxy/config changes forwarding and signing.

const proxyRequestSchema = z.object({
  requestUri: z.url(),
  method: z.string().min(1),
  requestTimeoutMillis: z.number().optional(),
  requestBody: z.unknown().optional(),
  requestHeaders: z.record(z.string(), z.string()).optional(),
  context: z
    .object({
      portalId: z.number().int().optional(),
      userId: z.number().int().optional(),
      userEmail: z.string().optional(),
    })
    .optional(),
});

const configSchema = z.object({
  forward: z.record(z.string(), z.url()).optional(),
  signs: z.enum(['requested', 'forwarded']).optional(),
  append: z.array(z.enum(['portalId', 'userId', 'userEmail'])).optional(),
});

export function cardProxyRouter(sandbox: () => Sandbox): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    const parsed = proxyRequestSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ status: 'error', category: 'VALIDATION_ERROR', message: parsed.error.message });
      return;
    }
    const answer = await sandbox().cardProxy.proxy(parsed.data);
    res.status(answer.httpStatus).json(answer.envelope);
  });
  router.get('/config', (_req, res) => void res.json(sandbox().cardProxy.current()));
  router.put('/config', (req, res) => {
    const parsed = configSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ status: 'error', category: 'VALIDATION_ERROR', message: parsed.error.message });
      return;
    }
    const { forward, signs, append } = parsed.data;
    sandbox().cardProxy.configure({
      ...(forward ? { forward } : {}),
      ...(signs ? { signs } : {}),
      ...(append ? { append } : {}),
    });
    res.json(sandbox().cardProxy.current());
  });
  return router;
}
