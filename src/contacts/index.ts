import { z } from 'zod';
import type { AppDeps } from '../core';
import type { Feature } from '../core';
import { ConflictError, parseInput } from '../shared';
import { runFullSync } from './full-sync';
import { contactWebhookHandlers } from './webhooks';

export { runFullSync, type SyncProgress, type SyncResult } from './full-sync';
export { ensureContactsMirrored } from './mirror';
const CONTACT_SYNC_QUEUE = 'contacts.sync';
/** How long one sync job works before it queues the rest of the run and frees its worker. */
const SYNC_SLICE_MS = 5000;

const syncJob = z.object({ portalId: z.number().int().positive(), restart: z.boolean().optional() }).strict();

/** Queues a full contact sync for a portal (on install, or on request). */
export async function requestContactSync(
  deps: Pick<AppDeps, 'jobs'>,
  portalId: number,
  opts: { restart?: boolean } = {},
): Promise<string | null> {
  return deps.jobs.send(CONTACT_SYNC_QUEUE, { portalId, restart: opts.restart ?? false });
}

/** Contact mirror: full sync job plus incremental webhook updates (creation, changes, deletion, merge, privacy). */
export const contactsFeature: Feature = {
  name: 'contacts',
  webhookHandlers: contactWebhookHandlers,
  queues: (deps) => [
    {
      name: CONTACT_SYNC_QUEUE,
      retryLimit: 5,
      retryDelaySeconds: 30,
      // A run killed with its process is retried after this and resumes from its saved cursor. A run still alive
      // past it (a large portal) keeps its lease, so the retry finds it running and is absorbed.
      expireInSeconds: 15 * 60,
      handle: async (data: unknown, { retryCount }) => {
        const job = parseInput(syncJob, data, 'contacts.sync job');
        try {
          // Only the first attempt restarts; a retry continues from where the failed attempt stopped.
          const result = await runFullSync(deps, job.portalId, {
            restart: job.restart === true && retryCount === 0,
            sliceMs: SYNC_SLICE_MS,
          });
          // The rest of a big portal's sync goes to the back of the queue, behind other portals' syncs. Should
          // the process die before this, the job is retried after its expiry and resumes the paused run.
          if (!result.finished) await requestContactSync(deps, job.portalId);
        } catch (err) {
          // A sync already running for the portal (another job, the CLI) covers this request.
          if (err instanceof ConflictError && err.code === 'sync_running') {
            deps.logger.info(
              { module: 'contacts.sync', portalId: job.portalId },
              'a contact sync is already running; request absorbed',
            );
            return;
          }
          throw err;
        }
      },
    },
  ],
};
