import { categoryOf } from '../../src/core';
import type { Sandbox } from '../../src/sandbox';

// Watches the sandbox CRM for answers landing: an answer counts as written back the moment the contact's
// nps_score, nps_category and nps_last_comment in the sandbox equal it. The sandbox announces every property
// change, so the time is taken when HubSpot (the sandbox) applied the write, not when a poll happened to look.

export interface Answer {
  portalId: number;
  contactId: number;
  score: number;
  comment: string;
}

interface Pending extends Answer {
  /** When recordResponse resolved (the answer was durable); undefined while it is still being recorded. */
  recordedAt?: number;
  landedAt?: number;
}

export interface WriteBackWatch {
  /** Call just before recording: the write-back may land before the recording call returns. */
  expect(answer: Answer): void;
  recorded(answer: Answer, at: number): void;
  /** Answers recorded whose properties have not shown up yet. */
  outstanding(): number;
  /** Milliseconds from recorded to landed, for every landed answer. */
  latencies(): number[];
  /** Answers whose contact in the sandbox does not show them now (read from the store, not from the events). */
  mismatches(): Answer[];
  stop(): void;
}

const key = (portalId: number, contactId: number) => `${portalId}:${contactId}`;

function shows(sandbox: Sandbox, a: Answer): boolean {
  const p = sandbox.portal(a.portalId).find('contacts', a.contactId)?.properties ?? {};
  return p.nps_score === String(a.score) && p.nps_category === categoryOf(a.score) && p.nps_last_comment === a.comment;
}

export function watchWriteBack(sandbox: Sandbox): WriteBackWatch {
  const pending = new Map<string, Pending>();
  const unsubscribe = sandbox.store.onChange((change) => {
    if (change.objectType !== 'contacts' || change.kind !== 'propertyChange') return;
    const p = pending.get(key(change.portalId, change.objectId));
    if (!p || p.landedAt !== undefined || !shows(sandbox, p)) return;
    p.landedAt = Date.now();
  });
  return {
    expect(answer) {
      pending.set(key(answer.portalId, answer.contactId), { ...answer });
    },
    recorded(answer, at) {
      pending.get(key(answer.portalId, answer.contactId))!.recordedAt = at;
    },
    outstanding: () =>
      [...pending.values()].filter((p) => p.recordedAt !== undefined && p.landedAt === undefined).length,
    latencies: () =>
      [...pending.values()]
        .filter((p) => p.recordedAt !== undefined && p.landedAt !== undefined)
        .map((p) => Math.max(0, p.landedAt! - p.recordedAt!)),
    mismatches: () => [...pending.values()].filter((p) => !shows(sandbox, p)),
    stop: unsubscribe,
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
