import type { AppDeps } from '../core';
import { saveWebVisits } from './web-survey.repo';

// Visits the widget saw (a contact signed in to the host app), written in batches: at 200 requests a second a
// write per request would cost a commit each, while "seen within the hour" is all channel choice needs. A visit
// still waiting when the process dies is lost, and the next page view records it again.

const FLUSH_MS = 1000;
const MAX_PENDING = 1000;

export interface VisitRecorder {
  record(portalId: number, contactId: string, at: Date): void;
  /** Writes what is pending now (tests, shutdown). */
  flush(): Promise<void>;
}

export function createVisitRecorder(deps: Pick<AppDeps, 'db' | 'logger'>): VisitRecorder {
  let pending = new Map<string, { portalId: number; contactId: string; at: Date }>();
  let timer: NodeJS.Timeout | undefined;
  const flush = async () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = [...pending.values()];
    pending = new Map();
    await saveWebVisits(deps.db, batch).catch((err: unknown) =>
      deps.logger.warn({ err, visits: batch.length }, 'web survey visits not recorded'),
    );
  };
  return {
    record(portalId, contactId, at) {
      pending.set(`${portalId}:${contactId}`, { portalId, contactId, at });
      if (pending.size >= MAX_PENDING) void flush();
      else if (!timer) timer = setTimeout(() => void flush(), FLUSH_MS).unref();
    },
    flush,
  };
}
