import { z } from 'zod';
import type { AppDeps } from '../deps';
import type { Feature } from '../feature';
import { parseInput } from '../shared/errors';
import { runFullSync } from './full-sync';
import { contactWebhookHandlers } from './webhooks';

export { runFullSync, type SyncProgress, type SyncResult } from './full-sync';
export { ensureContactsMirrored, refreshContacts } from './mirror';
export { eraseContact } from './privacy';

export const CONTACT_SYNC_QUEUE = 'contacts.sync';

const syncJob = z.object({ portalId: z.number().int().positive(), restart: z.boolean().optional() }).strict();

/** Queues a full contact sync for a portal (one at a time per portal; a pending one absorbs the request). */
export async function requestContactSync(deps: Pick<AppDeps, 'jobs'>, portalId: number, opts: { restart?: boolean } = {}): Promise<string | null> {
  return deps.jobs.send(CONTACT_SYNC_QUEUE, { portalId, restart: opts.restart ?? false }, { singletonKey: `contacts-sync:${portalId}` });
}

/** Install hook (src/portals/install-hooks.ts): a newly installed portal gets its first full contact sync. */
export async function queueFirstContactSync(deps: Pick<AppDeps, 'jobs'>, portalId: number): Promise<void> {
  await requestContactSync(deps, portalId);
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
      // A large portal takes a while at HubSpot's rate limit; a retry resumes from the saved cursor anyway.
      expireInSeconds: 4 * 3600,
      handle: async (data: unknown, { retryCount }) => {
        const job = parseInput(syncJob, data, 'contacts.sync job');
        // Only the first attempt restarts; a retry continues from where the failed attempt stopped.
        await runFullSync(deps, job.portalId, { restart: job.restart === true && retryCount === 0 });
      },
    },
  ],
};
