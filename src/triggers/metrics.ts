import { Counter } from 'prom-client';
import type { Metrics } from '../shared';

// Invitation outcomes by trigger: scheduled, duplicate (a milestone seen again: retries, redeliveries, a stage
// moving back and forth) and skipped:<reason>. Duplicates leave no row behind, so this counter is where
// "duplicates suppressed" is reported (GET /metrics, nps_invitation_outcomes_total).

const counters = new WeakMap<Metrics, Counter<'trigger' | 'outcome'>>();

export function invitationOutcomes(metrics: Metrics): Counter<'trigger' | 'outcome'> {
  let counter = counters.get(metrics);
  if (!counter) {
    counter = new Counter({
      name: 'nps_invitation_outcomes_total',
      help: 'Invitation requests by trigger and outcome (scheduled, duplicate, skipped:<reason>)',
      labelNames: ['trigger', 'outcome'],
      registers: [metrics.registry],
    });
    counters.set(metrics, counter);
  }
  return counter;
}

/** Duplicates suppressed so far in this process, over every trigger. */
export async function duplicatesSuppressed(metrics: Metrics): Promise<number> {
  const { values } = await invitationOutcomes(metrics).get();
  return values.filter((v) => v.labels.outcome === 'duplicate').reduce((sum, v) => sum + v.value, 0);
}
