import type { AppDeps } from '../core';
import type { Owner } from '../hubspot';

// Owner names for the heroes table, the owner segment and the TV view, from HubSpot's owners list (one paged
// read), kept 10 minutes per portal. Only names are cached, never figures, so nothing the dashboard counts can
// go stale. A page waits at most BUDGET_MS for HubSpot: when it is slow or failing, owners show as their ids.

const TTL_MS = 10 * 60_000;
const FAILURE_TTL_MS = 60_000;
const BUDGET_MS = 1_500;

export interface OwnerDirectory {
  /** Owner id → name, or undefined when HubSpot did not answer in time. */
  labels(portalId: number): Promise<Map<string, string> | undefined>;
}

interface Entry {
  until: number;
  value?: Map<string, string>;
  pending?: Promise<Map<string, string> | undefined>;
}

function ownerName(o: Owner): string {
  return [o.firstName, o.lastName].filter(Boolean).join(' ') || o.email || `Owner ${o.id}`;
}

export function createOwnerDirectory(
  deps: Pick<AppDeps, 'hubspot' | 'logger'>,
  now: () => number = Date.now,
): OwnerDirectory {
  const entries = new Map<number, Entry>();
  const log = deps.logger.child({ module: 'insights-owners' });

  function load(portalId: number): Promise<Map<string, string> | undefined> {
    const pending = deps.hubspot
      .forPortal(portalId)
      .listOwners()
      .then((owners) => {
        const value = new Map(owners.map((o) => [o.id, ownerName(o)]));
        entries.set(portalId, { until: now() + TTL_MS, value });
        return value;
      })
      .catch((err: unknown) => {
        log.warn({ portalId, err: (err as Error).message }, 'owner names unavailable; showing owner ids');
        entries.set(portalId, { until: now() + FAILURE_TTL_MS });
        return undefined;
      });
    entries.set(portalId, { ...entries.get(portalId), until: entries.get(portalId)?.until ?? 0, pending });
    return pending;
  }

  return {
    async labels(portalId) {
      const entry = entries.get(portalId);
      if (entry && entry.until > now() && !entry.pending) return entry.value;
      if (entry?.pending) return entry.value ?? race(entry.pending);
      const stale = entry?.value;
      const fresh = load(portalId);
      // A known (older) list is better than ids while the new one loads.
      return stale ?? race(fresh);
    },
  };
}

function race<T>(p: Promise<T | undefined>): Promise<T | undefined> {
  return Promise.race([
    p,
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), BUDGET_MS).unref()),
  ]);
}
