import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../core';
import type { QueueDefinition } from '../jobs';
import { getPortal, listActivePortalIds, markSetupCompleted } from '../core';
import { ConflictError } from '../shared';
import { claimLease, releaseLease } from '../outbox';
import { ensureLists, type SegmentList } from './lists';
import { portalsAwaitingSetup } from './setup.repo';
import { ensureProperties, type EnsurePropertiesResult } from './properties';

// Portal setup: properties, segmentation lists, then "setup completed". It runs as a job so that a HubSpot outage
// at install or start-up only delays it: the job retries with backoff, and the hourly maintenance re-queues
// portals whose setup has still not completed.

const PORTAL_SETUP_QUEUE = 'portal.setup';
const SETUP_LEASE = 'portal.setup';

export interface SetupResult {
  properties: EnsurePropertiesResult;
  lists: SegmentList[];
}

/** Ensures everything NPS Loop needs in the portal; idempotent. Null when the portal is not installed. */
export async function setupPortal(deps: AppDeps, portalId: number): Promise<SetupResult | null> {
  const portal = await getPortal(deps.db, portalId);
  if (!portal || portal.status !== 'active') return null;
  const holder = randomUUID();
  // Two copies starting together would otherwise both create the same property and one would fail.
  if (!(await claimLease(deps.db, portalId, SETUP_LEASE, holder, 120_000))) {
    throw new ConflictError(`setup of portal ${portalId} is already running in another process`, 'setup_in_progress');
  }
  try {
    const properties = await ensureProperties(deps, portalId);
    const lists = await ensureLists(deps, portalId);
    await markSetupCompleted(deps.db, portalId);
    deps.logger.child({ module: 'setup', portalId }).info(
      {
        created: properties.created.length,
        reused: properties.reused.length,
        incompatible: properties.incompatible.length,
        lists: lists.map((l) => l.listId),
      },
      'portal setup completed',
    );
    return { properties, lists };
  } finally {
    await releaseLease(deps.db, portalId, SETUP_LEASE, holder).catch(() => undefined);
  }
}

/** Queues the setup of a portal (the OAuth install hook calls this). */
export async function requestPortalSetup(deps: Pick<AppDeps, 'jobs'>, portalId: number): Promise<void> {
  await deps.jobs.send(PORTAL_SETUP_QUEUE, { portalId });
}

/** Queues setup for every active portal: start-up runs it for all, maintenance for those not yet set up. */
export async function requestSetupForPortals(
  deps: Pick<AppDeps, 'jobs' | 'db'>,
  opts: { onlyIncomplete: boolean },
): Promise<number> {
  const ids = opts.onlyIncomplete ? await portalsAwaitingSetup(deps.db) : await listActivePortalIds(deps.db);
  for (const id of ids) await requestPortalSetup(deps, id);
  return ids.length;
}

export function portalSetupQueue(deps: AppDeps): QueueDefinition<{ portalId: number }> {
  return {
    name: PORTAL_SETUP_QUEUE,
    retryLimit: 12,
    retryDelaySeconds: 5,
    expireInSeconds: 600,
    handle: async (data) => {
      await setupPortal(deps, Number(data.portalId));
    },
  };
}
