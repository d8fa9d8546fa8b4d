import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../core/deps';
import { completeOutbox, dueOutbox, failOutbox, markOutbox, type OutboxItem } from '../storage/outbox';
import { claimLease, releaseLease } from '../responses/leases';
import { describeError, isRejection } from '../responses/write-failures';
import { completionFor } from './payload';
import { markCompleted, markFailed, noteAttempt, waitingCallbackFor } from './workflow-action.repo';

// Resuming blocked workflow enrollments. recordResponse marks outbox 'workflow-callback' <invitationId> when a
// waiting invitation is answered, the surveys expiry marks it when the invitation expires, and the sweep below
// marks those whose wait ran out. Each item completes its callback once (state waiting → completed), retried
// with backoff until HubSpot accepts it; one flusher per portal at a time.

export const WORKFLOW_CALLBACK_KIND = 'workflow-callback';
const LEASE_MS = 120_000;
const ITEMS_PER_RUN = 200;

export interface CallbackTotals {
  completed: number;
  failed: number;
  waiting: number;
}

/** Marks callbacks whose invitation has an outcome but no outbox item (wait over, expired or skipped without a mark, a lost mark). */
export async function sweepWaitingCallbacks(deps: Pick<AppDeps, 'db' | 'clock'>): Promise<number> {
  const r = await deps.db.query<{ portal_id: string; invitation_id: string }>(
    `SELECT w.portal_id, w.invitation_id FROM workflow_callbacks w
       JOIN invitations i ON i.id = w.invitation_id
      WHERE w.state = 'waiting' AND (i.wait_until <= $1 OR i.status IN ('answered', 'expired', 'skipped'))
        AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.portal_id = w.portal_id AND o.kind = $2 AND o.item_key = w.invitation_id::text)
      LIMIT 1000`,
    [deps.clock.now(), WORKFLOW_CALLBACK_KIND],
  );
  for (const row of r.rows) await markOutbox(deps.db, Number(row.portal_id), WORKFLOW_CALLBACK_KIND, row.invitation_id);
  return r.rows.length;
}

/** Completes the due callbacks of one portal, or of every portal with some. */
export async function flushWorkflowCallbacks(deps: AppDeps, opts: { portalId?: number } = {}): Promise<CallbackTotals> {
  const totals: CallbackTotals = { completed: 0, failed: 0, waiting: 0 };
  const due = await dueOutbox(deps.db, WORKFLOW_CALLBACK_KIND, ITEMS_PER_RUN, deps.clock.now(), opts.portalId);
  const byPortal = new Map<number, OutboxItem[]>();
  for (const item of due) byPortal.set(item.portalId, [...(byPortal.get(item.portalId) ?? []), item]);
  for (const [portalId, items] of byPortal) await flushPortal(deps, portalId, items, totals);
  return totals;
}

async function flushPortal(deps: AppDeps, portalId: number, items: OutboxItem[], totals: CallbackTotals): Promise<void> {
  const holder = randomUUID();
  if (!(await claimLease(deps.db, portalId, WORKFLOW_CALLBACK_KIND, holder, LEASE_MS))) return;
  const log = deps.logger.child({ module: 'workflow-action', portalId });
  try {
    for (const item of items) {
      const now = deps.clock.now();
      const waiting = /^[0-9a-f-]{36}$/i.test(item.key) ? await waitingCallbackFor(deps.db, portalId, item.key) : null;
      // No waiting callback: never blocked, or already completed once. Nothing to send.
      const outputs = waiting ? completionFor({ status: waiting.invitationStatus, skipReason: waiting.skipReason, waitUntil: waiting.waitUntil }, waiting.answer, now) : null;
      if (!waiting || !outputs) {
        if (waiting) totals.waiting++;
        await completeOutbox(deps.db, WORKFLOW_CALLBACK_KIND, [item]);
        continue;
      }
      try {
        await deps.hubspot.forPortal(portalId).completeWorkflowCallback(waiting.callbackId, outputs);
      } catch (err) {
        const reason = describeError(err);
        if (isRejection(err)) {
          // The enrollment is gone (HubSpot's own expiration passed, or it was resumed): retrying cannot help.
          log.error({ err, callbackId: waiting.callbackId }, 'HubSpot refused to complete a workflow callback; giving up on it');
          await markFailed(deps.db, waiting.callbackId, reason);
          await completeOutbox(deps.db, WORKFLOW_CALLBACK_KIND, [item]);
          totals.failed++;
          continue;
        }
        log.warn({ err, callbackId: waiting.callbackId }, 'could not complete a workflow callback; retried with backoff');
        await noteAttempt(deps.db, waiting.callbackId, reason);
        await failOutbox(deps.db, WORKFLOW_CALLBACK_KIND, [item], reason, deps.clock.now());
        totals.failed++;
        continue;
      }
      await markCompleted(deps.db, waiting.callbackId, outputs, deps.clock.now());
      await completeOutbox(deps.db, WORKFLOW_CALLBACK_KIND, [item]);
      totals.completed++;
      log.info({ callbackId: waiting.callbackId, outcome: outputs.survey_outcome }, 'workflow callback completed');
    }
  } finally {
    await releaseLease(deps.db, portalId, WORKFLOW_CALLBACK_KIND, holder).catch(() => undefined);
  }
}
