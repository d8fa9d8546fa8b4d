import { WORKFLOW_CALLBACK_KIND, type AppDeps } from '../core';
import {
  defineOutboxKind,
  describeError,
  drainDuePortals,
  drainPortal,
  isRejection,
  type BatchOutcome,
  type DrainContext,
  type OutboxItem,
} from '../outbox';
import { workflowActionAvailability, workflowActionHealthKey, workflowActionUnavailableMessage } from '../portals';
import { completionFor } from './payload';
import {
  callbacksMissingAMark,
  markCompleted,
  markFailed,
  noteAttempt,
  waitingCallbackFor,
} from './workflow-action.repo';

// Resuming blocked workflow enrollments. recordResponse marks outbox 'workflow-callback' <invitationId> when a
// waiting invitation is answered, the surveys expiry marks it when the invitation expires, and the sweep below
// marks those whose wait ran out. Each item completes its callback once (state waiting → completed), retried
// with backoff until HubSpot accepts it. A refusal is final (the enrollment is gone), so it never shows as a
// rejected outbox item: the callback is marked failed and the item is done.

export const workflowCallbackOutbox = defineOutboxKind({
  kind: WORKFLOW_CALLBACK_KIND,
  queue: 'workflow-action.callbacks',
  batchSize: 20,
  itemsPerPass: 200,
  handle: completeCallbacks,
});

export interface CallbackTotals {
  completed: number;
  failed: number;
  waiting: number;
}

/** Marks callbacks whose invitation has an outcome but no outbox item (wait over, expired or skipped without a mark, a lost mark). */
export async function sweepWaitingCallbacks(deps: Pick<AppDeps, 'db' | 'clock'>): Promise<number> {
  const due = await callbacksMissingAMark(deps.db, deps.clock.now(), WORKFLOW_CALLBACK_KIND);
  for (const c of due) await workflowCallbackOutbox.mark(deps.db, c.portalId, c.invitationId);
  return due.length;
}

/** Completes the due callbacks of one portal, or of every portal with some. */
export async function flushWorkflowCallbacks(deps: AppDeps, opts: { portalId?: number } = {}): Promise<CallbackTotals> {
  const outcomes =
    opts.portalId !== undefined
      ? [await drainPortal(deps, workflowCallbackOutbox, opts.portalId)]
      : await drainDuePortals(deps, workflowCallbackOutbox);
  const totals: CallbackTotals = { completed: 0, failed: 0, waiting: 0 };
  for (const o of outcomes) {
    totals.completed += o.counts.completed ?? 0;
    totals.failed += o.failed + (o.counts.refused ?? 0);
    totals.waiting += o.counts.waiting ?? 0;
  }
  return totals;
}

async function completeCallbacks(ctx: DrainContext, items: OutboxItem[]): Promise<BatchOutcome> {
  const { deps, portalId, log } = ctx;
  const out: Required<BatchOutcome> = {
    done: [],
    failed: [],
    landed: 0,
    counts: { completed: 0, refused: 0, waiting: 0 },
  };
  // Completing a callback needs the `automation` scope. Without it nothing is sent: the items wait (backing off)
  // and /healthz says why; a reinstall that grants the scope lets the next pass send them.
  const waitingKey = `${workflowActionHealthKey(portalId)}:callbacks`;
  if (!(await workflowActionAvailability(deps.db, portalId)).available) {
    deps.health.clear(waitingKey);
    deps.health.report(waitingKey, { portalId, message: workflowActionUnavailableMessage(portalId, items.length) });
    const reason = 'waiting: the install did not grant the automation scope';
    return { ...out, failed: items.map((item) => ({ item, reason, rejected: false })) };
  }
  deps.health.clear(waitingKey);
  for (const item of items) {
    const now = deps.clock.now();
    const waiting = /^[0-9a-f-]{36}$/i.test(item.key) ? await waitingCallbackFor(deps.db, portalId, item.key) : null;
    // No waiting callback: never blocked, or already completed once. Nothing to send.
    const outputs = waiting
      ? completionFor(
          { status: waiting.invitationStatus, skipReason: waiting.skipReason, waitUntil: waiting.waitUntil },
          waiting.answer,
          now,
        )
      : null;
    if (!waiting || !outputs) {
      if (waiting) out.counts.waiting!++;
      out.done.push(item);
      continue;
    }
    await ctx.beforeCall();
    try {
      await deps.hubspot.forPortal(portalId).completeWorkflowCallback(waiting.callbackId, outputs);
    } catch (err) {
      const reason = describeError(err);
      if (isRejection(err)) {
        // The enrollment is gone (HubSpot's own expiration passed, or it was resumed): retrying cannot help.
        log.error(
          { err, callbackId: waiting.callbackId },
          'HubSpot refused to complete a workflow callback; giving up on it',
        );
        await markFailed(deps.db, waiting.callbackId, reason);
        out.done.push(item);
        out.counts.refused!++;
        continue;
      }
      // HubSpot is unwell: this item backs off, the rest of the batch stays due for the next pass.
      await noteAttempt(deps.db, waiting.callbackId, reason);
      out.failed.push({ item, reason, rejected: false });
      return out;
    }
    await markCompleted(deps.db, waiting.callbackId, outputs, deps.clock.now());
    out.done.push(item);
    out.landed++;
    out.counts.completed!++;
    log.info({ callbackId: waiting.callbackId, outcome: outputs.survey_outcome }, 'workflow callback completed');
  }
  return out;
}
