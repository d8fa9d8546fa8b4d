import { benchmarkFor, type NpsBenchmark } from '../benchmarks';
import type { NpsSummary } from '../core';

// The portal's NPS against the published benchmark of the industry it picked. The benchmark is an outside figure
// with no margin of its own here, so the difference counts as noise when it lies within the portal's margin of error.

export interface BenchmarkComparison {
  /** The picked industry key, null when the portal picked none. */
  industry: string | null;
  benchmark: NpsBenchmark | null;
  /** Portal NPS minus the benchmark, one decimal; null without a benchmark or without answers. */
  difference: number | null;
  marginOfError: number | null;
  /** True when |difference| ≤ the portal's margin of error; null when it cannot be said. */
  withinMargin: boolean | null;
  verdict: 'above' | 'below' | 'within-noise' | null;
}

export function compareWithBenchmark(
  industry: string | undefined,
  portal: Pick<NpsSummary, 'nps' | 'marginOfError'>,
): BenchmarkComparison {
  const benchmark = benchmarkFor(industry);
  const base = { industry: benchmark ? benchmark.key : null, benchmark, marginOfError: portal.marginOfError };
  if (!benchmark || portal.nps === null) return { ...base, difference: null, withinMargin: null, verdict: null };
  const difference = Math.round((portal.nps - benchmark.nps) * 10) / 10;
  // One answer has no spread to measure: no margin, so no claim about noise either way.
  const withinMargin = portal.marginOfError === null ? null : Math.abs(difference) <= portal.marginOfError;
  const verdict = withinMargin === null ? null : withinMargin ? 'within-noise' : difference > 0 ? 'above' : 'below';
  return { ...base, difference, withinMargin, verdict };
}
