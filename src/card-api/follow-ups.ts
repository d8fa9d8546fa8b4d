import type { FollowUp } from '../../extensions/app/cards/contract';
import type { HubSpotClient, CrmObject, Owner } from '../hubspot';
import type { Logger } from '../shared';
import type { FollowUpRow } from './card.repo';
import { taskUrl } from './links';
import { TtlCache } from './ttl-cache';

// Open follow-ups as the card shows them: our follow_ups rows (which tasks are ours), overlaid with the task as
// HubSpot has it now (read through the HubSpot client, cached 30 s), so a task completed or edited a moment ago in
// HubSpot shows correctly before its webhook arrives. Owner names come from the owners list (cached 5 min).
// HubSpot being slow or down never fails the card: it falls back to what our table knows.

const TASK_PROPERTIES = ['hs_task_subject', 'hs_task_status', 'hs_task_priority', 'hs_timestamp', 'hubspot_owner_id'];
const TASKS_TTL_MS = 30_000;
const OWNERS_TTL_MS = 5 * 60_000;
/** The card API answers within HubSpot's 15 s fetch window even when HubSpot itself is slow. */
const HUBSPOT_WAIT_MS = 2_000;
const PRIORITIES = new Set(['HIGH', 'MEDIUM', 'LOW']);

export interface FollowUpReader {
  open(portalId: number, rows: FollowUpRow[]): Promise<FollowUp[]>;
  /** Forgets cached task reads of a portal (after an action that may open or change tasks). */
  forget(portalId: number): void;
}

export function createFollowUpReader(
  deps: { hubspot: HubSpotClient; logger: Logger },
  opts: { maxEntries?: number } = {},
): FollowUpReader {
  const tasks = new TtlCache<Map<string, CrmObject>>({ maxEntries: opts.maxEntries ?? 5_000, ttlMs: TASKS_TTL_MS });
  const owners = new TtlCache<Map<string, string>>({ maxEntries: 1_000, ttlMs: OWNERS_TTL_MS });
  const log = deps.logger.child({ module: 'card-api' });

  const readTasks = (portalId: number, ids: string[]) =>
    tasks.get(`${portalId}:${ids.join(',')}`, async () => {
      const found = await deps.hubspot.forPortal(portalId).batchRead('tasks', ids, TASK_PROPERTIES);
      return new Map(found.map((t) => [t.id, t]));
    });
  const readOwners = (portalId: number) =>
    owners.get(
      String(portalId),
      async () => new Map((await deps.hubspot.forPortal(portalId).listOwners()).map((o) => [o.id, ownerName(o)])),
    );

  return {
    async open(portalId, rows) {
      if (rows.length === 0) return [];
      const ids = [...new Set(rows.flatMap((r) => (r.hubspotTaskId ? [r.hubspotTaskId] : [])))].sort();
      const [live, names] = await Promise.all([
        ids.length ? withinBudget(readTasks(portalId, ids), log, 'tasks') : Promise.resolve(undefined),
        withinBudget(readOwners(portalId), log, 'owners'),
      ]);
      const result: FollowUp[] = [];
      for (const row of rows) {
        const task = row.hubspotTaskId ? live?.get(row.hubspotTaskId) : undefined;
        // A task HubSpot no longer returns was deleted there; one it reports completed is done.
        if (live && row.hubspotTaskId && !task) continue;
        if (task && (task.archived || task.properties.hs_task_status === 'COMPLETED')) continue;
        const ownerId = task?.properties.hubspot_owner_id || row.ownerId || null;
        const priority = task?.properties.hs_task_priority ?? row.priority;
        result.push({
          id: row.hubspotTaskId ?? row.id,
          subject: task?.properties.hs_task_subject || row.subject || 'NPS follow-up',
          ownerId,
          ownerName: ownerId ? (names?.get(ownerId) ?? null) : null,
          dueAt: dueDate(task?.properties.hs_timestamp) ?? row.dueAt?.toISOString() ?? null,
          priority: priority && PRIORITIES.has(priority) ? (priority as FollowUp['priority']) : null,
          url: row.hubspotTaskId ? taskUrl(portalId, row.hubspotTaskId) : null,
          contactId: row.contactId,
        });
      }
      return result.sort((a, b) => (a.dueAt ?? '9999').localeCompare(b.dueAt ?? '9999'));
    },
    forget(portalId) {
      tasks.deletePrefix(`${portalId}:`);
    },
  };
}

async function withinBudget<T>(read: Promise<T>, log: Logger, what: string): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), HUBSPOT_WAIT_MS);
  });
  try {
    const value = await Promise.race([read, timeout]);
    if (value === undefined) log.warn({ what }, 'HubSpot read slower than the card budget; showing stored follow-ups');
    return value;
  } catch (err) {
    log.warn({ err, what }, 'HubSpot read failed; showing stored follow-ups');
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

function ownerName(o: Owner): string {
  const name = [o.firstName, o.lastName].filter(Boolean).join(' ').trim();
  return name || o.email;
}

/** hs_timestamp comes back as ISO text (v3) or epoch milliseconds. */
function dueDate(value: string | null | undefined): string | null {
  if (!value) return null;
  const d = /^\d+$/.test(value) ? new Date(Number(value)) : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
