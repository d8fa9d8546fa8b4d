import type { Queryable } from '../../src/storage/db';
import { insertRow } from './sql';

// A sync run's bookkeeping row in a given state (e.g. another worker's run holding the lease). The product
// writes it only when a sync claims a run, with a fresh run id, so tests write it here (own SQL).

export interface SyncState {
  portalId: number;
  kind: string;
  status: 'idle' | 'running' | 'done' | 'failed';
  runId: string | null;
  updatedAt: Date;
}

export async function aSyncState(
  db: Queryable,
  s: { portalId: number; kind: string; status?: SyncState['status']; runId?: string | null; updatedAt?: Date },
): Promise<SyncState> {
  const updatedAt = s.updatedAt ?? new Date();
  const status = s.status ?? 'running';
  await insertRow(db, 'sync_state', {
    portal_id: s.portalId,
    kind: s.kind,
    status,
    run_id: s.runId ?? undefined,
    updated_at: updatedAt,
  });
  return { portalId: s.portalId, kind: s.kind, status, runId: s.runId ?? null, updatedAt };
}
