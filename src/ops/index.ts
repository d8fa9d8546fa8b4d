import { lastSignedCardRequest } from '../card-api';
import type { Feature } from '../core';
import { pingDatabase } from './health.repo';

/** /healthz for load balancers and operators; /metrics for Prometheus. */
export const opsFeature: Feature = {
  name: 'ops',
  routes(router, deps) {
    router.get('/healthz', async (_req, res) => {
      const started = Date.now();
      const database = await pingDatabase(deps.db)
        .then(() => ({ ok: true, engine: deps.db.engine, latencyMs: Date.now() - started }))
        .catch((err: Error) => ({ ok: false, engine: deps.db.engine, error: err.message }));
      const queue = await deps.jobs.stats();
      const problems = deps.health.list();
      const ok = database.ok && queue.ok;
      res.status(ok ? 200 : 503).json({
        status: ok ? (problems.length ? 'degraded' : 'ok') : 'down',
        database,
        queue,
        problems,
        // Which parameters the last signed card request carried (counts only) and how its signature verified.
        lastCardRequest: lastSignedCardRequest(deps),
      });
    });
    router.get('/metrics', async (_req, res) => {
      res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
    });
  },
};
