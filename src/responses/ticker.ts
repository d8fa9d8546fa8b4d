import type { AppDeps } from '../core';
import type { QueueDefinition } from '../jobs';
import { outboxQueues, probeWaitingPortals as probeKinds, startOutboxTicker } from '../outbox';
import { companyRollupOutbox } from './company-rollup';
import { contactPropertiesOutbox } from './writeback';

// The write-back kinds (contact properties, company rollups), drained by the shared outbox ticker.

const WRITE_BACK_KINDS = [contactPropertiesOutbox, companyRollupOutbox];
/** A portal stuck in backoff after an outage is probed this often (see OutboxTicker.probeMs). */
const PROBE_MS = 15_000;

export function flushQueues(deps: AppDeps): QueueDefinition<{ portalId?: number }>[] {
  return outboxQueues(deps, WRITE_BACK_KINDS);
}

export function probeWaitingPortals(deps: Pick<AppDeps, 'db' | 'clock'>): Promise<number> {
  return probeKinds(deps, WRITE_BACK_KINDS, PROBE_MS);
}

/** Write-back ticks every second, so an answer reaches HubSpot within seconds. */
export function startFlushTicker(deps: AppDeps): void {
  startOutboxTicker(deps, { name: 'writeback', kinds: WRITE_BACK_KINDS, intervalMs: 1000, probeMs: PROBE_MS });
}
