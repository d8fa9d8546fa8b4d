import type { AppDeps } from '../core';
import type { BatchInput, BatchResult } from '../hubspot';
import {
  classifyBatchResult,
  DEFAULT_HOLD,
  defineOutboxKind,
  describeError,
  isRejection,
  type BatchOutcome,
  type DrainContext,
  type OutboxItem,
  type OutboxKind,
} from '../outbox';
import { getSettings } from '../core';
import { contactProperties } from './contact-properties';
import { loadContactStates } from './contact-state.repo';

// Write-back of HubSpot record properties from the outbox, in batch updates of up to 100 records. The contact's
// `nps_*` properties are declared here; recordResponse (and anything else that changes what they show:
// invitations sent, expired, skipped) marks 'contact-properties' <contactId>. Company NPS (company-rollup.ts)
// is declared the same way.

interface WritePlan {
  writes: Array<{ item: OutboxItem; input: BatchInput }>;
  /** Items that need no write (the record is gone); completed, with the reason logged. */
  done: Array<{ item: OutboxItem; reason: string }>;
}

export interface WriteBackSpec {
  kind: string;
  queue: string;
  objectType: 'contacts' | 'companies';
  /** Computes what to write for each item, from the database as it is now (after the item versions were read). */
  build(deps: AppDeps, portalId: number, items: OutboxItem[], now: Date): Promise<WritePlan>;
}

/** An outbox kind whose items become one batch update of `objectType` per 100 items. */
export function defineWriteBackKind(spec: WriteBackSpec): OutboxKind {
  return defineOutboxKind({
    kind: spec.kind,
    queue: spec.queue,
    // Answers often arrive in bursts: a partial batch waits briefly to fill up.
    hold: DEFAULT_HOLD,
    leaseMs: 60_000,
    health: {
      key: (portalId) => `writeback:${portalId}:${spec.objectType}`,
      message: `HubSpot rejected ${spec.objectType} write-back`,
    },
    handle: (ctx, items) => writeBack(ctx, spec, items),
  });
}

async function writeBack(ctx: DrainContext, spec: WriteBackSpec, items: OutboxItem[]): Promise<BatchOutcome> {
  const plan = await spec.build(ctx.deps, ctx.portalId, items, ctx.now);
  for (const d of plan.done)
    ctx.log.info({ key: d.item.key, reason: d.reason }, 'outbox item completed without a write');
  const skipped = plan.done.map((d) => d.item);
  if (plan.writes.length === 0) return { done: skipped, counts: { skipped: skipped.length } };
  await ctx.beforeCall();
  let result: BatchResult;
  try {
    result = await ctx.deps.hubspot.forPortal(ctx.portalId).batchUpdate(
      spec.objectType,
      plan.writes.map((w) => w.input),
    );
  } catch (err) {
    const reason = describeError(err);
    const rejected = isRejection(err);
    return {
      done: skipped,
      failed: plan.writes.map((w) => ({ item: w.item, reason, rejected })),
      counts: { skipped: skipped.length, calls: 1 },
    };
  }
  const verdict = classifyBatchResult(
    plan.writes.map((w) => ({ id: w.input.id, item: w.item })),
    result,
  );
  for (const g of verdict.gone)
    ctx.log.info({ id: g.id, reason: g.reason }, `${spec.objectType} no longer exists in HubSpot; nothing to write`);
  return {
    done: [...skipped, ...verdict.landed, ...verdict.gone.map((g) => g.item)],
    failed: verdict.failed.map((f) => ({ item: f.item, reason: f.reason, rejected: f.rejected })),
    landed: verdict.landed.length,
    counts: { written: verdict.landed.length, skipped: skipped.length + verdict.gone.length, calls: 1 },
  };
}

export const contactPropertiesOutbox = defineWriteBackKind({
  kind: 'contact-properties',
  queue: 'responses.flush-contacts',
  objectType: 'contacts',
  async build(deps, portalId, items, now) {
    const settings = await getSettings(deps.db, portalId);
    const valid = items.filter((i) => /^\d+$/.test(i.key));
    const states = await loadContactStates(
      deps.db,
      deps.config,
      portalId,
      valid.map((i) => Number(i.key)),
      now,
    );
    const plan: WritePlan = {
      writes: [],
      done: items
        .filter((i) => !/^\d+$/.test(i.key))
        .map((item) => ({ item, reason: `"${item.key}" is not a contact id` })),
    };
    for (const item of valid) {
      const state = states.get(Number(item.key))!;
      if (state.gone) plan.done.push({ item, reason: `the contact was ${state.gone} in HubSpot` });
      else
        plan.writes.push({
          item,
          input: { id: item.key, properties: contactProperties(state, now, settings.answerExpiryMonths) },
        });
    }
    return plan;
  },
});

export const CONTACT_PROPERTIES_KIND = contactPropertiesOutbox.kind;
